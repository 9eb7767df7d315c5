/* kaa: sse */
/* Binary to decimal: the digits of a double, exactly as David Gay's dtoa produces them
 * for CPython (Python/dtoa.c modes 0, 2 and 3), without its code.
 *
 * Results are a digit string and a decimal-point position: digits "d1 d2 ... dn" (ASCII,
 * no leading zero, trailing zeros removed) and decpt, meaning 0.d1d2...dn * 10**decpt.
 * Zero is "0" with decpt 1. The sign is the caller's business (the functions use |d|);
 * d must be finite.
 *
 * Shortest (mode 0, repr): the shortest digit string that reads back as d under
 * round-half-even, and among those the nearest to d; a tie between two candidates goes
 * to the even last digit. The fast path is Ryu (Ulf Adams, "Ryu: fast float-to-string
 * conversion", PLDI 2018) in float_ryu.c; the reference algorithm, used to check Ryu in
 * the tests, is Steele & White's free-format printing (Dragon4) with exact big integers:
 *   v = r / s * 10**k, with the rounding interval's half-widths m- and m+ (the distance
 *   to the neighbouring doubles, halved; m- is half of m+ when d is a power of two whose
 *   lower neighbour is closer). Digits are generated while neither boundary is reached;
 *   the interval is closed when the mantissa is even (round-half-even reads the
 *   boundary back as d), open otherwise.
 * Fixed (modes 2 and 3, format with a precision, round()): the exact binary value is
 * rounded half-even at the requested digit, by generating digits of r / s exactly and
 * comparing the remainder with s / 2. Mode 2 keeps `ndigits` significant digits; mode 3
 * keeps digits down to 10**-ndigits (ndigits may be negative) and may return no digits
 * at all, when the value rounds to zero: then decpt is -ndigits, as dtoa does.
 * A double's exact expansion has at most 767 significant digits, so K_DTOA_BUF bytes
 * always suffice whatever the requested precision: generation stops at an exact
 * remainder of zero.
 */
#include "float.h"
#include "float_bignum.h"

typedef struct {
    u64 f;          /* integer significand (implicit bit included for normal numbers) */
    int e;          /* binary exponent: |d| = f * 2**e */
    bool asym;      /* the lower neighbour is at half the distance of the upper one */
} Decoded;

static Decoded decode(double d) {
    u64 bits;
    __builtin_memcpy(&bits, &d, 8);
    u64 frac = bits & ((1ULL << 52) - 1);
    int be = (int)((bits >> 52) & 0x7ff);
    Decoded r;
    if (be == 0) {
        r.f = frac;
        r.e = -1074;
    } else {
        r.f = frac | (1ULL << 52);
        r.e = be - 1075;
    }
    r.asym = frac == 0 && be > 1;
    return r;
}

static int bitlen64(u64 x) { return 64 - __builtin_clzll(x); }

/* ceil(x * log10(2)) for |x| < 1700: 10**(k-1) < 2**x <= 10**k. log10(2**x) is not an
 * integer for x != 0, so ceil is floor + 1; 1262611 / 2**22 approximates log10(2)
 * closely enough for the floor to be exact in this range. */
static int ceil_log10_pow2(int x) {
    if (x == 0) return 0;
    return (int)(((i64)x * 1262611) >> 22) + 1;
}

/* Shift so the divisor's top limb is in [2**27, 2**28): the quotient estimate in
 * kbig_divrem_small_q is then off by at most one. */
static void normalize(KBig *r, KBig *s, KBig *mp, KBig *mm) {
    int top = 31 - __builtin_clz(s->d[s->n - 1]);
    int sh = (27 - top) & 31;
    if (!sh) return;
    kbig_shl(r, sh);
    kbig_shl(s, sh);
    if (mp) kbig_shl(mp, sh);
    if (mm) kbig_shl(mm, sh);
}

/* Add one unit in the last place of digits[0..n) (decimal carry); returns the new count
 * and bumps *decpt when 99..9 becomes 1. */
static int round_up(char *digits, int n, int *decpt) {
    int i = n - 1;
    while (i >= 0 && digits[i] == '9') i--;
    if (i < 0) {
        digits[0] = '1';
        (*decpt)++;
        return 1;
    }
    digits[i]++;
    return i + 1;
}

static int strip_zeros(const char *digits, int n) {
    while (n > 1 && digits[n - 1] == '0') n--;
    return n;
}

int k_dtoa_shortest_dragon4(double d, char *out, int *decpt) {
    Decoded v = decode(d);
    if (v.f == 0) {
        out[0] = '0';
        *decpt = 1;
        return 1;
    }
    bool even = (v.f & 1) == 0;
    int a = v.asym;
    KBig r, s, mp, mm;
    kbig_set_u64(&r, v.f);
    if (v.e >= 0) {
        kbig_shl(&r, v.e + 1 + a);
        kbig_set_pow2(&s, 1 + a);
        kbig_set_pow2(&mm, v.e);
        kbig_set_pow2(&mp, v.e + a);
    } else {
        kbig_shl(&r, 1 + a);
        kbig_set_pow2(&s, 1 - v.e + a);
        kbig_set_pow2(&mm, 0);
        kbig_set_pow2(&mp, a);
    }
    int k = ceil_log10_pow2(v.e + bitlen64(v.f) - 1);
    if (k >= 0) {
        kbig_mul_pow10(&s, k);
    } else {
        kbig_mul_pow10(&r, -k);
        kbig_mul_pow10(&mp, -k);
        kbig_mul_pow10(&mm, -k);
    }
    int c = kbig_cmp_sum(&r, &mp, &s);     /* is the upper boundary >= 10**k? */
    if (c > 0 || (c == 0 && even)) {
        kbig_mul_small(&s, 10);
        k++;
    }
    normalize(&r, &s, &mp, &mm);
    *decpt = k;
    int n = 0;
    for (;;) {
        kbig_mul_small(&r, 10);
        kbig_mul_small(&mp, 10);
        kbig_mul_small(&mm, 10);
        u32 u = kbig_divrem_small_q(&r, &s);
        int cl = kbig_cmp(&r, &mm);
        int ch = kbig_cmp_sum(&r, &mp, &s);
        bool low = cl < 0 || (cl == 0 && even);
        bool high = ch > 0 || (ch == 0 && even);
        if (!low && !high) {
            out[n++] = (char)('0' + u);
            continue;
        }
        bool up = high;
        if (low && high) {   /* both candidates fit: the nearer one, ties to even */
            KBig r2;
            kbig_add(&r2, &r, &r);
            int c2 = kbig_cmp(&r2, &s);
            up = c2 > 0 || (c2 == 0 && (u & 1));
        }
        out[n++] = (char)('0' + u);
        if (up) n = round_up(out, n, decpt);
        return strip_zeros(out, n);
    }
}

int k_dtoa_fixed(double d, int mode, int ndigits, char *out, int *decpt) {
    Decoded v = decode(d);
    if (v.f == 0) {
        out[0] = '0';
        *decpt = 1;
        return 1;
    }
    if (mode == 2 && ndigits < 1) ndigits = 1;
    KBig r, s;
    kbig_set_u64(&r, v.f);
    if (v.e >= 0) {
        kbig_shl(&r, v.e);
        kbig_set_pow2(&s, 0);
    } else {
        kbig_set_pow2(&s, -v.e);
    }
    int k = ceil_log10_pow2(v.e + bitlen64(v.f) - 1);
    if (k >= 0)
        kbig_mul_pow10(&s, k);
    else
        kbig_mul_pow10(&r, -k);
    if (kbig_cmp(&r, &s) >= 0) {            /* now 10**(k-1) <= v < 10**k */
        kbig_mul_small(&s, 10);
        k++;
    }
    i64 nd = mode == 2 ? ndigits : (i64)k + ndigits;
    if (nd <= 0) {   /* the first digit is below the cut: v rounds to 0 or 10**(k+...) */
        KBig r2;
        kbig_add(&r2, &r, &r);
        if (nd == 0 && kbig_cmp(&r2, &s) > 0) {
            out[0] = '1';
            *decpt = k + 1;
            return 1;
        }
        *decpt = -ndigits;
        return 0;
    }
    normalize(&r, &s, 0, 0);
    *decpt = k;
    int n = 0;
    while (n < nd && !kbig_is_zero(&r)) {
        kbig_mul_small(&r, 10);
        out[n++] = (char)('0' + kbig_divrem_small_q(&r, &s));
    }
    if (!kbig_is_zero(&r)) {   /* round half-even on the exact remainder */
        KBig r2;
        kbig_add(&r2, &r, &r);
        int c = kbig_cmp(&r2, &s);
        if (c > 0 || (c == 0 && ((out[n - 1] - '0') & 1))) n = round_up(out, n, decpt);
    }
    return strip_zeros(out, n);
}
