/* Python `int` (int.h) as text: str()/repr(), bin/oct/hex, int(text, base), format().
 *
 * Decimal output converts the magnitude to base 10**9 (Horner's rule over the limbs;
 * division by the constant 10**9 compiles to multiplications) and prints each chunk as
 * 9 digits. Power-of-two bases read bits straight off the limbs.
 * Parsing follows CPython 3.11's int(str, base) in two steps, as CPython does: the text
 * is first mapped to ASCII (Unicode decimal digits to '0'-'9', Unicode white space to
 * ' ', anything else non-ASCII ends the text with a '?'), then the ASCII is parsed:
 * white space, a sign, a base prefix (0x/0o/0b; with base 0 it chooses the base, and
 * a leading 0 without one allows only zero), digits with single underscores between
 * them (one may follow the prefix), white space. Digits are gathered 9 at a time
 * (base**k < 2**32 in general) and folded in with a multiply-add over the limbs.
 * CPython 3.11's limit on decimal (non power-of-two base) conversions applies: more
 * than 4300 digits raise ValueError both ways.
 */
#include "int_impl.h"
#include "format_number.h"
#include "str.h"
#include "float.h"

#define K_MAX_STR_DIGITS 4300

static void limit_error_out(void) {
    k_raise_str(&k_ValueError_type, "Exceeds the limit (4300 digits) for integer string conversion; "
                                    "use sys.set_int_max_str_digits() to increase the limit");
}

/* ---- decimal output ---- */

/* Writes the 9-digit chunk x ending just before end. */
static void chunk9(u8 *end, u32 x) {
    for (int i = 0; i < 9; i++) {
        *--end = (u8)('0' + x % 10);
        x /= 10;
    }
}

static i64 u64_digits(u64 m, u8 *out) {          /* out: 20 bytes; returns the count */
    u8 tmp[20];
    i64 n = 0;
    do tmp[n++] = (u8)('0' + m % 10), m /= 10; while (m);
    for (i64 i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

/* The magnitude in base 10**9, least significant chunk first (k_malloc'd; caller frees).
 * Horner's rule from the top limb: chunks = chunks * 2**32 + limb. The carry between
 * chunks is the quotient, so the remainder stays off the loop's dependency chain; it
 * never exceeds 2**32 (chunk * 2**32 + carry <= 10**9 * 2**32). */
static u32 *mag_to_chunks(const u32 *d, i64 n, i64 *nchunks) {
    u32 *chunks = k_malloc(4 * (u64)(n * 32 / 29 + 2));     /* 10**9 > 2**29 */
    i64 size = 0;
    for (i64 i = n - 1; i >= 0; i--) {
        u64 carry = d[i];
        for (i64 j = 0; j < size; j++) {
            u64 z = ((u64)chunks[j] << 32) + carry;
            carry = z / 1000000000u;
            chunks[j] = (u32)(z - carry * 1000000000u);
        }
        while (carry) {
            chunks[size++] = (u32)(carry % 1000000000u);
            carry /= 1000000000u;
        }
    }
    *nchunks = size;
    return chunks;
}

/* The decimal digits of a magnitude, in a k_malloc'd buffer (caller frees). */
static u8 *mag_decimal(const u32 *d, i64 n, i64 *len) {
    if (n <= 2) {
        u8 *out = k_malloc(20);
        *len = u64_digits(n == 0 ? 0 : n == 1 ? d[0] : d[0] | (u64)d[1] << 32, out);
        return out;
    }
    i64 nchunks;
    u32 *chunks = mag_to_chunks(d, n, &nchunks);
    u8 *out = k_malloc(9 * (u64)nchunks + 20);
    i64 w = u64_digits(chunks[nchunks - 1], out);
    for (i64 i = nchunks - 2; i >= 0; i--, w += 9) chunk9(out + w + 9, chunks[i]);
    k_mfree(chunks);
    *len = w;
    return out;
}

/* Sign and decimal digits of v, honouring the 4300-digit limit; NULL when raised. */
static u8 *decimal_limited(kval v, i64 *len, bool *neg) {
    KIntView w;
    k_int_view(v, &w);
    *neg = w.neg;
    if (k_mag_bits(w.d, w.n) > 14300) {             /* >= 2**14300 > 10**4300 */
        limit_error_out();
        return 0;
    }
    u8 *digits = mag_decimal(w.d, w.n, len);
    if (*len > K_MAX_STR_DIGITS) {
        k_mfree(digits);
        limit_error_out();
        return 0;
    }
    return digits;
}

kval k_int_repr(kval v) {
    v = k_int_unbool(v);
    if (K_IS_SMALL(v)) {
        u8 buf[24];
        i64 x = k_int_small_value(v), n = 0;
        if (x < 0) buf[n++] = '-';
        n += u64_digits(x < 0 ? 0 - (u64)x : (u64)x, buf + n);
        return k_str_from_ascii((const char *)buf, n);
    }
    i64 len;
    bool neg;
    u8 *digits = decimal_limited(v, &len, &neg);
    if (!digits) return 0;
    kval r = k_str_new_raw(len + neg, len + neg);
    u8 *p = (u8 *)k_str_data(r);
    if (neg) *p++ = '-';
    __builtin_memcpy(p, digits, (u64)len);
    k_mfree(digits);
    return r;
}

i64 k_int_write_decimal(kval v, u8 *buf, i64 cap) {
    KIntView w;
    k_int_view(v, &w);
    i64 len;
    u8 *digits = mag_decimal(w.d, w.n, &len);
    i64 total = len + w.neg;
    if (total <= cap) {
        if (w.neg) buf[0] = '-';
        __builtin_memcpy(buf + w.neg, digits, (u64)len);
    }
    k_mfree(digits);
    return total <= cap ? total : -1;
}

/* ---- power-of-two bases ---- */

/* Digits of a magnitude in base 2**bits (bits 1..5), most significant first; returns the count. */
static i64 mag_pow2_digits(const u32 *d, i64 n, int bits, bool upper, u8 *out) {
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    u64 total = k_mag_bits(d, n);
    i64 count = total ? (i64)((total + (u64)bits - 1) / (u64)bits) : 1;
    for (i64 i = 0; i < count; i++) {
        u64 pos = (u64)i * (u64)bits;                  /* digit i from the right */
        i64 li = (i64)(pos / 32);
        u32 off = (u32)(pos % 32);
        u64 window = (li < n ? d[li] : 0) | (u64)(li + 1 < n ? d[li + 1] : 0) << 32;
        out[count - 1 - i] = (u8)alphabet[(window >> off) & ((1u << bits) - 1)];
    }
    return count;
}

static i64 mag_pow2_capacity(i64 n, int bits) { return n * 32 / bits + 2; }

kval k_int_to_base(kval v, int base) {
    int bits = base == 2 ? 1 : base == 8 ? 3 : 4;
    KIntView w;
    k_int_view(v, &w);
    i64 cap = mag_pow2_capacity(w.n, bits) + 3;
    u8 small[80];
    u8 *buf = cap <= (i64)sizeof small ? small : k_malloc((u64)cap);
    i64 n = 0;
    if (w.neg) buf[n++] = '-';
    buf[n++] = '0';
    buf[n++] = base == 2 ? 'b' : base == 8 ? 'o' : 'x';
    n += mag_pow2_digits(w.d, w.n, bits, 0, buf + n);
    kval r = k_str_from_ascii((const char *)buf, n);
    if (buf != small) k_mfree(buf);
    return r;
}

/* ---- parsing: Unicode to ASCII ---- */

/* The code points of Unicode 14.0 (CPython 3.11) whose decimal value is 0, above ASCII;
 * each starts a run of ten digits 0..9. */
static const u32 decimal_zeros[] = {
    0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6,
    0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50,
    0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
};

static int unicode_decimal(u32 cp) {
    for (u64 i = 0; i < sizeof decimal_zeros / sizeof decimal_zeros[0]; i++)
        if (cp >= decimal_zeros[i] && cp < decimal_zeros[i] + 10) return (int)(cp - decimal_zeros[i]);
    return -1;
}

static bool unicode_space(u32 cp) {          /* str.isspace() above ASCII */
    return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* CPython's _PyUnicode_TransformDecimalAndSpaceToASCII; returns the ASCII length. */
static i64 to_ascii(const u8 *s, i64 n, u8 *out) {
    i64 m = 0;
    for (i64 i = 0, adv; i < n; i += adv) {
        u32 c = k_utf8_decode(s + i, &adv);
        int dv;
        if (c < 127) out[m++] = (u8)c;
        else if (unicode_space(c)) out[m++] = ' ';
        else if ((dv = unicode_decimal(c)) >= 0) out[m++] = (u8)('0' + dv);
        else {
            out[m++] = '?';
            break;
        }
    }
    return m;
}

/* ---- parsing: ASCII ---- */

static int digit_value(u8 c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

static bool ascii_space(u8 c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static kval invalid_literal(const u8 *s, i64 n, int base) {
    kval text = k_str_from_utf8(s, n);
    kval r = text ? k_repr(text) : 0;
    k_xdecref(text);
    if (!r) return 0;
    if (k_str_len(r) > 200) {
        kval t = k_str_substr(r, 0, 200);
        k_decref(r);
        r = t;
    }
    k_raise_fmt(&k_ValueError_type, "invalid literal for int() with base %d: %S", (i64)base, r);
    k_decref(r);
    return 0;
}

/* Digits a[0..n) (underscores skipped) in a power-of-two base. */
static kval build_pow2(const u8 *a, i64 n, i64 ndigits, int base, bool neg) {
    int bits = __builtin_ctz((u32)base);
    i64 limbs = ndigits * bits / 32 + 1;
    if (k_int_too_big(limbs)) return 0;
    KLong *r = k_long_new(limbs);
    u64 acc = 0;
    int nacc = 0;
    i64 li = 0;
    for (i64 i = n - 1; i >= 0; i--) {
        if (a[i] == '_') continue;
        acc |= (u64)digit_value(a[i]) << nacc;
        nacc += bits;
        if (nacc >= 32) {
            r->d[li++] = (u32)acc;
            acc >>= 32;
            nacc -= 32;
        }
    }
    if (nacc) r->d[li] = (u32)acc;
    return k_long_finish(r, neg);
}

/* Digits a[0..n) (underscores skipped) in any other base: chunks of k digits with base**k < 2**32. */
static kval build_general(const u8 *a, i64 n, i64 ndigits, int base, bool neg) {
    int k = 0;
    u64 pw = 1;
    while (pw * (u64)base < (1ULL << 32)) pw *= (u64)base, k++;
    i64 limbs = ndigits * (32 - __builtin_clz((u32)base)) / 32 + 2;
    KLong *r = k_long_new(limbs);
    i64 len = 0;
    u32 chunk = 0, mult = 1;
    int inchunk = 0, first = (int)(ndigits % k);       /* the first chunk is the short one */
    if (first == 0) first = k;
    for (i64 i = 0; i < n; i++) {
        if (a[i] == '_') continue;
        chunk = chunk * (u32)base + (u32)digit_value(a[i]);
        mult *= (u32)base;
        if (++inchunk == first) {
            u32 carry = k_mag_mul1_add(r->d, len, mult, chunk);
            if (carry) r->d[len++] = carry;
            chunk = 0, mult = 1, inchunk = 0, first = k;
        }
    }
    return k_long_finish(r, neg);
}

/* int(a[0..n), base) on the ASCII form; s/sn is the original text for messages. */
static kval parse_ascii(const u8 *a, i64 n, int base, const u8 *s, i64 sn) {
    int orig_base = base;
    i64 i = 0, end = n;
    while (i < n && ascii_space(a[i])) i++;
    bool neg = 0;
    if (i < n && (a[i] == '+' || a[i] == '-')) neg = a[i++] == '-';
    u8 p1 = i + 1 < n ? a[i + 1] | 0x20 : 0;          /* the prefix letter, lower case */
    bool zero_only = 0;
    if (base == 0) {
        if (i >= n || a[i] != '0') base = 10;
        else if (p1 == 'x') base = 16;
        else if (p1 == 'o') base = 8;
        else if (p1 == 'b') base = 2;
        else base = 10, zero_only = 1;                  /* "010" is not octal: only zero may lead with 0 */
    }
    if (i < n && a[i] == '0' && ((base == 16 && p1 == 'x') || (base == 8 && p1 == 'o') || (base == 2 && p1 == 'b'))) {
        i += 2;
        if (i < n && a[i] == '_') i++;
    }
    if (i < n && a[i] == '_') return invalid_literal(s, sn, orig_base);
    i64 start = i, ndigits = 0;
    u8 prev = 0;
    for (; i < n && (digit_value(a[i]) < base || a[i] == '_'); prev = a[i++]) {
        if (a[i] != '_') ndigits++;
        else if (prev == '_') return invalid_literal(s, sn, orig_base);
    }
    if (prev == '_' || ndigits == 0) return invalid_literal(s, sn, orig_base);
    bool pow2 = (base & (base - 1)) == 0;
    if (!pow2 && ndigits > K_MAX_STR_DIGITS) {
        k_raise_fmt(&k_ValueError_type, "Exceeds the limit (4300 digits) for integer string conversion: "
                    "value has %d digits; use sys.set_int_max_str_digits() to increase the limit", ndigits);
        return 0;
    }
    i64 stop = i;
    while (i < end && ascii_space(a[i])) i++;
    if (i != end) return invalid_literal(s, sn, orig_base);
    kval r = pow2 ? build_pow2(a + start, stop - start, ndigits, base, neg)
                  : build_general(a + start, stop - start, ndigits, base, neg);
    if (r && zero_only && r != k_int_small(0)) {
        k_decref(r);
        return invalid_literal(s, sn, orig_base);
    }
    return r;
}

kval k_int_parse(const u8 *s, i64 n, int base) {
    if (base == 10 && n > 0 && n <= 18) {          /* the common case, "42": plain digits, no sign or space */
        i64 v = 0, i = 0;
        while (i < n && (u8)(s[i] - '0') < 10) v = v * 10 + (s[i++] - '0');
        if (i == n) return k_int_from_i64(v);
    }
    if (base != 0 && (base < 2 || base > 36)) {
        k_raise_str(&k_ValueError_type, "int() base must be >= 2 and <= 36, or 0");
        return 0;
    }
    u8 small[128];
    u8 *a = n <= (i64)sizeof small ? small : k_malloc((u64)n);
    i64 m = to_ascii(s, n, a);
    kval r = parse_ascii(a, m, base, s, n);
    if (a != small) k_mfree(a);
    return r;
}

/* ---- format() ---- */

static bool spec_is_empty(const KFormatSpec *s) {
    return s->fill == ' ' && !s->align && !s->sign && !s->alternate && !s->zero && s->width < 0 && !s->grouping &&
           s->precision < 0 && !s->type;
}

static kval format_char(kval v, const KFormatSpec *spec) {
    if (spec->sign) {
        k_raise_str(&k_ValueError_type, "Sign not allowed with integer format specifier 'c'");
        return 0;
    }
    if (spec->alternate) {
        k_raise_str(&k_ValueError_type, "Alternate form (#) not allowed with integer format specifier 'c'");
        return 0;
    }
    i64 x;
    if (!k_int_to_i64(v, &x)) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C long");
        return 0;
    }
    if (x < 0 || x > 0x10ffff) {
        k_raise_str(&k_OverflowError_type, "%c arg not in range(0x110000)");
        return 0;
    }
    u8 ch[4];
    i64 n = k_utf8_encode((u32)x, ch);
    return k_format_numeric(0, "", ch, 0, ch, n, spec, '>');
}

static kval format_integer(kval v, const KFormatSpec *spec) {
    char t = spec->type;
    if (t == 0 || t == 'd' || t == 'n') {
        i64 len;
        bool neg;
        u8 *digits = decimal_limited(v, &len, &neg);
        if (!digits) return 0;
        kval r = k_format_numeric(neg, "", digits, len, 0, 0, spec, '>');
        k_mfree(digits);
        return r;
    }
    int bits = t == 'b' ? 1 : t == 'o' ? 3 : 4;
    KIntView w;
    k_int_view(v, &w);
    u8 small[80];
    i64 cap = mag_pow2_capacity(w.n, bits);
    u8 *buf = cap <= (i64)sizeof small ? small : k_malloc((u64)cap);
    i64 n = mag_pow2_digits(w.d, w.n, bits, t == 'X', buf);
    const char *prefix = !spec->alternate ? "" : t == 'b' ? "0b" : t == 'o' ? "0o" : t == 'x' ? "0x" : "0X";
    kval r = k_format_numeric(w.neg, prefix, buf, n, 0, 0, spec, '>');
    if (buf != small) k_mfree(buf);
    return r;
}

kval k_int_format(kval v, const KFormatSpec *spec) {
    if (spec_is_empty(spec)) return v == k_True || v == k_False ? k_repr(v) : k_int_repr(v);
    switch (spec->type) {
    case 0: case 'd': case 'n': case 'b': case 'o': case 'x': case 'X': case 'c':
        if (spec->precision >= 0) {
            k_raise_str(&k_ValueError_type, "Precision not allowed in integer format specifier");
            return 0;
        }
        return spec->type == 'c' ? format_char(v, spec) : format_integer(v, spec);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double d = k_int_to_double(v);
        if (k_exc) return 0;
        return k_float_format(d, spec);
    }
    default: {
        u8 t = (u8)spec->type;
        if (t > 32 && t < 128)
            k_raise_fmt(&k_ValueError_type, "Unknown format code '%s' for object of type '%s'",
                        (const char[]){(char)t, 0}, k_type_of(v)->name);
        else
            k_raise_fmt(&k_ValueError_type, "Unknown format code '\\x%s' for object of type '%s'",
                        t >= 16 ? (const char[]){"0123456789abcdef"[t >> 4], "0123456789abcdef"[t & 15], 0}
                                : (const char[]){"0123456789abcdef"[t], 0},
                        k_type_of(v)->name);
        return 0;
    }
    }
}
