/* kaa: sse */
/* Decimal text -> double, correctly rounded (round-half-even on the exact value), with
 * the grammar of CPython's float(): surrounding whitespace, a sign, digits with an
 * optional point and exponent ("1.", ".5", "1e-3"), "inf"/"infinity"/"nan" in any case,
 * and underscores only between two digits ("1_000.5", not "1__0", "_1", "1_").
 *
 * Parsing: the significant digits (leading zeros skipped) go into a Dec, at most
 * DEC_MAX of them; beyond that only whether a nonzero digit was dropped is kept
 * ("truncated"). The value is 0.d1d2...dn * 10**dp.
 *
 * Conversion, fastest first:
 *   1. Clinger's fast path: at most 19 digits forming w < 2**53 and 10**|e| exact
 *      (|e| <= 22): w * 10**e or w / 10**-e is one correctly rounded IEEE operation.
 *      Larger e works when w * 10**(e-22) is still exact.
 *   2. Exact "simple decimal conversion" (Nigel Tao's description of the algorithm in
 *      Go's strconv and wuffs): the decimal digit string itself is multiplied and
 *      divided by powers of two, in base 10, until the value lies in [1/2, 1); the
 *      binary exponent is the sum of the shifts. Shifting left by 53 more bits and
 *      rounding the integer part half-even gives the significand. DEC_MAX = 800 digits
 *      are enough to decide every rounding: a halfway point between two doubles has at
 *      most 767 significant digits, so digits beyond 800 only matter through being
 *      nonzero (the truncated flag breaks an apparent tie upwards).
 * Overflow gives +-inf and underflow +-0, as float() does (no exception).
 */
#include "float.h"
#include "str.h"

#define DEC_MAX 800

typedef struct {
    u8 d[DEC_MAX];      /* digit values, d[0] != 0 unless nd == 0, no trailing zeros */
    int nd;
    int dp;             /* the value is 0.d[0]d[1]... * 10**dp */
    bool trunc;         /* nonzero digits were dropped after d[DEC_MAX-1] */
} Dec;

static void dec_trim(Dec *a) {
    while (a->nd > 0 && a->d[a->nd - 1] == 0) a->nd--;
    if (a->nd == 0) a->dp = 0;
}

/* a /= 2**k, 1 <= k <= 60: long division in base 10 with a k-bit remainder. */
static void dec_shr(Dec *a, int k) {
    int r = 0, w = 0;
    u64 n = 0;
    for (; (n >> k) == 0; r++) {        /* gather enough leading digits */
        if (r >= a->nd) {
            if (n == 0) {
                a->nd = 0;
                return;
            }
            while ((n >> k) == 0) {
                n *= 10;
                r++;
            }
            break;
        }
        n = n * 10 + a->d[r];
    }
    a->dp -= r - 1;
    u64 mask = (1ULL << k) - 1;
    for (; r < a->nd; r++) {
        u64 c = a->d[r];
        a->d[w++] = (u8)(n >> k);
        n = (n & mask) * 10 + c;
    }
    while (n > 0) {
        u8 dig = (u8)(n >> k);
        n = (n & mask) * 10;
        if (w < DEC_MAX)
            a->d[w++] = dig;
        else if (dig)
            a->trunc = 1;
    }
    a->nd = w;
    dec_trim(a);
}

/* a *= 2**k, 1 <= k <= 60: digits from the right, carrying into new leading digits. */
static void dec_shl(Dec *a, int k) {
    u8 tmp[DEC_MAX + 24];
    int w = DEC_MAX + 24;
    u64 n = 0;
    for (int r = a->nd - 1; r >= 0; r--) {
        n += (u64)a->d[r] << k;
        u64 q = n / 10;
        tmp[--w] = (u8)(n - q * 10);
        n = q;
    }
    while (n > 0) {
        u64 q = n / 10;
        tmp[--w] = (u8)(n - q * 10);
        n = q;
    }
    int count = DEC_MAX + 24 - w;
    a->dp += count - a->nd;
    if (count > DEC_MAX) {
        for (int i = w + DEC_MAX; i < DEC_MAX + 24; i++)
            if (tmp[i]) a->trunc = 1;
        count = DEC_MAX;
    }
    __builtin_memcpy(a->d, tmp + w, (u64)count);
    a->nd = count;
    dec_trim(a);
}

static void dec_shift(Dec *a, int k) {   /* a *= 2**k, any k */
    for (; k > 60; k -= 60) dec_shl(a, 60);
    for (; k < -60; k += 60) dec_shr(a, 60);
    if (k > 0) dec_shl(a, k);
    if (k < 0) dec_shr(a, -k);
}

/* Should the integer part (the first `pos` digits) round up? Half-even; the truncated
 * flag makes an apparent tie a round-up. */
static bool dec_round_up(const Dec *a, int pos) {
    if (pos < 0 || pos >= a->nd) return 0;
    if (a->d[pos] == 5 && pos + 1 == a->nd) {
        if (a->trunc) return 1;
        return pos > 0 && (a->d[pos - 1] & 1);
    }
    return a->d[pos] >= 5;
}

static u64 dec_rounded_int(const Dec *a) {
    u64 n = 0;
    int i = 0;
    for (; i < a->dp && i < a->nd; i++) n = n * 10 + a->d[i];
    for (; i < a->dp; i++) n *= 10;
    return n + dec_round_up(a, a->dp);
}

static double from_bits(u64 b) {
    double d;
    __builtin_memcpy(&d, &b, 8);
    return d;
}

static double signed_result(double x, bool neg) { return neg ? -x : x; }

static double dec_to_double(Dec *a, bool neg) {
    static const u8 powtab[9] = {1, 3, 6, 9, 13, 16, 19, 23, 26};   /* 2**p < 10**i */
    if (a->nd == 0 || a->dp < -330) return signed_result(0.0, neg);
    if (a->dp > 310) return signed_result(__builtin_inf(), neg);
    int exp = 0;
    while (a->dp > 0) {
        int n = a->dp >= 9 ? 27 : powtab[a->dp];
        dec_shr(a, n);
        exp += n;
    }
    while (a->dp < 0 || (a->dp == 0 && a->d[0] < 5)) {
        int n = -a->dp >= 9 ? 27 : powtab[-a->dp];
        dec_shl(a, n);
        exp -= n;
    }
    exp--;                      /* now the value is in [1, 2) * 2**exp */
    if (exp < -1022) {          /* subnormal: fewer significand bits */
        dec_shift(a, exp + 1022);
        exp = -1022;
    }
    if (exp > 1023) return signed_result(__builtin_inf(), neg);
    dec_shl(a, 53);             /* the 53-bit significand is the integer part */
    u64 mant = dec_rounded_int(a);
    if (mant == 1ULL << 53) {
        mant >>= 1;
        if (++exp > 1023) return signed_result(__builtin_inf(), neg);
    }
    u64 be = (mant >> 52) ? (u64)(exp + 1023) : 0;
    return signed_result(from_bits((be << 52) | (mant & ((1ULL << 52) - 1))), neg);
}

/* ---- the fast path ---- */

static const double exact_pow10[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* w * 10**e exactly rounded when both factors are exact doubles; 0 otherwise. */
static bool clinger(u64 w, i64 e, double *out) {
    if (w >> 53) return 0;
    double x = (double)w;
    if (e >= 0 && e <= 22) {
        *out = x * exact_pow10[e];
    } else if (e < 0 && e >= -22) {
        *out = x / exact_pow10[-e];
    } else if (e > 22 && e <= 22 + 15) {
        for (; e > 22; e--) {
            w *= 10;
            if (w >> 53) return 0;
        }
        *out = (double)w * 1e22;
    } else {
        return 0;
    }
    return 1;
}

/* ---- text ---- */

static bool is_digit(u8 c) { return c >= '0' && c <= '9'; }
static bool is_space(u8 c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static u8 lower(u8 c) { return c >= 'A' && c <= 'Z' ? (u8)(c + 32) : c; }

/* The digits read so far. */
typedef struct {
    Dec dec;
    u64 w;              /* the first 19 significant digits */
    int nsig;           /* significant digits seen (all of them, not just the kept ones) */
} Acc;

static void acc_digit(Acc *a, u8 v, bool frac) {
    if (a->nsig == 0 && v == 0) {      /* a leading zero */
        if (frac) a->dec.dp--;
        return;
    }
    if (a->nsig < 19) a->w = a->w * 10 + v;
    if (a->dec.nd < DEC_MAX)
        a->dec.d[a->dec.nd++] = v;
    else if (v)
        a->dec.trunc = 1;
    a->nsig++;
    if (!frac) a->dec.dp++;
}

/* A digit run with single underscores between digits; stops at anything else and
 * returns the index after the run. */
static i64 scan_digits(const u8 *s, i64 i, i64 n, Acc *a, bool frac) {
    for (; i < n; i++) {
        if (is_digit(s[i]))
            acc_digit(a, (u8)(s[i] - '0'), frac);
        else if (!(s[i] == '_' && i > 0 && is_digit(s[i - 1]) && i + 1 < n && is_digit(s[i + 1])))
            break;
    }
    return i;
}

/* An exponent after 'e': sign and digits (underscores between digits); clamped so a
 * huge exponent cannot overflow (the value is then 0 or inf anyway). */
static i64 scan_exponent(const u8 *s, i64 i, i64 n, i64 *exp) {
    bool neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i >= n || !is_digit(s[i])) return -1;
    i64 e = 0;
    for (; i < n; i++) {
        if (is_digit(s[i])) {
            if (e < 100000000) e = e * 10 + (s[i] - '0');
        } else if (!(s[i] == '_' && is_digit(s[i - 1]) && i + 1 < n && is_digit(s[i + 1]))) {
            break;
        }
    }
    *exp = neg ? -e : e;
    return i;
}

static bool match_word(const u8 *s, i64 n, const char *w) {
    i64 i = 0;
    for (; w[i]; i++)
        if (i >= n || lower(s[i]) != (u8)w[i]) return 0;
    return i == n;
}

static double finish(Acc *a, i64 exp10, bool neg) {
    if (a->nsig == 0) return signed_result(0.0, neg);
    if (a->nsig <= 19) {
        double x;
        /* w * 10**(dp - nsig) */
        if (clinger(a->w, (i64)a->dec.dp - a->nsig + exp10, &x)) return signed_result(x, neg);
    }
    i64 dp = (i64)a->dec.dp + exp10;
    if (dp > 100000) dp = 100000;
    if (dp < -100000) dp = -100000;
    a->dec.dp = (int)dp;
    dec_trim(&a->dec);
    return dec_to_double(&a->dec, neg);
}

bool k_float_parse(const u8 *s, i64 n, double *out) {
    while (n > 0 && is_space(s[0])) s++, n--;
    while (n > 0 && is_space(s[n - 1])) n--;
    bool neg = 0;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++, n--;
    }
    if (n == 0) return 0;
    if (!is_digit(s[0]) && s[0] != '.') {
        if (match_word(s, n, "inf") || match_word(s, n, "infinity"))
            *out = signed_result(__builtin_inf(), neg);
        else if (match_word(s, n, "nan"))
            *out = signed_result(__builtin_nan(""), neg);
        else
            return 0;
        return 1;
    }
    Acc a;
    a.dec.nd = 0;
    a.dec.dp = 0;
    a.dec.trunc = 0;
    a.w = 0;
    a.nsig = 0;
    i64 i = scan_digits(s, 0, n, &a, 0);
    bool any = i > 0;
    if (i < n && s[i] == '.') {
        i64 j = scan_digits(s, i + 1, n, &a, 1);
        any = any || j > i + 1;
        i = j;
    }
    if (!any) return 0;
    i64 exp10 = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i = scan_exponent(s, i + 1, n, &exp10);
        if (i < 0) return 0;
    }
    if (i != n) return 0;
    *out = finish(&a, exp10, neg);
    return 1;
}

double k_float_from_decimal(const u8 *digits, i64 n, i64 exp10, bool negative) {
    Acc a;
    a.dec.nd = 0;
    a.dec.dp = 0;
    a.dec.trunc = 0;
    a.w = 0;
    a.nsig = 0;
    for (i64 i = 0; i < n; i++) acc_digit(&a, (u8)(digits[i] - '0'), 0);
    return finish(&a, exp10, negative);
}

/* ---- float(str) ---- */

/* The value of a Unicode decimal digit: decimals come in runs of ten, 0 to 9, so the
 * value is the distance to the start of the run, modulo 10. */
static int decimal_value(u32 cp) {
    if (!(k_uc_flags(cp) & K_UC_DECIMAL)) return -1;
    u32 start = cp;
    while (start > 0 && (k_uc_flags(start - 1) & K_UC_DECIMAL)) start--;
    return (int)((cp - start) % 10);
}

/* CPython first maps non-ASCII whitespace to ' ' and decimal digits to ASCII; any other
 * non-ASCII character makes the text invalid. */
static bool parse_unicode(kval str, double *out) {
    i64 nbytes = k_str_nbytes(str);
    const u8 *p = k_str_data(str);
    u8 small[256];
    u8 *buf = nbytes <= (i64)sizeof small ? small : k_malloc((u64)nbytes);
    i64 n = 0;
    bool ok = 1;
    for (i64 i = 0; i < nbytes && ok;) {
        i64 adv;
        u32 cp = k_utf8_decode(p + i, &adv);
        i += adv;
        int dv;
        if (cp < 127)
            buf[n++] = (u8)cp;
        else if (k_uc_flags(cp) & K_UC_SPACE)
            buf[n++] = ' ';
        else if ((dv = decimal_value(cp)) >= 0)
            buf[n++] = (u8)('0' + dv);
        else
            ok = 0;
    }
    ok = ok && k_float_parse(buf, n, out);
    if (buf != small) k_mfree(buf);
    return ok;
}

double k_float_from_str(kval str) {
    double d;
    const u8 *p = k_str_data(str);
    i64 n = k_str_nbytes(str);
    bool ok;
    if (k_str_is_ascii(str)) {
        ok = 1;
        for (i64 i = 0; i < n; i++)
            if (p[i] == 0 || p[i] == 127) ok = 0;
        ok = ok && k_float_parse(p, n, &d);
    } else {
        ok = parse_unicode(str, &d);
    }
    if (!ok) {
        k_raise_fmt(&k_ValueError_type, "could not convert string to float: %R", str);
        return -1.0;
    }
    return d;
}
