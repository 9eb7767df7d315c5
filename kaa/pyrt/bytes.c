/* Python `bytes` and `bytearray` (layouts: bytes.h), and the codecs between bytes and
 * str: UTF-8, ASCII and Latin-1, with the strict, ignore and replace error handlers.
 *
 * Most operations work on a (pointer, length) view, so bytes and bytearray share them;
 * a bytes-like argument is either type. Results of bytes methods are bytes, of
 * bytearray methods (slice) bytearray.
 * Decoding UTF-8 validates as CPython's decoder does and reports the same error spans:
 * the "maximal subpart" rule (a lead byte plus the continuation bytes valid so far is
 * one error; E0/ED/F0/F4 restrict the second byte's range), "invalid start byte",
 * "invalid continuation byte" and, at the end of the input, "unexpected end of data".
 * Lone surrogates (ED A0..BF xx) are invalid, as in CPython.
 */
#include "bytes.h"
#include "str.h"
#include "int.h"
#include "list.h"
#include "tuple.h"
#include "slice.h"

typedef struct { const u8 *p; i64 n; } View;

K_BYTES_LITERAL(empty_bytes, "", 0);

static const char *tname(kval v) { return k_type_of(v)->name; }

static bool view_of(kval v, View *out) {
    if (k_is_bytes(v)) { *out = (View){k_bytes_data(v), k_bytes_len(v)}; return 1; }
    if (k_is_bytearray(v)) { *out = (View){((KByteArray *)v)->data, ((KByteArray *)v)->len}; return 1; }
    return 0;
}

static bool need_view(kval v, View *out) {
    if (view_of(v, out)) return 1;
    k_raise_fmt(&k_TypeError_type, "a bytes-like object is required, not '%s'", tname(v));
    return 0;
}

/* ---- construction ---- */

kval k_bytes_new_raw(i64 n) {
    if (n == 0) return K_BYTES_LIT(empty_bytes);
    KBytes *b = (KBytes *)k_alloc(&k_bytes_type, sizeof(KBytes) + (u64)n + 1);
    b->len = n;
    b->hash = -1;
    return K_VAL(b);
}

static inline u8 *bytes_wdata(kval b) { return ((KBytes *)b)->data; }

kval k_bytes_from(const u8 *p, i64 n) {
    kval b = k_bytes_new_raw(n);
    if (n) __builtin_memcpy(bytes_wdata(b), p, (u64)n);
    return b;
}

/* An int argument as a byte value: TypeError for non-ints, ValueError out of range. */
static bool byte_value(kval v, const char *range_msg, u8 *out) {
    i64 x;
    if (!k_isinstance(v, &k_int_type)) {
        k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", tname(v));
        return 0;
    }
    if (!k_int_to_i64(v, &x) || x < 0 || x > 255) {
        k_raise_str(&k_ValueError_type, range_msg);
        return 0;
    }
    *out = (u8)x;
    return 1;
}

kval k_bytes_zeros(kval n) {
    i64 x;
    if (!k_isinstance(n, &k_int_type)) {
        k_raise_fmt(&k_TypeError_type, "cannot convert '%s' object to bytes", tname(n));
        return 0;
    }
    if (!k_int_to_i64(n, &x)) {
        k_raise_str(&k_OverflowError_type, "cannot fit 'int' into an index-sized integer");
        return 0;
    }
    if (x < 0) {
        k_raise_str(&k_ValueError_type, "negative count");
        return 0;
    }
    return k_bytes_new_raw(x);    /* k_alloc zeroes */
}

/* The ints of an iterable, into a k_malloc'ed buffer. false: raised. */
static bool collect_ints(kval iterable, const char *range_msg, u8 **out, i64 *n) {
    kval it = k_iter(iterable), item;
    if (!it) return 0;
    i64 cap = 16, len = 0;
    u8 *buf = k_malloc((u64)cap);
    while ((item = k_next(it))) {
        u8 b;
        bool ok = byte_value(item, range_msg, &b);
        k_decref(item);
        if (!ok) break;
        if (len == cap) { buf = k_mrealloc(buf, (u64)cap, (u64)cap * 2); cap *= 2; }
        buf[len++] = b;
    }
    k_decref(it);
    if (k_exc) { k_mfree(buf); return 0; }
    *out = buf;
    *n = len;
    return 1;
}

kval k_bytes_from_list(kval iterable) {
    u8 *buf;
    i64 n;
    if (!collect_ints(iterable, "bytes must be in range(0, 256)", &buf, &n)) return 0;
    kval r = k_bytes_from(buf, n);
    k_mfree(buf);
    return r;
}

/* ---- sequence operations ---- */

kval k_bytes_concat(kval a, kval b) {
    View va, vb;
    if (!view_of(a, &va) || !view_of(b, &vb)) {
        k_raise_fmt(&k_TypeError_type, "can't concat %s to %s", tname(b), tname(a));
        return 0;
    }
    if (k_is_bytearray(a)) {
        kval r = k_bytearray_new(va.p, va.n);
        if (k_bytearray_extend(r, b) < 0) { k_decref(r); return 0; }
        return r;
    }
    kval r = k_bytes_new_raw(va.n + vb.n);
    if (va.n) __builtin_memcpy(bytes_wdata(r), va.p, (u64)va.n);
    if (vb.n) __builtin_memcpy(bytes_wdata(r) + va.n, vb.p, (u64)vb.n);
    return r;
}

kval k_bytes_mul(kval b, i64 n) {
    i64 len = k_bytes_len(b), total;
    if (n <= 0 || len == 0) return K_BYTES_LIT(empty_bytes);
    if (n == 1) return k_newref(b);
    if (__builtin_mul_overflow(len, n, &total) || total > (1LL << 48)) {
        k_raise_str(&k_OverflowError_type, "repeated bytes are too long");
        return 0;
    }
    kval r = k_bytes_new_raw(total);
    for (i64 i = 0; i < n; i++) __builtin_memcpy(bytes_wdata(r) + i * len, k_bytes_data(b), (u64)len);
    return r;
}

kval k_bytes_getitem(kval b, i64 i) {
    i64 n = k_bytes_len(b);
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        k_raise_str(&k_IndexError_type, "index out of range");
        return 0;
    }
    return k_int_small(k_bytes_data(b)[i]);
}

/* The selected bytes of a slice, into a k_malloc'ed buffer. */
static bool slice_view(View v, kval start, kval stop, kval step, u8 **out, i64 *count, bool *whole) {
    i64 lo, hi, st;
    if (!k_slice_indices(v.n, start, stop, step, &lo, &hi, &st, count)) return 0;
    if (*count < 0) *count = 0;
    *whole = st == 1 && *count == v.n;
    *out = k_malloc((u64)(*count ? *count : 1));
    for (i64 i = 0; i < *count; i++) (*out)[i] = v.p[lo + i * st];
    return 1;
}

kval k_bytes_slice(kval b, kval start, kval stop, kval step) {
    u8 *buf;
    i64 n;
    bool whole;
    if (!slice_view((View){k_bytes_data(b), k_bytes_len(b)}, start, stop, step, &buf, &n, &whole)) return 0;
    kval r = whole ? k_newref(b) : k_bytes_from(buf, n);
    k_mfree(buf);
    return r;
}

/* ---- search ---- */

/* A sub argument: bytes-like, or an int (one byte). */
static bool sub_view(kval sub, View *out, u8 *byte) {
    if (view_of(sub, out)) return 1;
    if (k_isinstance(sub, &k_int_type)) {
        if (!byte_value(sub, "byte must be in range(0, 256)", byte)) return 0;
        *out = (View){byte, 1};
        return 1;
    }
    k_raise_fmt(&k_TypeError_type, "argument should be integer or bytes-like object, not '%s'", tname(sub));
    return 0;
}

int k_bytes_contains(kval b, kval item) {
    View h, s;
    u8 byte;
    if (!view_of(b, &h)) return -1;
    if (!view_of(item, &s)) {
        if (!k_isinstance(item, &k_int_type)) {
            k_raise_fmt(&k_TypeError_type, "a bytes-like object is required, not '%s'", tname(item));
            return -1;
        }
        if (!byte_value(item, "byte must be in range(0, 256)", &byte)) return -1;
        s = (View){&byte, 1};
    }
    return k_mem_find(h.p, h.n, s.p, s.n) >= 0;
}

static bool range_of(i64 len, kval start, kval end, i64 *lo, i64 *hi) {
    return k_slice_range(len, start, end, lo, hi);
}

static i64 find_common(kval b, kval sub, kval start, kval end, bool reverse) {
    View h, s;
    u8 byte;
    i64 lo, hi;
    if (!view_of(b, &h) || !sub_view(sub, &s, &byte) || !range_of(h.n, start, end, &lo, &hi)) return -2;
    if (hi - lo < s.n) return -1;
    i64 at = reverse ? k_mem_rfind(h.p + lo, hi - lo, s.p, s.n) : k_mem_find(h.p + lo, hi - lo, s.p, s.n);
    return at < 0 ? -1 : lo + at;
}

i64 k_bytes_find(kval b, kval sub, kval start, kval end) { return find_common(b, sub, start, end, 0); }
i64 k_bytes_rfind(kval b, kval sub, kval start, kval end) { return find_common(b, sub, start, end, 1); }

i64 k_bytes_index(kval b, kval sub, kval start, kval end) {
    i64 r = find_common(b, sub, start, end, 0);
    if (r == -1) k_raise_str(&k_ValueError_type, "subsection not found");
    return r < 0 ? -1 : r;
}

i64 k_bytes_count(kval b, kval sub, kval start, kval end) {
    View h, s;
    u8 byte;
    i64 lo, hi, c = 0, at;
    if (!view_of(b, &h) || !sub_view(sub, &s, &byte) || !range_of(h.n, start, end, &lo, &hi)) return -1;
    if (hi - lo < s.n) return 0;
    if (s.n == 0) return hi - lo + 1;
    for (const u8 *p = h.p + lo, *e = h.p + hi; (at = k_mem_find(p, e - p, s.p, s.n)) >= 0; c++) p += at + s.n;
    return c;
}

static int tail_match(View h, View s, i64 lo, i64 hi, bool at_end) {
    if (hi - s.n < lo) return 0;
    return s.n == 0 || __builtin_memcmp(h.p + (at_end ? hi - s.n : lo), s.p, (u64)s.n) == 0;
}

static int starts_ends(kval b, kval fix, kval start, kval end, bool at_end) {
    const char *name = at_end ? "endswith" : "startswith";
    View h, s;
    i64 lo, hi;
    if (!view_of(b, &h) || !range_of(h.n, start, end, &lo, &hi)) return -1;
    if (view_of(fix, &s)) return tail_match(h, s, lo, hi, at_end);
    if (!k_isinstance(fix, &k_tuple_type)) {
        k_raise_fmt(&k_TypeError_type, "%s first arg must be bytes or a tuple of bytes, not %s", name, tname(fix));
        return -1;
    }
    for (i64 i = 0; i < k_tuple_len_fast(fix); i++) {
        if (!view_of(k_tuple_get_fast(fix, i), &s)) {
            k_raise_fmt(&k_TypeError_type, "a bytes-like object is required, not '%s'", tname(k_tuple_get_fast(fix, i)));
            return -1;
        }
        if (tail_match(h, s, lo, hi, at_end)) return 1;
    }
    return 0;
}

int k_bytes_startswith(kval b, kval prefix, kval start, kval end) { return starts_ends(b, prefix, start, end, 0); }
int k_bytes_endswith(kval b, kval suffix, kval start, kval end) { return starts_ends(b, suffix, start, end, 1); }

/* ---- split, join, strip, replace ---- */

static bool is_ascii_space(u8 c) { return c == ' ' || (c >= 9 && c <= 13); }

static void add_piece(kval list, const u8 *p, i64 n) { k_list_append_steal(list, k_bytes_from(p, n)); }

kval k_bytes_split(kval b, kval sep, i64 maxsplit) {
    View h = {k_bytes_data(b), k_bytes_len(b)}, s;
    if (maxsplit < 0) maxsplit = 1LL << 62;
    kval list = k_list_new(0);
    if (sep == k_None) {
        const u8 *p = h.p, *end = h.p + h.n;
        for (;;) {
            while (p < end && is_ascii_space(*p)) p++;
            if (p == end) break;
            const u8 *w = p;
            if (maxsplit-- == 0) p = end;
            else while (p < end && !is_ascii_space(*p)) p++;
            add_piece(list, w, p - w);
        }
        return list;
    }
    if (!need_view(sep, &s)) { k_decref(list); return 0; }
    if (s.n == 0) {
        k_decref(list);
        k_raise_str(&k_ValueError_type, "empty separator");
        return 0;
    }
    i64 at;
    while (maxsplit-- > 0 && (at = k_mem_find(h.p, h.n, s.p, s.n)) >= 0) {
        add_piece(list, h.p, at);
        h.p += at + s.n;
        h.n -= at + s.n;
    }
    add_piece(list, h.p, h.n);
    return list;
}

kval k_bytes_join(kval sep, kval iterable) {
    kval list = k_list_from_iter(iterable);
    if (!list) return 0;
    i64 n = k_list_len_fast(list), total = 0;
    View v;
    for (i64 i = 0; i < n; i++) {
        if (!view_of(k_list_get_fast(list, i), &v)) {
            k_raise_fmt(&k_TypeError_type, "sequence item %d: expected a bytes-like object, %s found", i,
                        tname(k_list_get_fast(list, i)));
            k_decref(list);
            return 0;
        }
        total += v.n + (i ? k_bytes_len(sep) : 0);
    }
    kval r = k_bytes_new_raw(total);
    u8 *w = total ? bytes_wdata(r) : 0;
    for (i64 i = 0; i < n; i++) {
        if (i) { __builtin_memcpy(w, k_bytes_data(sep), (u64)k_bytes_len(sep)); w += k_bytes_len(sep); }
        view_of(k_list_get_fast(list, i), &v);
        if (v.n) __builtin_memcpy(w, v.p, (u64)v.n);
        w += v.n;
    }
    k_decref(list);
    return r;
}

static bool in_set(u8 c, View set, bool ws) {
    if (ws) return is_ascii_space(c);
    for (i64 i = 0; i < set.n; i++)
        if (set.p[i] == c) return 1;
    return 0;
}

static kval strip(kval b, kval chars, bool left, bool right) {
    View set = {0, 0};
    bool ws = chars == k_None;
    if (!ws && !need_view(chars, &set)) return 0;
    const u8 *p = k_bytes_data(b), *e = p + k_bytes_len(b);
    while (left && p < e && in_set(*p, set, ws)) p++;
    while (right && e > p && in_set(e[-1], set, ws)) e--;
    if (e - p == k_bytes_len(b)) return k_newref(b);
    return k_bytes_from(p, e - p);
}

kval k_bytes_strip(kval b, kval chars) { return strip(b, chars, 1, 1); }
kval k_bytes_lstrip(kval b, kval chars) { return strip(b, chars, 1, 0); }
kval k_bytes_rstrip(kval b, kval chars) { return strip(b, chars, 0, 1); }

typedef struct { u8 *p; i64 n, cap; } BBuf;

static void bb_put(BBuf *b, const u8 *p, i64 n) {
    if (b->n + n > b->cap) {
        i64 cap = (b->n + n) * 2 + 32;
        b->p = k_mrealloc(b->p, (u64)b->n, (u64)cap);
        b->cap = cap;
    }
    if (n) __builtin_memcpy(b->p + b->n, p, (u64)n);
    b->n += n;
}

static kval bb_bytes(BBuf *b) {
    kval r = k_bytes_from(b->p, b->n);
    k_mfree(b->p);
    return r;
}

kval k_bytes_replace(kval b, kval old, kval new_, i64 count) {
    View h = {k_bytes_data(b), k_bytes_len(b)}, o, nw;
    if (!need_view(old, &o) || !need_view(new_, &nw)) return 0;
    if (count < 0) count = 1LL << 62;
    BBuf out = {0};
    i64 at;
    if (o.n == 0) {
        for (i64 i = 0; i <= h.n; i++) {
            if (count-- > 0) bb_put(&out, nw.p, nw.n);
            else { bb_put(&out, h.p + i, h.n - i); break; }
            if (i < h.n) bb_put(&out, h.p + i, 1);
        }
        return bb_bytes(&out);
    }
    while (count-- > 0 && (at = k_mem_find(h.p, h.n, o.p, o.n)) >= 0) {
        bb_put(&out, h.p, at);
        bb_put(&out, nw.p, nw.n);
        h.p += at + o.n;
        h.n -= at + o.n;
    }
    bb_put(&out, h.p, h.n);
    return bb_bytes(&out);
}

/* ---- hex, repr ---- */

static const char hexd[] = "0123456789abcdef";

static kval hex_of(View v) {
    kval s = k_str_new_raw(2 * v.n, 2 * v.n);
    u8 *w = (u8 *)k_str_data(s);
    for (i64 i = 0; i < v.n; i++) {
        w[2 * i] = (u8)hexd[v.p[i] >> 4];
        w[2 * i + 1] = (u8)hexd[v.p[i] & 15];
    }
    return s;
}

kval k_bytes_hex(kval b) {
    View v;
    return need_view(b, &v) ? hex_of(v) : 0;
}

static int hex_digit(u8 c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* bytes.fromhex(s) / bytearray.fromhex(s): pairs of hex digits, ASCII whitespace allowed
   between pairs, CPython's ValueError at the first character out of place. */
kval k_bytes_fromhex(kval s, bool bytearray) {
    const u8 *p = k_str_data(s);
    i64 n = k_str_nbytes(s), len = 0, i = 0;
    u8 *out = k_malloc((u64)n / 2 + 1);
    while (i < n) {
        if (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')) { i++; continue; }
        int hi = hex_digit(p[i]), lo = i + 1 < n ? hex_digit(p[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            k_mfree(out);
            i64 at = hi < 0 ? i : i + 1;       /* a character index: s is ASCII up to here */
            for (i64 j = 0; j < at; j++) if (p[j] & 0x80) at -= (p[j] & 0xC0) == 0x80;
            k_raise_fmt(&k_ValueError_type, "non-hexadecimal number found in fromhex() arg at position %d", at);
            return 0;
        }
        out[len++] = (u8)(hi << 4 | lo);
        i += 2;
    }
    kval r = bytearray ? k_bytearray_new(out, len) : k_bytes_from(out, len);
    k_mfree(out);
    return r;
}

/* b'...' as CPython writes it; prefix/suffix wrap it (bytearray(...)). */
static kval repr_of(View v, const char *prefix, const char *suffix, bool always_escape_sq) {
    BBuf out = {0};
    bool sq = 0, dq = 0;
    for (i64 i = 0; i < v.n; i++) {
        sq |= v.p[i] == '\'';
        dq |= v.p[i] == '"';
    }
    u8 quote = sq && !dq ? '"' : '\'';
    for (const char *p = prefix; *p; p++) bb_put(&out, (const u8 *)p, 1);
    bb_put(&out, (const u8 *)"b", 1);
    bb_put(&out, &quote, 1);
    for (i64 i = 0; i < v.n; i++) {
        u8 c = v.p[i], esc[4] = {'\\', c, 0, 0};
        if (c == quote || c == '\\' || (c == '\'' && always_escape_sq)) bb_put(&out, esc, 2);
        else if (c == '\t' || c == '\n' || c == '\r') { esc[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r'; bb_put(&out, esc, 2); }
        else if (c < 0x20 || c >= 0x7f) { esc[1] = 'x'; esc[2] = (u8)hexd[c >> 4]; esc[3] = (u8)hexd[c & 15]; bb_put(&out, esc, 4); }
        else bb_put(&out, &c, 1);
    }
    bb_put(&out, &quote, 1);
    for (const char *p = suffix; *p; p++) bb_put(&out, (const u8 *)p, 1);
    kval r = k_str_from_ascii((const char *)out.p, out.n);
    k_mfree(out.p);
    return r;
}

kval k_bytes_repr(kval b) { return repr_of((View){k_bytes_data(b), k_bytes_len(b)}, "", "", 0); }

/* ---- hash, comparison ---- */

i64 k_bytes_hash(kval b) {
    KBytes *k = (KBytes *)b;
    if (k->hash == -1) k->hash = k_hash_bytes(k->data, k->len);
    return k->hash;
}

static int compare_views(View a, View b, int op) {
    if ((op == K_EQ || op == K_NE) && a.n != b.n) return op == K_NE;
    i64 m = a.n < b.n ? a.n : b.n;
    int c = m ? __builtin_memcmp(a.p, b.p, (u64)m) : 0;
    if (c == 0) c = a.n < b.n ? -1 : a.n > b.n;
    return k_cmp_holds(c, op);
}

int k_bytes_richcmp(kval a, kval b, int op) {
    View va, vb;
    if (!view_of(a, &va) || !view_of(b, &vb)) return 2;
    return compare_views(va, vb, op);
}

i64 k_bytes_len_of(kval b) {
    View v;
    return need_view(b, &v) ? v.n : -1;
}

/* ---- codecs ---- */

/* Lower-case, '-' and ' ' as '_': CPython's normalisation before alias lookup. */
const char *k_codec_name(kval encoding) {
    static const char *const utf8[] = {"utf_8", "utf8", "u8", "utf", "cp65001", 0};
    static const char *const ascii[] = {"ascii", "us_ascii", "646", "us", 0};
    static const char *const latin1[] = {"latin_1", "latin1", "iso_8859_1", "iso8859_1", "8859", "cp819", "l1",
                                         "latin", "iso_ir_100", "csisolatin1", 0};
    static const char *const *const tables[] = {utf8, ascii, latin1};
    static const char *const canonical[] = {"utf-8", "ascii", "latin-1"};
    char norm[32];
    i64 n = k_str_nbytes(encoding);
    for (i64 i = 0; i < n && i < 31; i++) {
        u8 c = k_str_data(encoding)[i];
        norm[i] = (char)(c == '-' || c == ' ' ? '_' : c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    norm[n < 31 ? n : 31] = 0;
    for (int t = 0; t < 3 && n < 31; t++)
        for (const char *const *a = tables[t]; *a; a++) {
            i64 i = 0;
            while ((*a)[i] && (*a)[i] == norm[i]) i++;
            if (!(*a)[i] && !norm[i]) return canonical[t];
        }
    k_raise_fmt(&k_LookupError_type, "unknown encoding: %S", encoding);
    return 0;
}

/* The error handler: 0 strict, 1 ignore, 2 replace, -1 unknown (an error only when used). */
int k_codec_errors(kval errors) {
    static const char *const names[] = {"strict", "ignore", "replace"};
    if (errors == k_None) return 0;
    for (int m = 0; m < 3; m++) {
        i64 i = 0;
        while (names[m][i] && i < k_str_nbytes(errors) && names[m][i] == k_str_data(errors)[i]) i++;
        if (!names[m][i] && i == k_str_nbytes(errors)) return m;
    }
    return -1;
}

static void decode_error(const char *codec, View v, i64 start, i64 end, const char *reason, kval errors) {
    if (k_codec_errors(errors) < 0) {
        k_raise_fmt(&k_LookupError_type, "unknown error handler name '%S'", errors);
        return;
    }
    if (end - start == 1) {
        char hx[3] = {hexd[v.p[start] >> 4], hexd[v.p[start] & 15], 0};
        k_raise_fmt(&k_UnicodeDecodeError_type, "'%s' codec can't decode byte 0x%s in position %d: %s", codec, hx,
                    start, reason);
        return;
    }
    k_raise_fmt(&k_UnicodeDecodeError_type, "'%s' codec can't decode bytes in position %d-%d: %s", codec, start,
                end - 1, reason);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 with *bad set to the length of
 * the maximal invalid subpart and *reason. */
static int utf8_seq(const u8 *p, i64 avail, i64 *bad, const char **reason) {
    u8 c = p[0];
    if (c < 0x80) return 1;
    int need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!need) { *bad = 1; *reason = "invalid start byte"; return 0; }
    u8 lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    u8 hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (int i = 1; i < need; i++) {
        if (i >= avail) { *bad = i; *reason = "unexpected end of data"; return 0; }
        u8 b = p[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) { *bad = i; *reason = "invalid continuation byte"; return 0; }
    }
    return need;
}

static kval decode_utf8(View v, kval errors) {
    BBuf out = {0};
    i64 i = 0, start = 0;
    static const u8 repl[3] = {0xEF, 0xBF, 0xBD};
    while (i < v.n) {
        i64 bad;
        const char *reason;
        int m = utf8_seq(v.p + i, v.n - i, &bad, &reason);
        if (m) { i += m; continue; }
        int h = k_codec_errors(errors);
        if (h <= 0) {
            decode_error("utf-8", v, i, i + bad, reason, errors);
            k_mfree(out.p);
            return 0;
        }
        bb_put(&out, v.p + start, i - start);
        if (h == 2) bb_put(&out, repl, 3);
        i += bad;
        start = i;
    }
    if (start == 0) return k_str_from_utf8(v.p, v.n);
    bb_put(&out, v.p + start, v.n - start);
    kval r = k_str_from_utf8(out.p, out.n);
    k_mfree(out.p);
    return r;
}

static kval decode_narrow(View v, bool ascii, kval errors) {
    BBuf out = {0};
    static const u8 repl[3] = {0xEF, 0xBF, 0xBD};
    for (i64 i = 0; i < v.n; i++) {
        u8 c = v.p[i], enc[2];
        if (c < 0x80) { bb_put(&out, &c, 1); continue; }
        if (!ascii) { bb_put(&out, enc, k_utf8_encode(c, enc)); continue; }
        int h = k_codec_errors(errors);
        if (h <= 0) {
            decode_error("ascii", v, i, i + 1, "ordinal not in range(128)", errors);
            k_mfree(out.p);
            return 0;
        }
        if (h == 2) bb_put(&out, repl, 3);
    }
    kval r = k_str_from_utf8(out.p, out.n);
    k_mfree(out.p);
    return r;
}

static kval decode_view(View v, kval encoding, kval errors) {
    if (v.n == 0) return k_str_empty();      /* CPython decodes b'' without looking the codec up */
    const char *codec = encoding == k_None ? "utf-8" : k_codec_name(encoding);
    if (!codec) return 0;
    if (codec[0] == 'u') return decode_utf8(v, errors);
    return decode_narrow(v, codec[0] == 'a', errors);
}

kval k_bytes_decode(kval b, kval encoding, kval errors) {
    return decode_view((View){k_bytes_data(b), k_bytes_len(b)}, encoding, errors);
}

/* ---- bytearray ---- */

static KByteArray *ba(kval v) { return (KByteArray *)v; }

static void ba_reserve(KByteArray *a, i64 need) {
    if (need <= a->cap) return;
    i64 cap = a->cap * 2 > need ? a->cap * 2 : need;
    if (cap < 16) cap = 16;
    a->data = k_mrealloc(a->data, (u64)a->len, (u64)cap);
    a->cap = cap;
}

kval k_bytearray_new(const u8 *p, i64 n) {
    KByteArray *a = (KByteArray *)k_alloc(&k_bytearray_type, sizeof(KByteArray));
    ba_reserve(a, n);
    if (n) __builtin_memcpy(a->data, p, (u64)n);
    a->len = n;
    return K_VAL(a);
}

kval k_bytearray_from(kval v) {
    View w;
    if (view_of(v, &w)) return k_bytearray_new(w.p, w.n);
    if (k_isinstance(v, &k_int_type)) {
        kval z = k_bytes_zeros(v);
        if (!z) return 0;
        kval r = k_bytearray_new(k_bytes_data(z), k_bytes_len(z));
        k_decref(z);
        return r;
    }
    u8 *buf;
    i64 n;
    if (!collect_ints(v, "byte must be in range(0, 256)", &buf, &n)) return 0;
    kval r = k_bytearray_new(buf, n);
    k_mfree(buf);
    return r;
}

int k_bytearray_append(kval v, kval item) {
    u8 b;
    if (!byte_value(item, "byte must be in range(0, 256)", &b)) return -1;
    ba_reserve(ba(v), ba(v)->len + 1);
    ba(v)->data[ba(v)->len++] = b;
    return 0;
}

/* Whether v has an iter slot (so a TypeError came from an item, not from iter()). */
static bool iterable_type(kval v) {
    for (const KType *t = k_type_of(v); t; t = t->base)
        if (t->iter) return 1;
    return 0;
}

int k_bytearray_extend(kval v, kval iterable) {
    View w;
    u8 *buf = 0;
    i64 n;
    if (view_of(iterable, &w)) {
        if (w.n) {
            buf = k_malloc((u64)w.n);        /* iterable may be v itself */
            __builtin_memcpy(buf, w.p, (u64)w.n);
        }
        n = w.n;
    } else if (!collect_ints(iterable, "byte must be in range(0, 256)", &buf, &n)) {
        if (k_exc_matches(&k_TypeError_type) && !iterable_type(iterable)) {
            k_decref(k_exc_fetch());
            k_raise_fmt(&k_TypeError_type, "can't extend bytearray with %s", tname(iterable));
        }
        return -1;
    }
    ba_reserve(ba(v), ba(v)->len + n);
    if (n) __builtin_memcpy(ba(v)->data + ba(v)->len, buf, (u64)n);
    ba(v)->len += n;
    k_mfree(buf);
    return 0;
}

static bool ba_index(kval v, i64 *i) {
    if (*i < 0) *i += ba(v)->len;
    if (*i >= 0 && *i < ba(v)->len) return 1;
    k_raise_str(&k_IndexError_type, "bytearray index out of range");
    return 0;
}

kval k_bytearray_getitem(kval v, i64 i) {
    return ba_index(v, &i) ? k_int_small(ba(v)->data[i]) : 0;
}

int k_bytearray_setitem(kval v, i64 i, kval item) {
    u8 b;
    if (!byte_value(item, "byte must be in range(0, 256)", &b) || !ba_index(v, &i)) return -1;
    ba(v)->data[i] = b;
    return 0;
}

kval k_bytearray_slice(kval v, kval start, kval stop, kval step) {
    u8 *buf;
    i64 n;
    bool whole;
    if (!slice_view((View){ba(v)->data, ba(v)->len}, start, stop, step, &buf, &n, &whole)) return 0;
    kval r = k_bytearray_new(buf, n);
    k_mfree(buf);
    return r;
}

kval k_bytearray_decode(kval v, kval encoding, kval errors) {
    return decode_view((View){ba(v)->data, ba(v)->len}, encoding, errors);
}

kval k_bytearray_repr(kval v) { return repr_of((View){ba(v)->data, ba(v)->len}, "bytearray(", ")", 1); }

/* ---- iteration (both types) ---- */

typedef struct { KObj hdr; kval seq; i64 i; } KBytesIter;

static void iter_clear(KObj *o) { k_decref(((KBytesIter *)o)->seq); }
static kval iter_self(kval it) { return k_newref(it); }

static kval iter_next(kval v) {
    KBytesIter *it = (KBytesIter *)v;
    View w = {0, 0};
    view_of(it->seq, &w);
    return it->i < w.n ? k_int_small(w.p[it->i++]) : 0;
}

static const KType bytes_iterator_type = {
    .hdr = K_STATIC_HDR(&k_type_type), .name = "bytes_iterator", .module = "builtins", .base = &k_object_type,
    .size = sizeof(KBytesIter), .clear = iter_clear, .iter = iter_self, .next = iter_next,
};

static kval bytes_iter(kval v) {
    KBytesIter *it = (KBytesIter *)k_alloc(&bytes_iterator_type, sizeof(KBytesIter));
    it->seq = k_newref(v);
    return K_VAL(it);
}

/* ---- the types ---- */

static i64 view_len(kval v) { View w = {0, 0}; view_of(v, &w); return w.n; }
static void bytearray_clear(KObj *o) { k_mfree(((KByteArray *)o)->data); }

const KType k_bytes_type = {
    .hdr = K_STATIC_HDR(&k_type_type), .name = "bytes", .module = "builtins", .base = &k_object_type,
    .size = sizeof(KBytes), .repr = k_bytes_repr, .hash = k_bytes_hash, .richcmp = k_bytes_richcmp,
    .len = view_len, .iter = bytes_iter, .contains = k_bytes_contains,
};

const KType k_bytearray_type = {
    .hdr = K_STATIC_HDR(&k_type_type), .name = "bytearray", .module = "builtins", .base = &k_object_type,
    .size = sizeof(KByteArray), .clear = bytearray_clear, .repr = k_bytearray_repr, .hash = k_hash_unhashable,
    .richcmp = k_bytes_richcmp, .len = view_len, .iter = bytes_iter, .contains = k_bytes_contains,
};
