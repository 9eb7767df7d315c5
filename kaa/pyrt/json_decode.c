/* json.loads: CPython 3.11's JSON decoder (json/decoder.py over _json.c's scanner),
 * with its acceptance, values and error messages.
 *
 * The scanner works on the document's UTF-8 bytes. Everything JSON's grammar looks at is
 * ASCII, so byte offsets serve for scanning; an error converts its offset to CPython's
 * code point index (and line and column) only when it is raised. Where _json.c compares
 * code point counts ("at least four characters after \u"), the byte comparison gives the
 * same answer or the same error at the same place.
 *
 * Input: a str is scanned in place. bytes and bytearray are decoded as CPython's loads
 * does: the encoding from json.detect_encoding (a BOM, or where the zero bytes are),
 * errors "surrogatepass". UTF-8 is validated and then scanned in place; UTF-16 and UTF-32
 * are transcoded to a str first. Decoding errors are UnicodeDecodeError with the codec's
 * message.
 *
 * Values: objects are dicts (a repeated key keeps its first position and its last value,
 * as dict assignment does), arrays lists, numbers ints (big ones through int(), with its
 * 4300-digit limit) or floats (correctly rounded, float()'s parser), NaN, Infinity and
 * -Infinity floats. Lone surrogates from \uD800-style escapes stay in the str (its UTF-8
 * holds them in their 3-byte form); an escaped pair becomes one code point. Object keys
 * without escapes are remembered in a small cache, so repeated keys share one str and
 * its hash is computed once (CPython's scanner memoises keys likewise).
 *
 * Nesting is an explicit stack of open containers (no C recursion); its depth is limited
 * where CPython, called from a module's top level, raises RecursionError.
 */
#include "json.h"
#include "str.h"
#include "int.h"
#include "float.h"
#include "list.h"
#include "dict.h"
#include "tuple.h"
#include "bytes.h"

#define MAX_DEPTH 995           /* CPython, from a module's top level: 996 nested containers raise */
#define MEMO_SIZE 128           /* remembered keys (a power of two) */
#define MEMO_MAX_KEY 64         /* longer keys are not remembered */

/* ---- JSONDecodeError ---- */

static void json_error_clear(KObj *o) {
    JSONDecodeError_obj *e = (JSONDecodeError_obj *)o;
    k_exc_clear(o);
    k_xdecref(e->msg);
    k_xdecref(e->doc);
    k_xdecref(e->pos);
    k_xdecref(e->lineno);
    k_xdecref(e->colno);
}

/* str() and repr() come from ValueError (the slots are inherited along `base`). */
const KType k_JSONDecodeError_type = {K_STATIC_HDR(&k_type_type), "JSONDecodeError", "json.decoder",
                                      &k_ValueError_type, sizeof(JSONDecodeError_obj), K_TF_EXCEPTION,
                                      .clear = json_error_clear};

/* CPython's lineno = doc.count('\n', 0, pos) + 1 and rfind = doc.rfind('\n', 0, pos)
 * (colno is pos - rfind), pos a code point index (slice rules when outside the doc). */
static void line_of(kval doc, i64 pos, i64 *lineno, i64 *rfind) {
    i64 len = k_str_len(doc);
    i64 end = pos < 0 ? (pos + len < 0 ? 0 : pos + len) : (pos > len ? len : pos);
    const u8 *q = k_str_data(doc), *at = k_str_offset(doc, end);
    i64 lines = 0, last = -1;
    for (i64 i = 0; q < at; q++) {
        if ((*q & 0xC0) == 0x80) continue;
        if (*q == '\n') {
            lines++;
            last = i;
        }
        i++;
    }
    *lineno = lines + 1;
    *rfind = last;
}

kval k_JSONDecodeError_new(kval msg, kval doc, kval pos) {
    if (!k_is_str(doc) || !(k_type_of(pos)->flags & K_TF_INT)) {
        k_raise_str(&k_TypeError_type, "JSONDecodeError(msg, doc, pos) takes a str doc and an int pos");
        return 0;
    }
    i64 p, lineno, rfind;
    if (!k_int_to_i64(pos, &p)) p = k_int_cmp(pos, k_int_small(0)) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
    line_of(doc, p, &lineno, &rfind);
    kval line = k_int_from_i64(lineno), colno = k_int_sub(pos, k_int_from_i64(rfind));
    /* '%s: line %d column %d (char %d)' % (msg, lineno, colno, pos) */
    kval parts[8] = {k_str(msg), k_str_from_ascii(": line ", 7), k_int_repr(line), k_str_from_ascii(" column ", 8),
                     k_int_repr(colno), k_str_from_ascii(" (char ", 7), k_int_repr(pos), k_str_from_ascii(")", 1)};
    kval text = parts[0] && parts[2] && parts[4] && parts[6] ? k_str_join_parts(parts, 8) : 0;
    for (int i = 0; i < 8; i++) k_xdecref(parts[i]);
    if (!text) {
        k_decref(line);
        k_decref(colno);
        return 0;
    }
    kval args = k_tuple_pack(1, text);
    k_decref(text);
    JSONDecodeError_obj *e = (JSONDecodeError_obj *)k_exc_new(&k_JSONDecodeError_type, args);
    k_decref(args);
    e->msg = k_newref(msg);
    e->doc = k_newref(doc);
    e->pos = k_newref(pos);
    e->lineno = line;
    e->colno = colno;
    return K_VAL(e);
}

/* Raise JSONDecodeError(msg, doc, pos), pos a code point index into doc. */
static void raise_decode_error(const char *msg, kval doc, i64 pos) {
    kval m = k_str_from_cstr(msg), p = k_int_from_i64(pos);
    kval e = k_JSONDecodeError_new(m, doc, p);
    k_decref(m);
    k_decref(p);
    if (e) k_raise(e);
}

/* ---- the scanner's state ---- */

typedef struct {
    kval obj;           /* the list or dict being filled (a reference) */
    kval key;           /* dicts: the key whose value is being read, or 0 */
} Open;

typedef struct {
    const u8 *p;        /* the document, UTF-8 */
    i64 n;
    bool ascii;         /* all of it ASCII: byte offsets are code point indexes */
    kval doc;           /* the document as a str; 0 until an error needs it (bytes input) */
    u8 *buf;            /* strings with escapes are built here */
    i64 buf_cap;
    Open *stack;
    i64 depth, cap;
    kval memo[MEMO_SIZE];
} Dec;

static i64 char_index(const Dec *d, i64 off) {
    if (d->ascii) return off;
    i64 c = 0;
    for (i64 i = 0; i < off; i++) c += (d->p[i] & 0xC0) != 0x80;
    return c;
}

/* JSONDecodeError(msg, doc, the character at byte offset off); returns 0 for the caller. */
static kval fail(Dec *d, const char *msg, i64 off) {
    if (!d->doc) d->doc = k_str_from_utf8(d->p, d->n);
    raise_decode_error(msg, d->doc, char_index(d, off));
    return 0;
}

static inline bool is_ws(u8 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static inline bool is_digit(u8 c) { return c >= '0' && c <= '9'; }

static inline i64 skip_ws(const Dec *d, i64 i) {
    while (i < d->n && is_ws(d->p[i])) i++;
    return i;
}

/* ---- strings ---- */

typedef u8 v16u __attribute__((vector_size(16)));
typedef signed char v16s __attribute__((vector_size(16)));
typedef char v16c __attribute__((vector_size(16)));

/* The first offset from i that holds '"', '\\' or a control character (n if none); *high
 * is set when a non-ASCII byte was passed. */
static inline i64 find_special(const u8 *p, i64 i, i64 n, bool *high) {
    v16u seen = {0};
    for (; i + 16 <= n; i += 16) {
        v16u v;
        __builtin_memcpy(&v, p + i, 16);
        v16s bad = (v16s)(v < 0x20) | (v16s)(v == '"') | (v16s)(v == '\\');
        unsigned m = (unsigned)__builtin_ia32_pmovmskb128((v16c)bad);
        if (m) {
            unsigned k = (unsigned)__builtin_ctz(m);
            if ((unsigned)__builtin_ia32_pmovmskb128((v16c)v) & ((1u << k) - 1)) *high = 1;   /* before it */
            i += k;
            break;
        }
        seen |= v;
    }
    if (__builtin_ia32_pmovmskb128((v16c)seen)) *high = 1;
    for (; i < n; i++) {
        u8 c = p[i];
        if (c == '"' || c == '\\' || c < 0x20) break;
        if (c >= 0x80) *high = 1;
    }
    return i;
}

static i64 count_chars(const u8 *p, i64 n) {
    i64 c = 0;
    for (i64 i = 0; i < n; i++) c += (p[i] & 0xC0) != 0x80;
    return c;
}

static kval make_str(const u8 *p, i64 n, i64 length) {
    kval s = k_str_new_raw(n, length);
    if (n) {
        u8 *w = ((KStr *)s)->data;
        __builtin_memcpy(w, p, (u64)n);
        w[n] = 0;
    }
    return s;
}

/* Up to 8 bytes of p[0..n) from each end (all of them when n <= 16), as two words. */
static inline void key_words(const u8 *p, i64 n, u64 *a, u64 *b) {
    if (n >= 8) {
        __builtin_memcpy(a, p, 8);
        __builtin_memcpy(b, p + n - 8, 8);
    } else if (n >= 4) {
        u32 x, y;
        __builtin_memcpy(&x, p, 4);
        __builtin_memcpy(&y, p + n - 4, 4);
        *a = x, *b = y;
    } else {
        *a = n ? (u64)p[0] | (u64)p[n / 2] << 8 | (u64)p[n - 1] << 16 : 0;
        *b = 0;
    }
}

/* A key without escapes, through the cache: two ways per set, the newer first. */
static kval memo_key(Dec *d, const u8 *p, i64 n, i64 length) {
    if (n > MEMO_MAX_KEY) return make_str(p, n, length);
    u64 a, b;
    key_words(p, n, &a, &b);
    u64 h = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL) ^ (u64)n;
    kval *set = &d->memo[((h >> 40) & (MEMO_SIZE / 2 - 1)) * 2];
    for (int w = 0; w < 2; w++) {
        kval k = set[w];
        if (!k || k_str_nbytes(k) != n) continue;
        u64 ka, kb;
        key_words(k_str_data(k), n, &ka, &kb);
        if (ka == a && kb == b && (n <= 16 || __builtin_memcmp(k_str_data(k), p, (u64)n) == 0))
            return k_newref(k);
    }
    kval s = make_str(p, n, length);
    k_xdecref(set[1]);
    set[1] = set[0];
    set[0] = k_newref(s);
    return s;
}

static inline u8 *buf_room(Dec *d, i64 used, i64 need) {
    if (used + need > d->buf_cap) {
        i64 cap = (used + need) * 2 + 64;
        d->buf = k_mrealloc(d->buf, (u64)used, (u64)cap);
        d->buf_cap = cap;
    }
    return d->buf + used;
}

static int hex_value(u8 c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at p[i..i+4) (all present), or -1. */
static i32 hex4(const u8 *p, i64 i) {
    i32 c = 0;
    for (int k = 0; k < 4; k++) {
        int h = hex_value(p[i + k]);
        if (h < 0) return -1;
        c = (c << 4) | h;
    }
    return c;
}

/* The rest of a string whose first escape is at i (begin: its opening quote), as
 * _json.c's scanstring_unicode: the text so far is p[start..i). */
static kval scan_escaped(Dec *d, i64 begin, i64 start, i64 i, i64 *next) {
    const u8 *p = d->p;
    i64 n = d->n, used = 0, length = 0;
    for (;;) {
        /* the chunk p[start..i) is plain text; p[i] is '"' or '\\' */
        i64 chunk = i - start;
        __builtin_memcpy(buf_room(d, used, chunk), p + start, (u64)chunk);
        used += chunk;
        length += count_chars(p + start, chunk);
        if (p[i] == '"') {
            *next = i + 1;
            return make_str(d->buf, used, length);
        }
        i64 j = i + 1;                         /* after the backslash */
        if (j == n) return fail(d, "Unterminated string starting at", begin);
        u32 c = p[j];
        if (c != 'u') {
            c = c == '"' || c == '\\' || c == '/' ? c : c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n'
              : c == 'r' ? '\r' : c == 't' ? '\t' : 0;
            if (!c) return fail(d, "Invalid \\escape", i);
            start = j + 1;
        } else {
            j++;                               /* the first hex digit */
            i64 end = j + 4;
            i32 h;
            if (end >= n || (h = hex4(p, j)) < 0) return fail(d, "Invalid \\uXXXX escape", j - 1);
            c = (u32)h;
            /* a high surrogate escape followed by a low one is one code point */
            if (c >= 0xD800 && c <= 0xDBFF && end + 6 < n && p[end] == '\\' && p[end + 1] == 'u') {
                i32 c2 = hex4(p, end + 2);
                if (c2 < 0) return fail(d, "Invalid \\uXXXX escape", end + 1);
                if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
                    c = 0x10000 + ((c - 0xD800) << 10) + ((u32)c2 - 0xDC00);
                    end += 6;
                }
            }
            start = end;
        }
        used += k_utf8_encode(c, buf_room(d, used, 4));
        length++;
        bool high = 0;                         /* (count_chars counts anyway) */
        i = find_special(p, start, n, &high);
        if (i >= n) return fail(d, "Unterminated string starting at", begin);
        if (p[i] < 0x20) return fail(d, "Invalid control character at", i);
    }
}

/* The string whose opening quote is at begin; *next: the offset after its closing quote. */
static kval scan_string(Dec *d, i64 begin, i64 *next, bool key) {
    bool high = 0;
    i64 start = begin + 1, i = find_special(d->p, start, d->n, &high);
    if (i >= d->n) return fail(d, "Unterminated string starting at", begin);
    u8 c = d->p[i];
    if (c == '"') {
        *next = i + 1;
        i64 len = i - start, length = high ? count_chars(d->p + start, len) : len;
        return key ? memo_key(d, d->p + start, len, length) : make_str(d->p + start, len, length);
    }
    if (c != '\\') return fail(d, "Invalid control character at", i);
    return scan_escaped(d, begin, start, i, next);
}

/* ---- numbers ---- */

/* The number at start, as _json.c's _match_number_unicode: an int unless it has a
 * fraction or an exponent (an 'e' with no digits after it is not part of it). 0 with
 * no exception: no number here (CPython's StopIteration). */
static kval scan_number(Dec *d, i64 start, i64 *next) {
    const u8 *p = d->p;
    i64 n = d->n, i = start;
    bool neg = p[i] == '-';
    if (neg && ++i >= n) return 0;
    if (p[i] >= '1' && p[i] <= '9') {
        while (++i < n && is_digit(p[i])) {}
    } else if (p[i] == '0') {
        i++;
    } else {
        return 0;
    }
    i64 int_end = i;
    bool is_float = 0;
    if (i < n - 1 && p[i] == '.' && is_digit(p[i + 1])) {
        is_float = 1;
        i += 2;
        while (i < n && is_digit(p[i])) i++;
    }
    if (i < n - 1 && (p[i] == 'e' || p[i] == 'E')) {
        i64 e_start = i++;
        if (i < n - 1 && (p[i] == '-' || p[i] == '+')) i++;
        while (i < n && is_digit(p[i])) i++;
        if (is_digit(p[i - 1])) is_float = 1;
        else i = e_start;
    }
    *next = i;
    if (is_float) {
        double x = 0;
        k_float_parse(p + start, i - start, &x);
        return k_float_box(x);
    }
    if (int_end - start - neg > 19) return k_int_parse(p + start, int_end - start, 10);
    u64 m = 0;                                 /* 19 digits fit */
    for (i64 k = start + neg; k < int_end; k++) m = m * 10 + (u64)(p[k] - '0');
    if (!neg) return k_int_from_u64(m);
    if (m <= (1ULL << 63)) return k_int_from_i64((i64)(0 - m));
    return k_int_parse(p + start, int_end - start, 10);
}

/* ---- values ---- */

static bool word_at(const Dec *d, i64 i, const char *w, i64 len) {
    return i + len <= d->n && __builtin_memcmp(d->p + i, w, (u64)len) == 0;
}

/* Open a list or dict at i (its bracket); false: raised RecursionError. */
static bool open_container(Dec *d, bool dict) {
    if (d->depth >= MAX_DEPTH) {
        k_raise_str(&k_RecursionError_type, dict ? "maximum recursion depth exceeded while decoding a JSON object "
                                                   "from a unicode string"
                                                 : "maximum recursion depth exceeded while decoding a JSON array "
                                                   "from a unicode string");
        return 0;
    }
    if (d->depth == d->cap) {
        i64 cap = d->cap ? d->cap * 2 : 16;
        d->stack = k_mrealloc(d->stack, (u64)d->cap * sizeof(Open), (u64)cap * sizeof(Open));
        d->cap = cap;
    }
    d->stack[d->depth++] = (Open){dict ? k_dict_new() : k_list_new(0), 0};
    return 1;
}

static kval close_container(Dec *d) {
    return d->stack[--d->depth].obj;
}

/* A scalar at i (the first character of a value that is not '{' or '['), or 0: raised. */
static kval scan_scalar(Dec *d, i64 i, i64 *next) {
    kval v = 0;
    switch (d->p[i]) {
    case '"':
        return scan_string(d, i, next, 0);
    case 'n':
        if (word_at(d, i, "null", 4)) { *next = i + 4; return k_None; }
        break;
    case 't':
        if (word_at(d, i, "true", 4)) { *next = i + 4; return k_True; }
        break;
    case 'f':
        if (word_at(d, i, "false", 5)) { *next = i + 5; return k_False; }
        break;
    case 'N':
        if (word_at(d, i, "NaN", 3)) { *next = i + 3; return k_float_box(__builtin_nan("")); }
        break;
    case 'I':
        if (word_at(d, i, "Infinity", 8)) { *next = i + 8; return k_float_box(__builtin_inf()); }
        break;
    case '-':
        if (word_at(d, i, "-Infinity", 9)) { *next = i + 9; return k_float_box(-__builtin_inf()); }
        break;
    }
    v = scan_number(d, i, next);
    if (!v && !k_exc) return fail(d, "Expecting value", i);
    return v;
}

/* The value at i (after whitespace) and everything nested in it; *next: the offset after it. */
static kval scan_value(Dec *d, i64 i, i64 *next) {
    const u8 *p = d->p;
    i64 n = d->n;
    kval v;
    Open *top;
value:
    if (i >= n) return fail(d, "Expecting value", i);
    if (p[i] == '[') {
        if (!open_container(d, 0)) return 0;
        i = skip_ws(d, i + 1);
        if (i < n && p[i] == ']') {
            i++;
            v = close_container(d);
            goto have_value;
        }
        goto value;
    }
    if (p[i] == '{') {
        if (!open_container(d, 1)) return 0;
        i = skip_ws(d, i + 1);
        if (i < n && p[i] == '}') {
            i++;
            v = close_container(d);
            goto have_value;
        }
        goto key;
    }
    if (!(v = scan_scalar(d, i, &i))) return 0;
have_value:
    if (d->depth == 0) {
        *next = i;
        return v;
    }
    top = &d->stack[d->depth - 1];
    if (top->key) {
        int r = k_dict_setitem(top->obj, top->key, v);
        k_decref(v);
        k_decref(top->key);
        top->key = 0;
        if (r < 0) return 0;
        i = skip_ws(d, i);
        if (i < n && p[i] == '}') {
            i++;
            v = close_container(d);
            goto have_value;
        }
        if (i >= n || p[i] != ',') return fail(d, "Expecting ',' delimiter", i);
        i = skip_ws(d, i + 1);
        goto key;
    }
    k_list_append_steal(top->obj, v);
    i = skip_ws(d, i);
    if (i < n && p[i] == ']') {
        i++;
        v = close_container(d);
        goto have_value;
    }
    if (i >= n || p[i] != ',') return fail(d, "Expecting ',' delimiter", i);
    i = skip_ws(d, i + 1);
    goto value;
key:
    if (i >= n || p[i] != '"') return fail(d, "Expecting property name enclosed in double quotes", i);
    if (!(v = scan_string(d, i, &i, 1))) return 0;
    d->stack[d->depth - 1].key = v;
    i = skip_ws(d, i);
    if (i >= n || p[i] != ':') return fail(d, "Expecting ':' delimiter", i);
    i = skip_ws(d, i + 1);
    goto value;
}

/* json.decoder.JSONDecoder.decode on the UTF-8 text p[0..n) (doc: it as a str, or 0). */
static kval decode(const u8 *p, i64 n, bool ascii, kval doc) {
    Dec d = {0};
    d.p = p;
    d.n = n;
    d.ascii = ascii;
    d.doc = doc ? k_newref(doc) : 0;
    i64 end = 0;
    kval v = scan_value(&d, skip_ws(&d, 0), &end);
    if (v && (end = skip_ws(&d, end)) != n) {
        k_decref(v);
        v = fail(&d, "Extra data", end);
    }
    while (d.depth > 0) {
        Open *o = &d.stack[--d.depth];
        k_decref(o->obj);
        k_xdecref(o->key);
    }
    for (int i = 0; i < MEMO_SIZE; i++) k_xdecref(d.memo[i]);
    k_mfree(d.stack);
    k_mfree(d.buf);
    k_xdecref(d.doc);
    return v;
}

/* ---- bytes input: json.detect_encoding and bytes.decode(encoding, 'surrogatepass') ---- */

static void decode_error(const char *codec, const u8 *p, i64 start, i64 end, const char *reason) {
    static const char hx[] = "0123456789abcdef";
    if (end - start == 1) {
        char b[3] = {hx[p[start] >> 4], hx[p[start] & 15], 0};
        k_raise_fmt(&k_UnicodeDecodeError_type, "'%s' codec can't decode byte 0x%s in position %d: %s", codec, b,
                    start, reason);
    } else {
        k_raise_fmt(&k_UnicodeDecodeError_type, "'%s' codec can't decode bytes in position %d-%d: %s", codec,
                    start, end - 1, reason);
    }
}

/* UTF-8 with surrogatepass: CPython's strict decoder (maximal invalid subparts), except
 * that ED A0..BF 80..BF, a surrogate, is accepted. false: raised; *ascii: no byte >= 0x80. */
static bool check_utf8(const u8 *p, i64 n, bool *ascii) {
    *ascii = 1;
    for (i64 i = 0; i < n;) {
        if (i + 8 <= n) {
            u64 w;
            __builtin_memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        u8 c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        *ascii = 0;
        int need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!need) {
            decode_error("utf-8", p, i, i + 1, "invalid start byte");
            return 0;
        }
        if (c == 0xED && i + 2 < n && p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF && (p[i + 2] & 0xC0) == 0x80) {
            i += 3;                            /* a surrogate: passed */
            continue;
        }
        u8 lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        u8 hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        for (int k = 1; k < need; k++) {
            if (i + k >= n) {
                decode_error("utf-8", p, i, i + k, "unexpected end of data");
                return 0;
            }
            u8 b = p[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
                decode_error("utf-8", p, i, i + k, "invalid continuation byte");
                return 0;
            }
        }
        i += need;
    }
    return 1;
}

/* UTF-16 (unit 2) or UTF-32 (unit 4) with surrogatepass, to a str. Surrogates that do
 * not pair pass as themselves; the errors left are trailing bytes ("truncated data")
 * and, in UTF-32, values beyond U+10FFFF. */
static kval decode_wide(const u8 *p, i64 n, i64 from, int unit, bool big_endian) {
    const char *codec = unit == 2 ? (big_endian ? "utf-16-be" : "utf-16-le") : (big_endian ? "utf-32-be" : "utf-32-le");
    u8 *out = k_malloc((u64)(n - from) / (u64)unit * 4 + 4);
    i64 used = 0, length = 0, i = from;
    kval r = 0;
    while (i < n) {
        if (n - i < unit) {
            decode_error(codec, p, i, n, "truncated data");
            goto done;
        }
        u32 c = 0;
        for (int k = 0; k < unit; k++) c |= (u32)p[i + k] << (8 * (big_endian ? unit - 1 - k : k));
        i += unit;
        if (unit == 2 && c >= 0xD800 && c <= 0xDBFF && n - i >= 2) {
            u32 c2 = big_endian ? (u32)p[i] << 8 | p[i + 1] : (u32)p[i + 1] << 8 | p[i];
            if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
                i += 2;
            }
        }
        if (c > 0x10FFFF) {
            decode_error(codec, p, i - unit, i, "code point not in range(0x110000)");
            goto done;
        }
        used += k_utf8_encode(c, out + used);
        length++;
    }
    r = k_str_new_raw(used, length);
    if (used) {
        __builtin_memcpy(((KStr *)r)->data, out, (u64)used);
        ((KStr *)r)->data[used] = 0;
    }
done:
    k_mfree(out);
    return r;
}

static bool starts(const u8 *p, i64 n, const char *prefix, i64 len) {
    return n >= len && __builtin_memcmp(p, prefix, (u64)len) == 0;
}

static kval loads_bytes(const u8 *p, i64 n) {
    int unit = 0;
    bool be = 0;
    i64 from = 0;
    if (starts(p, n, "\0\0\xFE\xFF", 4) || starts(p, n, "\xFF\xFE\0\0", 4)) {
        unit = 4, be = p[0] == 0, from = 4;
    } else if (starts(p, n, "\xFE\xFF", 2) || starts(p, n, "\xFF\xFE", 2)) {
        unit = 2, be = p[0] == 0xFE, from = 2;
    } else if (starts(p, n, "\xEF\xBB\xBF", 3)) {
        p += 3, n -= 3;                        /* utf-8-sig */
    } else if (n >= 4 && !p[0]) {
        unit = p[1] ? 2 : 4, be = 1;
    } else if (n >= 4 && !p[1]) {
        unit = p[2] || p[3] ? 2 : 4, be = 0;
    } else if (n == 2 && (!p[0] || !p[1])) {
        unit = 2, be = !p[0];
    }
    if (unit) {
        kval s = decode_wide(p, n, from, unit, be);
        if (!s) return 0;
        kval v = decode(k_str_data(s), k_str_nbytes(s), k_str_is_ascii(s), s);
        k_decref(s);
        return v;
    }
    bool ascii;
    if (!check_utf8(p, n, &ascii)) return 0;
    return decode(p, n, ascii, 0);
}

kval k_json_loads(kval s) {
    if (k_is_str(s)) {
        if (starts(k_str_data(s), k_str_nbytes(s), "\xEF\xBB\xBF", 3)) {
            raise_decode_error("Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0);
            return 0;
        }
        return decode(k_str_data(s), k_str_nbytes(s), k_str_is_ascii(s), s);
    }
    if (k_is_bytes(s)) return loads_bytes(k_bytes_data(s), k_bytes_len(s));
    if (k_is_bytearray(s)) return loads_bytes(((KByteArray *)s)->data, ((KByteArray *)s)->len);
    k_raise_fmt(&k_TypeError_type, "the JSON object must be str, bytes or bytearray, not %s", k_type_of(s)->name);
    return 0;
}
