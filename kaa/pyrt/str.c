/* Python `str` objects: construction, comparison, hashing, indexing, slicing,
 * iteration and repr. Layout: str.h. The methods live in str_methods.c.
 *
 * Representation choices and their costs:
 *   - UTF-8 storage keeps output (printing, sockets) a plain copy, and byte-wise
 *     comparison of UTF-8 is code point order, so comparisons are memcmp.
 *     Lone surrogates (chr(0xD800)) are stored as their 3-byte generalised UTF-8
 *     form; only encode() refuses them.
 *   - Indexing by code point: ASCII strings (nbytes == length) are O(1); other strings
 *     scan the UTF-8 from the nearer end, O(n) per index (no index cache yet), so a
 *     loop `for i in range(len(s)): s[i]` over non-ASCII text is quadratic.
 *   - Substring search is byte-wise (UTF-8 is self-synchronising, so a match of valid
 *     UTF-8 in valid UTF-8 starts on a character boundary): a first/last-byte scan for
 *     short inputs, Horspool for needles of 4+ bytes in 256+ bytes; O(n*m) in the worst
 *     case (CPython's two-way search would bound it; not done).
 *   - hash() is CPython's: SipHash-1-3 with a zero key (PYTHONHASHSEED=0) over the
 *     canonical form CPython hashes: each code point as 1, 2 or 4 little-endian bytes,
 *     the narrowest width that holds the string's largest code point. Cached in `hash`.
 *   - The 256 one-character strings of Latin-1 and '' are static objects; str iteration
 *     and indexing return them without allocating.
 */
#include "str.h"
#include "int.h"
#include "slice.h"

/* ---- UTF-8 ---- */

u32 k_utf8_decode(const u8 *p, i64 *adv) {
    u8 b = p[0];
    if (b < 0x80) { *adv = 1; return b; }
    if (b < 0xE0) { *adv = 2; return ((u32)(b & 0x1F) << 6) | (p[1] & 0x3F); }
    if (b < 0xF0) { *adv = 3; return ((u32)(b & 0x0F) << 12) | ((u32)(p[1] & 0x3F) << 6) | (p[2] & 0x3F); }
    *adv = 4;
    return ((u32)(b & 0x07) << 18) | ((u32)(p[1] & 0x3F) << 12) | ((u32)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

int k_utf8_encode(u32 cp, u8 *out) {
    if (cp < 0x80) { out[0] = (u8)cp; return 1; }
    if (cp < 0x800) { out[0] = (u8)(0xC0 | (cp >> 6)); out[1] = (u8)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (u8)(0xE0 | (cp >> 12)); out[1] = (u8)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (u8)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (u8)(0xF0 | (cp >> 18)); out[1] = (u8)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (u8)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (u8)(0x80 | (cp & 0x3F));
    return 4;
}

static inline int utf8_len(u32 cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

/* ---- construction ---- */

/* The one-character strings U+0000..U+00FF, static. */
typedef struct { KStr s; u8 d[3]; } KStr1;
#define L1(c) {{K_STATIC_HDR(&k_str_type), (c) < 0x80 ? 1 : 2, 1, -1}, \
    {(c) < 0x80 ? (c) : 0xC0 | ((c) >> 6), (c) < 0x80 ? 0 : 0x80 | ((c) & 0x3F), 0}}
#define L4(c) L1(c), L1((c) + 1), L1((c) + 2), L1((c) + 3)
#define L16(c) L4(c), L4((c) + 4), L4((c) + 8), L4((c) + 12)
#define L64(c) L16(c), L16((c) + 16), L16((c) + 32), L16((c) + 48)
static KStr1 latin1[256] = {L64(0), L64(64), L64(128), L64(192)};
K_STR_LITERAL(empty_str, "", 0, 0);

kval k_str_empty(void) { return K_STR_LIT(empty_str); }

kval k_str_new_raw(i64 nbytes, i64 length) {
    if (nbytes == 0) return K_STR_LIT(empty_str);
    KStr *s = (KStr *)k_alloc(&k_str_type, sizeof(KStr) + (u64)nbytes + 1);
    s->nbytes = nbytes;
    s->length = length;
    s->hash = -1;
    return K_VAL(s);
}

static inline u8 *str_wdata(kval s) { return ((KStr *)s)->data; }

kval k_str_char(u32 cp) {
    if (cp < 256) return K_VAL(&latin1[cp].s);
    kval s = k_str_new_raw(utf8_len(cp), 1);
    k_utf8_encode(cp, str_wdata(s));
    return s;
}

kval k_str_from_utf8(const u8 *p, i64 n) {
    i64 len = 0;
    for (i64 i = 0; i < n; i++) len += (p[i] & 0xC0) != 0x80;
    if (len == 1 && p[0] < 0xC4) return K_VAL(&latin1[k_utf8_decode(p, &len)].s);
    kval s = k_str_new_raw(n, len);
    if (n) __builtin_memcpy(str_wdata(s), p, (u64)n);
    return s;
}

kval k_str_from_ascii(const char *p, i64 n) {
    if (n == 1) return K_VAL(&latin1[(u8)p[0]].s);
    kval s = k_str_new_raw(n, n);
    if (n) __builtin_memcpy(str_wdata(s), p, (u64)n);
    return s;
}

kval k_str_from_cstr(const char *p) {
    i64 n = 0;
    while (p[n]) n++;
    return k_str_from_utf8((const u8 *)p, n);
}

kval k_str_from_codepoints(const u32 *cps, i64 n) {
    i64 nb = 0;
    for (i64 i = 0; i < n; i++) nb += utf8_len(cps[i]);
    if (n == 1) return k_str_char(cps[0]);
    kval s = k_str_new_raw(nb, n);
    u8 *w = nb ? str_wdata(s) : 0;
    for (i64 i = 0; i < n; i++) w += k_utf8_encode(cps[i], w);
    return s;
}

/* ---- indexing ---- */

const u8 *k_str_offset(kval s, i64 i) {
    const KStr *k = (const KStr *)s;
    if (k->nbytes == k->length) return k->data + i;
    const u8 *p;
    if (i <= k->length / 2) {
        p = k->data;
        for (; i > 0; i--) do p++; while ((*p & 0xC0) == 0x80);
    } else {
        p = k->data + k->nbytes;
        for (i = k->length - i; i > 0; i--) do p--; while ((*p & 0xC0) == 0x80);
    }
    return p;
}

kval k_str_getitem(kval s, i64 i) {
    i64 n = k_str_len(s);
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        k_raise_str(&k_IndexError_type, "string index out of range");
        return 0;
    }
    i64 adv;
    return k_str_char(k_utf8_decode(k_str_offset(s, i), &adv));
}

kval k_str_substr(kval s, i64 lo, i64 hi) {
    if (lo == 0 && hi == k_str_len(s)) return k_newref(s);
    const u8 *a = k_str_offset(s, lo);
    if (k_str_is_ascii(s)) return k_str_from_ascii((const char *)a, hi - lo);
    const u8 *b = a;
    for (i64 i = lo; i < hi; i++) do b++; while ((*b & 0xC0) == 0x80);
    if (hi - lo == 1 && a[0] < 0xC4) return K_VAL(&latin1[k_utf8_decode(a, &lo)].s);
    kval r = k_str_new_raw(b - a, hi - lo);
    if (b > a) __builtin_memcpy(str_wdata(r), a, (u64)(b - a));
    return r;
}

/* Byte offsets of every code point (and the end) of a non-ASCII string. */
static i64 *str_offsets(kval s) {
    i64 n = k_str_len(s);
    i64 *off = k_malloc((u64)(n + 1) * sizeof(i64));
    const u8 *d = k_str_data(s);
    i64 pos = 0;
    for (i64 i = 0; i < n; i++) {
        off[i] = pos;
        do pos++; while ((d[pos] & 0xC0) == 0x80);
    }
    off[n] = pos;
    return off;
}

static kval str_gather(kval s, i64 lo, i64 st, i64 count) {
    const u8 *d = k_str_data(s);
    if (k_str_is_ascii(s)) {
        kval r = k_str_new_raw(count, count);
        for (i64 i = 0; i < count; i++) str_wdata(r)[i] = d[lo + i * st];
        return count == 1 ? (k_decref(r), k_str_char(d[lo])) : r;
    }
    i64 *off = str_offsets(s);
    i64 nb = 0;
    for (i64 i = 0, j = lo; i < count; i++, j += st) nb += off[j + 1] - off[j];
    kval r = k_str_new_raw(nb, count);
    u8 *w = str_wdata(r);
    for (i64 i = 0, j = lo; i < count; i++, j += st) {
        __builtin_memcpy(w, d + off[j], (u64)(off[j + 1] - off[j]));
        w += off[j + 1] - off[j];
    }
    k_mfree(off);
    if (count == 1) {
        i64 adv;
        kval c = k_str_char(k_utf8_decode(k_str_data(r), &adv));
        k_decref(r);
        return c;
    }
    return r;
}

kval k_str_slice(kval s, kval start, kval stop, kval step) {
    i64 lo, hi, st, count;
    if (!k_slice_indices(k_str_len(s), start, stop, step, &lo, &hi, &st, &count)) return 0;
    if (count <= 0) return K_STR_LIT(empty_str);
    if (st == 1) return k_str_substr(s, lo, lo + count);
    return str_gather(s, lo, st, count);
}

/* ---- concatenation and repetition ---- */

kval k_str_concat(kval a, kval b) {
    if (!k_is_str(b)) {
        k_raise_fmt(&k_TypeError_type, "can only concatenate str (not \"%s\") to str", k_type_of(b)->name);
        return 0;
    }
    kval parts[2] = {a, b};
    return k_str_join_parts(parts, 2);
}

kval k_str_join_parts(const kval *parts, i64 n) {
    i64 nb = 0, len = 0;
    for (i64 i = 0; i < n; i++) {
        nb += k_str_nbytes(parts[i]);
        len += k_str_len(parts[i]);
    }
    if (len == 0) return K_STR_LIT(empty_str);
    for (i64 i = 0; i < n; i++)      /* the only non-empty part: share it */
        if (k_str_len(parts[i]) == len) return k_newref(parts[i]);
    kval r = k_str_new_raw(nb, len);
    u8 *w = str_wdata(r);
    for (i64 i = 0; i < n; i++) {
        __builtin_memcpy(w, k_str_data(parts[i]), (u64)k_str_nbytes(parts[i]));
        w += k_str_nbytes(parts[i]);
    }
    return r;
}

kval k_str_mul(kval s, i64 n) {
    i64 nb = k_str_nbytes(s), total;
    if (n <= 0 || nb == 0) return K_STR_LIT(empty_str);
    if (n == 1) return k_newref(s);
    if (__builtin_mul_overflow(nb, n, &total) || total > (1LL << 48)) {
        k_raise_str(&k_OverflowError_type, "repeated string is too long");
        return 0;
    }
    kval r = k_str_new_raw(total, k_str_len(s) * n);
    u8 *w = str_wdata(r);
    __builtin_memcpy(w, k_str_data(s), (u64)nb);
    for (i64 done = nb; done < total;) {      /* double the filled prefix */
        i64 chunk = done < total - done ? done : total - done;
        __builtin_memcpy(w + done, w, (u64)chunk);
        done += chunk;
    }
    return r;
}

/* ---- search ---- */

/* Boyer-Moore-Horspool: shift by the distance from the last occurrence (in the needle,
 * last byte excluded) of the haystack byte under the needle's last byte. */
static i64 horspool(const u8 *h, i64 hn, const u8 *nd, i64 nn) {
    i64 skip[256];
    for (int c = 0; c < 256; c++) skip[c] = nn;
    for (i64 i = 0; i < nn - 1; i++) skip[nd[i]] = nn - 1 - i;
    u8 last = nd[nn - 1];
    for (i64 i = 0; i + nn <= hn; i += skip[h[i + nn - 1]])
        if (h[i + nn - 1] == last && __builtin_memcmp(h + i, nd, (u64)nn - 1) == 0) return i;
    return -1;
}

i64 k_mem_find(const u8 *h, i64 hn, const u8 *nd, i64 nn) {
    if (nn == 0) return 0;
    if (nn >= 4 && hn >= 256) return horspool(h, hn, nd, nn);
    u8 first = nd[0], last = nd[nn - 1];
    for (i64 i = 0; i + nn <= hn; i++)
        if (h[i] == first && h[i + nn - 1] == last && __builtin_memcmp(h + i, nd, (u64)nn) == 0) return i;
    return -1;
}

i64 k_mem_rfind(const u8 *h, i64 hn, const u8 *nd, i64 nn) {
    if (nn == 0) return hn;
    for (i64 i = hn - nn; i >= 0; i--)
        if (h[i] == nd[0] && __builtin_memcmp(h + i, nd, (u64)nn) == 0) return i;
    return -1;
}

int k_str_contains(kval s, kval sub) {
    if (!k_is_str(sub)) {
        k_raise_fmt(&k_TypeError_type, "'in <string>' requires string as left operand, not %s", k_type_of(sub)->name);
        return -1;
    }
    return k_mem_find(k_str_data(s), k_str_nbytes(s), k_str_data(sub), k_str_nbytes(sub)) >= 0;
}

/* ---- comparison and hashing ---- */

bool k_str_eq(kval a, kval b) {
    if (a == b) return 1;
    i64 n = k_str_nbytes(a);
    if (n != k_str_nbytes(b)) return 0;
    i64 ha = ((KStr *)a)->hash, hb = ((KStr *)b)->hash;
    if (ha != -1 && hb != -1 && ha != hb) return 0;
    return __builtin_memcmp(k_str_data(a), k_str_data(b), (u64)n) == 0;
}

int k_str_richcmp(kval a, kval b, int op) {
    if (!k_is_str(b)) return 2;
    if (op == K_EQ || op == K_NE) return k_str_eq(a, b) == (op == K_EQ);
    i64 na = k_str_nbytes(a), nb = k_str_nbytes(b);
    int c = __builtin_memcmp(k_str_data(a), k_str_data(b), (u64)(na < nb ? na : nb));
    if (c == 0) c = na < nb ? -1 : na > nb;
    return k_cmp_holds(c, op);
}

/* SipHash-1-3 (Aumasson and Bernstein), key (0, 0), fed a byte stream in 8-byte words. */
typedef struct { u64 v0, v1, v2, v3, word; i64 total; } KSip;

static inline u64 rotl(u64 x, int b) { return (x << b) | (x >> (64 - b)); }

static void sip_round(KSip *s) {
    s->v0 += s->v1; s->v1 = rotl(s->v1, 13) ^ s->v0; s->v0 = rotl(s->v0, 32);
    s->v2 += s->v3; s->v3 = rotl(s->v3, 16) ^ s->v2;
    s->v0 += s->v3; s->v3 = rotl(s->v3, 21) ^ s->v0;
    s->v2 += s->v1; s->v1 = rotl(s->v1, 17) ^ s->v2; s->v2 = rotl(s->v2, 32);
}

static void sip_init(KSip *s) {
    s->v0 = 0x736f6d6570736575ULL; s->v1 = 0x646f72616e646f6dULL;
    s->v2 = 0x6c7967656e657261ULL; s->v3 = 0x7465646279746573ULL;
    s->word = 0; s->total = 0;
}

static void sip_compress(KSip *s, u64 m) {
    s->v3 ^= m;
    sip_round(s);
    s->v0 ^= m;
}

static inline void sip_byte(KSip *s, u8 b) {
    s->word |= (u64)b << (8 * (s->total & 7));
    if ((++s->total & 7) == 0) { sip_compress(s, s->word); s->word = 0; }
}

static i64 sip_final(KSip *s) {
    sip_compress(s, s->word | ((u64)s->total << 56));
    s->v2 ^= 0xff;
    sip_round(s); sip_round(s); sip_round(s);
    i64 h = (i64)(s->v0 ^ s->v1 ^ s->v2 ^ s->v3);
    return h == -1 ? -2 : h;
}

i64 k_hash_bytes(const u8 *p, i64 n) {
    if (n == 0) return 0;
    KSip s;
    sip_init(&s);
    i64 i = 0;
    for (; i + 8 <= n; i += 8) {
        u64 m;
        __builtin_memcpy(&m, p + i, 8);      /* x86-64: little-endian, as SipHash reads */
        sip_compress(&s, m);
    }
    s.total = i;
    for (; i < n; i++) sip_byte(&s, p[i]);
    return sip_final(&s);
}

static i64 hash_wide(kval str) {
    const u8 *d = k_str_data(str), *end = d + k_str_nbytes(str);
    u32 max = 0;
    for (const u8 *p = d; p < end;) {
        i64 adv;
        u32 cp = k_utf8_decode(p, &adv);
        max = cp > max ? cp : max;
        p += adv;
    }
    int width = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
    KSip s;
    sip_init(&s);
    for (const u8 *p = d; p < end;) {
        i64 adv;
        u32 cp = k_utf8_decode(p, &adv);
        for (int b = 0; b < width; b++) sip_byte(&s, (u8)(cp >> (8 * b)));
        p += adv;
    }
    return sip_final(&s);
}

i64 k_str_hash(kval s) {
    KStr *k = (KStr *)s;
    if (k->hash != -1) return k->hash;
    k->hash = k->nbytes == k->length ? k_hash_bytes(k->data, k->nbytes) : hash_wide(s);
    return k->hash;
}

/* ---- repr ---- */

static const char hexdigits[] = "0123456789abcdef";

/* The escaped form of one code point (as CPython's repr), written to out; returns its length. */
static int repr_char(u32 c, u32 quote, u8 *out) {
    int n = 0;
    if (c == quote || c == '\\') { out[0] = '\\'; out[1] = (u8)c; return 2; }
    if (c == '\t' || c == '\n' || c == '\r') {
        out[0] = '\\'; out[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        return 2;
    }
    if (c >= 0x20 && c < 0x7f) { out[0] = (u8)c; return 1; }
    if (c >= 0x80 && (k_uc_flags(c) & K_UC_PRINTABLE)) return k_utf8_encode(c, out);
    int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
    out[n++] = '\\';
    out[n++] = digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
    for (int i = digits - 1; i >= 0; i--) out[n++] = (u8)hexdigits[(c >> (4 * i)) & 0xF];
    return n;
}

kval k_str_repr(kval s) {
    const u8 *d = k_str_data(s), *end = d + k_str_nbytes(s);
    bool has_sq = 0, has_dq = 0;
    for (const u8 *p = d; p < end; p++) {
        has_sq |= *p == '\'';
        has_dq |= *p == '"';
    }
    u32 quote = has_sq && !has_dq ? '"' : '\'';
    i64 nb = 2, len = 2;
    u8 buf[10];
    for (const u8 *p = d; p < end;) {        /* measure, then write */
        i64 adv;
        u32 c = k_utf8_decode(p, &adv);
        int m = repr_char(c, quote, buf);
        nb += m;
        len += (c >= 0x80 && m == adv) ? 1 : m;
        p += adv;
    }
    kval r = k_str_new_raw(nb, len);
    u8 *w = str_wdata(r);
    *w++ = (u8)quote;
    for (const u8 *p = d; p < end;) {
        i64 adv;
        w += repr_char(k_utf8_decode(p, &adv), quote, w);
        p += adv;
    }
    *w = (u8)quote;
    return r;
}

/* ---- ord, chr ---- */

kval k_str_ord(kval s) {
    if (k_str_len(s) != 1) {
        k_raise_fmt(&k_TypeError_type, "ord() expected a character, but string of length %d found", k_str_len(s));
        return 0;
    }
    i64 adv;
    return k_int_small(k_utf8_decode(k_str_data(s), &adv));
}

kval k_str_chr(i64 cp) {
    if (cp < 0 || cp >= 0x110000) {
        k_raise_str(&k_ValueError_type, "chr() arg not in range(0x110000)");
        return 0;
    }
    return k_str_char((u32)cp);
}

/* ---- iteration ---- */

typedef struct { KObj hdr; kval s; i64 pos; /* byte offset of the next character */ } KStrIter;

static void str_iter_clear(KObj *o) { k_decref(((KStrIter *)o)->s); }
static kval str_iter_self(kval it) { return k_newref(it); }

static kval str_iter_next(kval v) {
    KStrIter *it = (KStrIter *)v;
    if (it->pos >= k_str_nbytes(it->s)) return 0;
    i64 adv;
    u32 c = k_utf8_decode(k_str_data(it->s) + it->pos, &adv);
    it->pos += adv;
    return k_str_char(c);
}

const KType k_str_iterator_type = {
    .hdr = K_STATIC_HDR(&k_type_type),
    .name = "str_iterator",
    .module = "builtins",
    .base = &k_object_type,
    .size = sizeof(KStrIter),
    .clear = str_iter_clear,
    .iter = str_iter_self,
    .next = str_iter_next,
};

kval k_str_iter(kval s) {
    KStrIter *it = (KStrIter *)k_alloc(&k_str_iterator_type, sizeof(KStrIter));
    it->s = k_newref(s);
    return K_VAL(it);
}

/* ---- the type ---- */

static kval str_str(kval s) { return k_newref(s); }
static i64 str_len(kval s) { return k_str_len(s); }

const KType k_str_type = {
    .hdr = K_STATIC_HDR(&k_type_type),
    .name = "str",
    .module = "builtins",
    .base = &k_object_type,
    .size = sizeof(KStr),
    .repr = k_str_repr,
    .str = str_str,
    .hash = k_str_hash,
    .richcmp = k_str_richcmp,
    .len = str_len,
    .iter = k_str_iter,
    .contains = k_str_contains,
};
