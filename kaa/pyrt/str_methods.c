/* The methods of `str` (split, join, strip, case mapping, find, replace, predicates,
 * padding, encode...), with CPython 3.11's semantics and messages.
 *
 * Positions given by Python (start/end arguments, results of find) are code point
 * indexes; the searching itself is byte-wise on the UTF-8 (see str.c), with conversions
 * at the edges: k_str_offset for index -> byte, count_cps for byte -> index.
 * Results are built in an SBuf (a growable UTF-8 buffer counting code points) and
 * copied into an exact-size str at the end. Case mapping decodes to a code point array
 * first, because the final-sigma rule looks at neighbours on both sides.
 */
#include "str.h"
#include "bytes.h"
#include "int.h"
#include "list.h"
#include "tuple.h"
#include "slice.h"

/* ---- helpers ---- */

typedef struct { u8 *p; i64 n, cap, len; } SBuf;   /* n bytes, len code points */

static void sb_reserve(SBuf *b, i64 more) {
    if (b->n + more <= b->cap) return;
    i64 cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->n + more) cap *= 2;
    b->p = k_mrealloc(b->p, (u64)b->n, (u64)cap);
    b->cap = cap;
}

static void sb_put(SBuf *b, const u8 *p, i64 n, i64 ncps) {
    sb_reserve(b, n);
    if (n) __builtin_memcpy(b->p + b->n, p, (u64)n);
    b->n += n;
    b->len += ncps;
}

static void sb_cp(SBuf *b, u32 cp) {
    sb_reserve(b, 4);
    b->n += k_utf8_encode(cp, b->p + b->n);
    b->len++;
}

static kval sb_finish(SBuf *b) {
    kval r = b->len == 1 ? 0 : k_str_new_raw(b->n, b->len);
    if (r && b->n) __builtin_memcpy((u8 *)k_str_data(r), b->p, (u64)b->n);
    if (!r) {
        i64 adv;
        r = k_str_char(k_utf8_decode(b->p, &adv));
    }
    k_mfree(b->p);
    return r;
}

static i64 count_cps(const u8 *p, i64 n) {
    i64 c = 0;
    for (i64 i = 0; i < n; i++) c += (p[i] & 0xC0) != 0x80;
    return c;
}

static kval str_of_bytes(const u8 *p, i64 n) { return k_str_from_utf8(p, n); }

/* Decode a whole string to code points (k_malloc'ed; the caller frees). */
static u32 *to_cps(kval s) {
    i64 n = k_str_len(s);
    u32 *cps = k_malloc((u64)(n ? n : 1) * 4);
    const u8 *p = k_str_data(s);
    for (i64 i = 0; i < n; i++) {
        i64 adv;
        cps[i] = k_utf8_decode(p, &adv);
        p += adv;
    }
    return cps;
}

static inline bool is_space(u32 c) {
    if (c < 0x80) return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
    return (k_uc_flags(c) & K_UC_SPACE) != 0;
}

static const char *type_name(kval v) { return k_type_of(v)->name; }

static bool need_str(kval v) {
    if (k_is_str(v)) return 1;
    k_raise_fmt(&k_TypeError_type, "must be str, not %s", type_name(v));
    return 0;
}

/* start/end arguments (ints or None), adjusted as CPython's ADJUST_INDICES. */
static bool adjust_range(i64 len, kval start, kval end, i64 *lo, i64 *hi) {
    return k_slice_range(len, start, end, lo, hi);
}

/* ---- find, count, startswith ---- */

/* Search sub in s[lo:hi]; the result is a code point index, -1 when absent. */
static i64 find_in(kval s, kval sub, i64 lo, i64 hi, bool reverse) {
    i64 sublen = k_str_len(sub);
    if (hi - lo < sublen) return -1;
    if (sublen == 0) return reverse ? hi : lo;
    const u8 *a = k_str_offset(s, lo), *b = k_str_offset(s, hi);
    i64 at = reverse ? k_mem_rfind(a, b - a, k_str_data(sub), k_str_nbytes(sub))
                     : k_mem_find(a, b - a, k_str_data(sub), k_str_nbytes(sub));
    return at < 0 ? -1 : lo + count_cps(a, at);
}

static i64 find_common(kval s, kval sub, kval start, kval end, bool reverse) {
    i64 lo, hi;
    if (!need_str(sub) || !adjust_range(k_str_len(s), start, end, &lo, &hi)) return -2;
    return find_in(s, sub, lo, hi, reverse);
}

i64 k_str_find(kval s, kval sub, kval start, kval end) { return find_common(s, sub, start, end, 0); }
i64 k_str_rfind(kval s, kval sub, kval start, kval end) { return find_common(s, sub, start, end, 1); }

static i64 index_common(kval s, kval sub, kval start, kval end, bool reverse) {
    i64 r = find_common(s, sub, start, end, reverse);
    if (r == -1) k_raise_str(&k_ValueError_type, "substring not found");
    return r < 0 ? -1 : r;
}

i64 k_str_index(kval s, kval sub, kval start, kval end) { return index_common(s, sub, start, end, 0); }
i64 k_str_rindex(kval s, kval sub, kval start, kval end) { return index_common(s, sub, start, end, 1); }

static i64 count_bytes(const u8 *h, i64 hn, const u8 *nd, i64 nn, i64 limit) {
    i64 c = 0;
    for (i64 at; c < limit && (at = k_mem_find(h, hn, nd, nn)) >= 0; c++) {
        h += at + nn;
        hn -= at + nn;
    }
    return c;
}

i64 k_str_count(kval s, kval sub, kval start, kval end) {
    i64 lo, hi;
    if (!need_str(sub) || !adjust_range(k_str_len(s), start, end, &lo, &hi)) return -1;
    if (hi - lo < k_str_len(sub)) return 0;
    if (k_str_len(sub) == 0) return hi - lo + 1;
    const u8 *a = k_str_offset(s, lo), *b = k_str_offset(s, hi);
    return count_bytes(a, b - a, k_str_data(sub), k_str_nbytes(sub), 1LL << 62);
}

static int tail_match(kval s, kval sub, i64 lo, i64 hi, bool at_end) {
    i64 sublen = k_str_len(sub);
    if (hi - sublen < lo) return 0;
    if (sublen == 0) return 1;
    const u8 *p = k_str_offset(s, at_end ? hi - sublen : lo);
    return __builtin_memcmp(p, k_str_data(sub), (u64)k_str_nbytes(sub)) == 0;
}

static int starts_ends(kval s, kval fix, kval start, kval end, bool at_end) {
    const char *name = at_end ? "endswith" : "startswith";
    i64 lo, hi;
    if (!adjust_range(k_str_len(s), start, end, &lo, &hi)) return -1;
    if (k_is_str(fix)) return tail_match(s, fix, lo, hi, at_end);
    if (!k_isinstance(fix, &k_tuple_type)) {
        k_raise_fmt(&k_TypeError_type, "%s first arg must be str or a tuple of str, not %s", name, type_name(fix));
        return -1;
    }
    for (i64 i = 0; i < k_tuple_len_fast(fix); i++) {
        kval item = k_tuple_get_fast(fix, i);
        if (!k_is_str(item)) {
            k_raise_fmt(&k_TypeError_type, "tuple for %s must only contain str, not %s", name, type_name(item));
            return -1;
        }
        if (tail_match(s, item, lo, hi, at_end)) return 1;
    }
    return 0;
}

int k_str_startswith(kval s, kval prefix, kval start, kval end) { return starts_ends(s, prefix, start, end, 0); }
int k_str_endswith(kval s, kval suffix, kval start, kval end) { return starts_ends(s, suffix, start, end, 1); }

/* ---- split, partition, splitlines ---- */

static int append_piece(kval list, const u8 *p, i64 n) {
    return k_list_append_steal(list, str_of_bytes(p, n));
}

static kval split_whitespace(kval s, i64 maxsplit) {
    kval list = k_list_new(0);
    const u8 *d = k_str_data(s), *end = d + k_str_nbytes(s), *p = d;
    if (maxsplit < 0) maxsplit = 1LL << 62;
    for (;;) {
        i64 adv;
        while (p < end && is_space(k_utf8_decode(p, &adv))) p += adv;
        if (p == end) break;
        const u8 *w = p;
        if (maxsplit-- == 0) { p = end; } else {
            while (p < end && !is_space(k_utf8_decode(p, &adv))) p += adv;
        }
        if (append_piece(list, w, p - w) < 0) { k_decref(list); return 0; }
    }
    return list;
}

static kval split_sep(kval s, kval sep, i64 maxsplit) {
    kval list = k_list_new(0);
    const u8 *p = k_str_data(s), *nd = k_str_data(sep);
    i64 n = k_str_nbytes(s), nn = k_str_nbytes(sep), at;
    if (maxsplit < 0) maxsplit = 1LL << 62;
    while (maxsplit-- > 0 && (at = k_mem_find(p, n, nd, nn)) >= 0) {
        append_piece(list, p, at);
        p += at + nn;
        n -= at + nn;
    }
    append_piece(list, p, n);
    return list;
}

static bool sep_ok(kval sep) {
    if (sep == k_None) return 1;
    if (!k_is_str(sep)) {
        k_raise_fmt(&k_TypeError_type, "must be str or None, not %s", type_name(sep));
        return 0;
    }
    if (k_str_len(sep) == 0) {
        k_raise_str(&k_ValueError_type, "empty separator");
        return 0;
    }
    return 1;
}

kval k_str_split(kval s, kval sep, i64 maxsplit) {
    if (!sep_ok(sep)) return 0;
    return sep == k_None ? split_whitespace(s, maxsplit) : split_sep(s, sep, maxsplit);
}

/* Reverse the list in place (rsplit collects pieces from the right). */
static kval reversed_list(kval list) {
    kval *it = k_list_items(list);
    for (i64 i = 0, j = k_list_len_fast(list) - 1; i < j; i++, j--) {
        kval t = it[i]; it[i] = it[j]; it[j] = t;
    }
    return list;
}

static const u8 *prev_cp(const u8 *p, u32 *c) {
    do p--; while ((*p & 0xC0) == 0x80);
    i64 adv;
    *c = k_utf8_decode(p, &adv);
    return p;
}

static kval rsplit_whitespace(kval s, i64 maxsplit) {
    kval list = k_list_new(0);
    const u8 *d = k_str_data(s), *p = d + k_str_nbytes(s);
    if (maxsplit < 0) maxsplit = 1LL << 62;
    for (;;) {
        u32 c;
        while (p > d && is_space((prev_cp(p, &c), c))) p = prev_cp(p, &c);
        if (p == d) break;
        const u8 *w = p;
        if (maxsplit-- == 0) { p = d; } else {
            while (p > d && !is_space((prev_cp(p, &c), c))) p = prev_cp(p, &c);
        }
        append_piece(list, p, w - p);
    }
    return reversed_list(list);
}

static kval rsplit_sep(kval s, kval sep, i64 maxsplit) {
    kval list = k_list_new(0);
    const u8 *d = k_str_data(s), *nd = k_str_data(sep);
    i64 n = k_str_nbytes(s), nn = k_str_nbytes(sep), at;
    if (maxsplit < 0) maxsplit = 1LL << 62;
    while (maxsplit-- > 0 && (at = k_mem_rfind(d, n, nd, nn)) >= 0) {
        append_piece(list, d + at + nn, n - at - nn);
        n = at;
    }
    append_piece(list, d, n);
    return reversed_list(list);
}

kval k_str_rsplit(kval s, kval sep, i64 maxsplit) {
    if (!sep_ok(sep)) return 0;
    return sep == k_None ? rsplit_whitespace(s, maxsplit) : rsplit_sep(s, sep, maxsplit);
}

static kval partition(kval s, kval sep, bool reverse) {
    if (!need_str(sep)) return 0;
    if (k_str_len(sep) == 0) {
        k_raise_str(&k_ValueError_type, "empty separator");
        return 0;
    }
    const u8 *d = k_str_data(s);
    i64 n = k_str_nbytes(s), nn = k_str_nbytes(sep);
    i64 at = reverse ? k_mem_rfind(d, n, k_str_data(sep), nn) : k_mem_find(d, n, k_str_data(sep), nn);
    kval t = k_tuple_new(3);
    kval *it = k_tuple_items(t);
    if (at < 0) {
        it[reverse ? 2 : 0] = k_newref(s);
        it[reverse ? 0 : 2] = k_str_empty();
        it[1] = k_str_empty();
        return t;
    }
    it[0] = str_of_bytes(d, at);
    it[1] = k_newref(sep);
    it[2] = str_of_bytes(d + at + nn, n - at - nn);
    return t;
}

kval k_str_partition(kval s, kval sep) { return partition(s, sep, 0); }
kval k_str_rpartition(kval s, kval sep) { return partition(s, sep, 1); }

static bool is_linebreak(u32 c) {
    return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

kval k_str_splitlines(kval s, bool keepends) {
    kval list = k_list_new(0);
    const u8 *d = k_str_data(s), *end = d + k_str_nbytes(s), *p = d;
    while (p < end) {
        const u8 *line = p, *eol;
        i64 adv = 0;
        while (p < end && !is_linebreak(k_utf8_decode(p, &adv))) p += adv;
        eol = p;
        if (p < end) {
            p += adv;
            if (*eol == '\r' && p < end && *p == '\n') p++;
        }
        append_piece(list, line, (keepends ? p : eol) - line);
    }
    return list;
}

/* ---- join ---- */

static kval join_array(kval sep, const kval *items, i64 n) {
    for (i64 i = 0; i < n; i++)
        if (!k_is_str(items[i])) {
            k_raise_fmt(&k_TypeError_type, "sequence item %d: expected str instance, %s found", i, type_name(items[i]));
            return 0;
        }
    if (n == 1) return k_newref(items[0]);
    if (k_str_nbytes(sep) == 0) return k_str_join_parts(items, n);
    kval *parts = k_malloc((u64)(2 * n) * sizeof(kval));
    for (i64 i = 0; i < n; i++) {
        parts[2 * i] = sep;
        parts[2 * i + 1] = items[i];
    }
    kval r = n ? k_str_join_parts(parts + 1, 2 * n - 1) : k_str_empty();
    k_mfree(parts);
    return r;
}

kval k_str_join(kval sep, kval iterable) {
    if (k_isinstance(iterable, &k_list_type))
        return join_array(sep, k_list_items(iterable), k_list_len_fast(iterable));
    if (k_isinstance(iterable, &k_tuple_type))
        return join_array(sep, k_tuple_items(iterable), k_tuple_len_fast(iterable));
    kval it = k_iter(iterable);
    if (!it) {
        if (k_exc_matches(&k_TypeError_type)) {
            k_decref(k_exc_fetch());
            k_raise_str(&k_TypeError_type, "can only join an iterable");
        }
        return 0;
    }
    kval list = k_list_new(0), item, r = 0;
    while ((item = k_next(it))) k_list_append_steal(list, item);
    if (!k_exc) r = join_array(sep, k_list_items(list), k_list_len_fast(list));
    k_decref(it);
    k_decref(list);
    return r;
}

/* ---- strip ---- */

static bool in_cps(u32 c, const u32 *set, i64 n) {
    for (i64 i = 0; i < n; i++)
        if (set[i] == c) return 1;
    return 0;
}

static kval strip(kval s, kval chars, bool left, bool right) {
    if (chars != k_None && !k_is_str(chars)) {
        k_raise_str(&k_TypeError_type, "strip arg must be None or str");
        return 0;
    }
    u32 *set = chars == k_None ? 0 : to_cps(chars);
    i64 nset = chars == k_None ? 0 : k_str_len(chars);
    const u8 *d = k_str_data(s), *a = d, *b = d + k_str_nbytes(s);
    i64 adv;
    u32 c;
    while (left && a < b && (set ? in_cps(k_utf8_decode(a, &adv), set, nset) : is_space(k_utf8_decode(a, &adv)))) a += adv;
    while (right && b > a) {
        const u8 *q = prev_cp(b, &c);
        if (!(set ? in_cps(c, set, nset) : is_space(c))) break;
        b = q;
    }
    k_mfree(set);
    if (a == d && b == d + k_str_nbytes(s)) return k_newref(s);
    return str_of_bytes(a, b - a);
}

kval k_str_strip(kval s, kval chars) { return strip(s, chars, 1, 1); }
kval k_str_lstrip(kval s, kval chars) { return strip(s, chars, 1, 0); }
kval k_str_rstrip(kval s, kval chars) { return strip(s, chars, 0, 1); }

/* ---- case mapping ---- */

static bool cased(u32 c) { return (k_uc_flags(c) & K_UC_CASED) != 0; }
static bool case_ignorable(u32 c) { return (k_uc_flags(c) & K_UC_CASE_IGNORABLE) != 0; }

/* Capital sigma at i lowers to final sigma when a cased letter precedes it and none
 * follows it (case-ignorable characters skipped on both sides). */
static u32 lower_sigma(const u32 *cps, i64 n, i64 i) {
    i64 j = i - 1;
    while (j >= 0 && case_ignorable(cps[j])) j--;
    if (j < 0 || !cased(cps[j])) return 0x3C3;
    j = i + 1;
    while (j < n && case_ignorable(cps[j])) j++;
    return j == n || !cased(cps[j]) ? 0x3C2 : 0x3C3;
}

static void put_lower(SBuf *b, const u32 *cps, i64 n, i64 i) {
    u32 out[3];
    if (cps[i] == 0x3A3) { sb_cp(b, lower_sigma(cps, n, i)); return; }
    int m = k_uc_lower(cps[i], out);
    for (int j = 0; j < m; j++) sb_cp(b, out[j]);
}

static void put_mapped(SBuf *b, int (*map)(u32, u32 *), u32 c) {
    u32 out[3];
    int m = map(c, out);
    for (int j = 0; j < m; j++) sb_cp(b, out[j]);
}

enum { CASE_LOWER, CASE_UPPER, CASE_FOLD, CASE_SWAP, CASE_TITLE, CASE_CAPITALIZE };

static kval case_map(kval s, int how) {
    i64 n = k_str_len(s);
    if (n == 0) return k_str_empty();
    u32 *cps = to_cps(s);
    SBuf b = {0};
    bool prev_cased = 0;
    for (i64 i = 0; i < n; i++) {
        u32 c = cps[i], f = k_uc_flags(c);
        switch (how) {
        case CASE_LOWER: put_lower(&b, cps, n, i); break;
        case CASE_UPPER: put_mapped(&b, k_uc_upper, c); break;
        case CASE_FOLD: put_mapped(&b, k_uc_fold, c); break;
        case CASE_SWAP:
            if (f & K_UC_UPPER) put_lower(&b, cps, n, i);
            else if (f & K_UC_LOWER) put_mapped(&b, k_uc_upper, c);
            else sb_cp(&b, c);
            break;
        case CASE_TITLE:
            if (prev_cased) put_lower(&b, cps, n, i);
            else put_mapped(&b, k_uc_title, c);
            prev_cased = (f & K_UC_CASED) != 0;
            break;
        default:    /* capitalize */
            if (i == 0) put_mapped(&b, k_uc_title, c);
            else put_lower(&b, cps, n, i);
        }
    }
    k_mfree(cps);
    return sb_finish(&b);
}

kval k_str_lower(kval s) { return case_map(s, CASE_LOWER); }
kval k_str_upper(kval s) { return case_map(s, CASE_UPPER); }
kval k_str_casefold(kval s) { return case_map(s, CASE_FOLD); }
kval k_str_swapcase(kval s) { return case_map(s, CASE_SWAP); }
kval k_str_title(kval s) { return case_map(s, CASE_TITLE); }
kval k_str_capitalize(kval s) { return case_map(s, CASE_CAPITALIZE); }

/* ---- predicates ---- */

/* True when s is non-empty and every character has one of the flags in `mask`. */
static bool all_have(kval s, u32 mask) {
    const u8 *p = k_str_data(s), *end = p + k_str_nbytes(s);
    if (p == end) return 0;
    while (p < end) {
        i64 adv;
        if (!(k_uc_flags(k_utf8_decode(p, &adv)) & mask)) return 0;
        p += adv;
    }
    return 1;
}

bool k_str_isdigit(kval s) { return all_have(s, K_UC_DIGIT); }
bool k_str_isalpha(kval s) { return all_have(s, K_UC_ALPHA); }
bool k_str_isalnum(kval s) { return all_have(s, K_UC_ALPHA | K_UC_DECIMAL | K_UC_DIGIT | K_UC_NUMERIC); }
bool k_str_isspace(kval s) { return all_have(s, K_UC_SPACE); }
bool k_str_isdecimal(kval s) { return all_have(s, K_UC_DECIMAL); }
bool k_str_isnumeric(kval s) { return all_have(s, K_UC_NUMERIC); }
bool k_str_isprintable(kval s) { return k_str_nbytes(s) == 0 || all_have(s, K_UC_PRINTABLE); }
bool k_str_isascii(kval s) { return k_str_is_ascii(s); }

/* isupper / islower: no character of the other case (or titlecase), at least one cased. */
static bool one_case(kval s, u32 want, u32 reject) {
    const u8 *p = k_str_data(s), *end = p + k_str_nbytes(s);
    bool seen = 0;
    while (p < end) {
        i64 adv;
        u32 f = k_uc_flags(k_utf8_decode(p, &adv));
        if (f & reject) return 0;
        seen |= (f & want) != 0;
        p += adv;
    }
    return seen;
}

bool k_str_isupper(kval s) { return one_case(s, K_UC_UPPER, K_UC_LOWER | K_UC_TITLE); }
bool k_str_islower(kval s) { return one_case(s, K_UC_LOWER, K_UC_UPPER | K_UC_TITLE); }

bool k_str_istitle(kval s) {
    const u8 *p = k_str_data(s), *end = p + k_str_nbytes(s);
    bool seen = 0, prev_cased = 0;
    while (p < end) {
        i64 adv;
        u32 f = k_uc_flags(k_utf8_decode(p, &adv));
        p += adv;
        if (f & (K_UC_UPPER | K_UC_TITLE)) {
            if (prev_cased) return 0;
            prev_cased = seen = 1;
        } else if (f & K_UC_LOWER) {
            if (!prev_cased) return 0;
            prev_cased = seen = 1;
        } else {
            prev_cased = 0;
        }
    }
    return seen;
}

bool k_str_isidentifier(kval s) {
    const u8 *p = k_str_data(s), *end = p + k_str_nbytes(s);
    if (p == end) return 0;
    i64 adv;
    u32 c = k_utf8_decode(p, &adv);
    if (c != '_' && !(k_uc_flags(c) & K_UC_XID_START)) return 0;
    for (p += adv; p < end; p += adv)
        if (!(k_uc_flags(k_utf8_decode(p, &adv)) & K_UC_XID_CONTINUE)) return 0;
    return 1;
}

/* ---- padding ---- */

static bool fill_char(kval fillchar, u32 *out) {
    if (fillchar == k_None) { *out = ' '; return 1; }
    if (!k_is_str(fillchar) || k_str_len(fillchar) != 1) {
        k_raise_str(&k_TypeError_type, "The fill character must be exactly one character long");
        return 0;
    }
    i64 adv;
    *out = k_utf8_decode(k_str_data(fillchar), &adv);
    return 1;
}

static kval pad(kval s, i64 left, i64 right, u32 fill) {
    if (left <= 0 && right <= 0) return k_newref(s);
    SBuf b = {0};
    for (i64 i = 0; i < left; i++) sb_cp(&b, fill);
    sb_put(&b, k_str_data(s), k_str_nbytes(s), k_str_len(s));
    for (i64 i = 0; i < right; i++) sb_cp(&b, fill);
    return sb_finish(&b);
}

kval k_str_ljust(kval s, i64 width, kval fillchar) {
    u32 f;
    if (!fill_char(fillchar, &f)) return 0;
    return pad(s, 0, width - k_str_len(s), f);
}

kval k_str_rjust(kval s, i64 width, kval fillchar) {
    u32 f;
    if (!fill_char(fillchar, &f)) return 0;
    return pad(s, width - k_str_len(s), 0, f);
}

kval k_str_center(kval s, i64 width, kval fillchar) {
    u32 f;
    if (!fill_char(fillchar, &f)) return 0;
    i64 marg = width - k_str_len(s);
    if (marg <= 0) return k_newref(s);
    i64 left = marg / 2 + (marg & width & 1);
    return pad(s, left, marg - left, f);
}

kval k_str_zfill(kval s, i64 width) {
    i64 fill = width - k_str_len(s);
    if (fill <= 0) return k_newref(s);
    kval r = pad(s, fill, 0, '0');
    u8 *d = (u8 *)k_str_data(r);
    if (d[fill] == '+' || d[fill] == '-') {
        d[0] = d[fill];
        d[fill] = '0';
    }
    return r;
}

kval k_str_expandtabs(kval s, i64 tabsize) {
    const u8 *p = k_str_data(s), *end = p + k_str_nbytes(s);
    SBuf b = {0};
    i64 column = 0;
    for (; p < end; p++) {
        if (*p == '\t') {
            if (tabsize > 0) {
                i64 incr = tabsize - column % tabsize;
                column += incr;
                for (i64 i = 0; i < incr; i++) sb_cp(&b, ' ');
            }
            continue;
        }
        sb_put(&b, p, 1, (*p & 0xC0) != 0x80);
        column += (*p & 0xC0) != 0x80;
        if (*p == '\n' || *p == '\r') column = 0;
    }
    if (b.n == 0) { k_mfree(b.p); return k_str_empty(); }
    return sb_finish(&b);
}

/* ---- replace, removeprefix, removesuffix ---- */

static kval replace_empty(kval s, kval new_, i64 count) {
    SBuf b = {0};
    const u8 *p = k_str_data(s), *end = p + k_str_nbytes(s);
    for (;;) {
        if (count-- != 0) sb_put(&b, k_str_data(new_), k_str_nbytes(new_), k_str_len(new_));
        else { sb_put(&b, p, end - p, count_cps(p, end - p)); break; }
        if (p == end) break;
        i64 adv;
        k_utf8_decode(p, &adv);
        sb_put(&b, p, adv, 1);
        p += adv;
    }
    if (b.n == 0) { k_mfree(b.p); return k_str_empty(); }
    return sb_finish(&b);
}

kval k_str_replace(kval s, kval old, kval new_, i64 count) {
    if (!need_str(old) || !need_str(new_)) return 0;
    if (count < 0) count = 1LL << 62;
    if (k_str_len(old) == 0) return replace_empty(s, new_, count);
    const u8 *p = k_str_data(s), *nd = k_str_data(old);
    i64 n = k_str_nbytes(s), nn = k_str_nbytes(old), at;
    if (count == 0 || k_mem_find(p, n, nd, nn) < 0) return k_newref(s);
    SBuf b = {0};
    while (count-- > 0 && (at = k_mem_find(p, n, nd, nn)) >= 0) {
        sb_put(&b, p, at, count_cps(p, at));
        sb_put(&b, k_str_data(new_), k_str_nbytes(new_), k_str_len(new_));
        p += at + nn;
        n -= at + nn;
    }
    sb_put(&b, p, n, count_cps(p, n));
    if (b.n == 0) { k_mfree(b.p); return k_str_empty(); }
    return sb_finish(&b);
}

kval k_str_removeprefix(kval s, kval prefix) {
    if (!need_str(prefix)) return 0;
    if (k_str_nbytes(prefix) && tail_match(s, prefix, 0, k_str_len(s), 0))
        return str_of_bytes(k_str_data(s) + k_str_nbytes(prefix), k_str_nbytes(s) - k_str_nbytes(prefix));
    return k_newref(s);
}

kval k_str_removesuffix(kval s, kval suffix) {
    if (!need_str(suffix)) return 0;
    if (k_str_nbytes(suffix) && tail_match(s, suffix, 0, k_str_len(s), 1))
        return str_of_bytes(k_str_data(s), k_str_nbytes(s) - k_str_nbytes(suffix));
    return k_newref(s);
}

/* ---- encode ---- */

/* UnicodeEncodeError for the characters [start, end) of s (code point indexes). */
static void encode_error(const char *codec, kval s, i64 start, i64 end, const char *reason) {
    if (end - start == 1) {
        i64 adv;
        u32 c = k_utf8_decode(k_str_offset(s, start), &adv);
        const char *fmt = c < 0x100 ? "'%s' codec can't encode character '\\x%s' in position %d: %s"
                        : c < 0x10000 ? "'%s' codec can't encode character '\\u%s' in position %d: %s"
                        : "'%s' codec can't encode character '\\U%s' in position %d: %s";
        char hex[9];
        int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
        for (int i = 0; i < digits; i++) hex[i] = "0123456789abcdef"[(c >> (4 * (digits - 1 - i))) & 0xF];
        hex[digits] = 0;
        k_raise_fmt(&k_UnicodeEncodeError_type, fmt, codec, hex, start, reason);
        return;
    }
    k_raise_fmt(&k_UnicodeEncodeError_type, "'%s' codec can't encode characters in position %d-%d: %s", codec, start,
                end - 1, reason);
}

/* The handler for an error that occurred: 0 strict, 1 ignore, 2 replace; -1 raised
 * (LookupError for an unknown name, checked only now, as CPython does). */
static int handler_for_error(kval errors) {
    int h = k_codec_errors(errors);
    if (h < 0) k_raise_fmt(&k_LookupError_type, "unknown error handler name '%S'", errors);
    return h;
}

static kval encode_narrow(kval s, u32 limit, const char *codec, kval errors) {
    i64 n = k_str_len(s), k = 0;
    u32 *cps = to_cps(s);
    u8 *out = k_malloc((u64)(n ? n : 1));
    const char *reason = limit == 0x80 ? "ordinal not in range(128)" : "ordinal not in range(256)";
    kval r = 0;
    for (i64 i = 0; i < n; i++) {
        if (cps[i] < limit) { out[k++] = (u8)cps[i]; continue; }
        int mode = handler_for_error(errors);
        if (mode < 0) goto done;
        if (mode == 1) continue;
        if (mode == 2) { out[k++] = '?'; continue; }
        i64 j = i;
        while (j < n && cps[j] >= limit) j++;
        encode_error(codec, s, i, j, reason);
        goto done;
    }
    r = k_bytes_from(out, k);
done:
    k_mfree(cps);
    k_mfree(out);
    return r;
}

static bool is_surrogate_at(const u8 *p) { return p[0] == 0xED && p[1] >= 0xA0; }

static kval encode_utf8(kval s, kval errors) {
    const u8 *d = k_str_data(s);
    i64 n = k_str_nbytes(s);
    bool clean = 1;
    for (i64 i = 0; i + 2 < n && clean; i++) clean = !is_surrogate_at(d + i);
    if (clean) return k_bytes_from(d, n);
    u8 *out = k_malloc((u64)n);
    i64 k = 0, idx = 0;
    for (i64 i = 0; i < n; idx++) {
        i64 adv;
        k_utf8_decode(d + i, &adv);
        if (adv == 3 && is_surrogate_at(d + i)) {
            int mode = handler_for_error(errors);
            if (mode < 0) { k_mfree(out); return 0; }
            if (mode == 0) {
                i64 j = idx + 1, q = i + 3;
                while (q + 2 < n && is_surrogate_at(d + q)) q += 3, j++;
                k_mfree(out);
                encode_error("utf-8", s, idx, j, "surrogates not allowed");
                return 0;
            }
            if (mode == 2) out[k++] = '?';
        } else {
            __builtin_memcpy(out + k, d + i, (u64)adv);
            k += adv;
        }
        i += adv;
    }
    kval r = k_bytes_from(out, k);
    k_mfree(out);
    return r;
}

kval k_str_encode(kval s, kval encoding, kval errors) {
    const char *codec = encoding == k_None ? "utf-8" : k_codec_name(encoding);
    if (!codec) return 0;
    if (errors != k_None && !need_str(errors)) return 0;
    if (codec[0] == 'u') return encode_utf8(s, errors);
    if (codec[0] == 'a') return encode_narrow(s, 0x80, "ascii", errors);
    return encode_narrow(s, 0x100, "latin-1", errors);
}
