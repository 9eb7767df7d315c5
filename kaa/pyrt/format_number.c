/* Layout of formatted numbers (format_number.h), shared by int and float formatting.
 *
 * The output is the concatenation
 *     lpad  sign  prefix  spad  grouped-digits  tail  rpad
 * where at most one of the three paddings is non-empty: '<' pads right, '>' left, '^'
 * both (the left gets the smaller half), '=' between prefix and digits.
 * Grouping walks the digits from the right in groups of 3 (4 for '_' with b/o/x/X).
 * When the fill is '0' and the alignment '=', the digits are first widened with
 * leading zeros to the width left over by the sign, prefix and tail, and those zeros
 * are grouped too; as in CPython, a group never starts with a separator, so the result
 * can come out one character wider than asked ("0,000,001,234" for width 12).
 * Widths count code points: the fill and the tail may be non-ASCII; all else is ASCII.
 */
#include "format_number.h"
#include "str.h"

static i64 utf8_chars(const u8 *s, i64 n) {
    i64 c = 0;
    for (i64 i = 0; i < n; i++) c += (s[i] & 0xC0) != 0x80;
    return c;
}

/* Writes the grouped digits ending just before `end` (right to left); returns their count.
 * group 0: no separators. min_width: zero-pad to at least this many characters. With
 * end NULL only counts. */
static i64 group_digits(u8 *end, const u8 *digits, i64 n, i64 min_width, int group, char sep) {
    i64 remaining = n, count = 0;
    bool first = 1;
    for (;;) {
        i64 want = remaining > min_width ? remaining : min_width;
        if (want < 1) want = 1;
        i64 l = group && group < want ? group : want;
        i64 chars = remaining < l ? remaining : l, zeros = l - chars;
        if (!first) {
            count++;
            if (end) *--end = (u8)sep;
        }
        count += l;
        if (end) {
            for (i64 i = 0; i < chars; i++) *--end = digits[--remaining];
            for (i64 i = 0; i < zeros; i++) *--end = '0';
        } else {
            remaining -= chars;
        }
        min_width -= l;
        if (!group || (remaining <= 0 && min_width <= 0)) return count;
        min_width -= 1;
        first = 0;
    }
}

kval k_format_numeric(bool negative, const char *prefix, const u8 *intdigits, i64 nint, const u8 *tail, i64 ntail,
                      const KFormatSpec *spec, char default_align) {
    char sign = negative ? '-' : spec->sign == '+' ? '+' : spec->sign == ' ' ? ' ' : 0;
    i64 nsign = sign != 0, nprefix = 0, tail_chars = utf8_chars(tail, ntail);
    while (prefix && prefix[nprefix]) nprefix++;
    char align = spec->align ? spec->align : spec->zero ? '=' : default_align;
    int group = 0;
    if (spec->grouping)
        group = spec->grouping == '_' && (spec->type == 'b' || spec->type == 'o' || spec->type == 'x' ||
                                          spec->type == 'X') ? 4 : 3;
    i64 fixed = nsign + nprefix + tail_chars;
    i64 min_width = spec->fill == '0' && align == '=' ? spec->width - fixed : 0;
    i64 ngrouped = nint ? group_digits(0, intdigits, nint, min_width, group, spec->grouping) : 0;
    i64 pad = spec->width - (fixed + ngrouped);
    if (pad < 0) pad = 0;
    i64 lpad = align == '>' ? pad : align == '^' ? pad / 2 : 0;
    i64 spad = align == '=' ? pad : 0;
    i64 rpad = pad - lpad - spad;
    u8 fill[4];
    int nfill = k_utf8_encode(spec->fill, fill);
    i64 nbytes = pad * nfill + nsign + nprefix + ngrouped + ntail;
    u8 small[256];
    u8 *buf = nbytes <= (i64)sizeof small ? small : k_malloc((u64)nbytes), *w = buf;
    for (i64 i = 0; i < lpad; i++, w += nfill) __builtin_memcpy(w, fill, (u64)nfill);
    if (sign) *w++ = (u8)sign;
    if (nprefix) __builtin_memcpy(w, prefix, (u64)nprefix);
    w += nprefix;
    for (i64 i = 0; i < spad; i++, w += nfill) __builtin_memcpy(w, fill, (u64)nfill);
    if (nint) group_digits(w + ngrouped, intdigits, nint, min_width, group, spec->grouping);
    w += ngrouped;
    if (ntail) __builtin_memcpy(w, tail, (u64)ntail);
    w += ntail;
    for (i64 i = 0; i < rpad; i++, w += nfill) __builtin_memcpy(w, fill, (u64)nfill);
    kval r = k_str_from_utf8(buf, nbytes);
    if (buf != small) k_mfree(buf);
    return r;
}
