/* kaa: sse */
/* A freestanding libm subset for the math module and `**`. (Overview: float.h.)
 *
 * Exact functions (sqrt, fabs, floor, ceil, trunc, fmod) work on the bits and are
 * exactly glibc's results. The transcendental ones are written further below.
 */
#include "float.h"

static u64 to_bits(double d) {
    u64 b;
    __builtin_memcpy(&b, &d, 8);
    return b;
}

static double from_bits(u64 b) {
    double d;
    __builtin_memcpy(&d, &b, 8);
    return d;
}

/* ---- exact functions ---- */

double k_math_sqrt(double x) { return __builtin_sqrt(x); }

double k_math_fabs(double x) { return __builtin_fabs(x); }

/* Clear the fraction bits below the binary point. */
double k_math_trunc(double x) {
    u64 b = to_bits(x);
    int be = (int)((b >> 52) & 0x7ff);
    if (be >= 1075) return x;                          /* integral, inf or nan */
    if (be < 1023) return from_bits(b & (1ULL << 63));  /* |x| < 1: signed zero */
    u64 mask = (1ULL << (1075 - be)) - 1;
    return from_bits(b & ~mask);
}

double k_math_floor(double x) {
    double t = k_math_trunc(x);
    return x < 0 && t != x ? t - 1.0 : t;
}

double k_math_ceil(double x) {
    double t = k_math_trunc(x);
    return x > 0 && t != x ? t + 1.0 : t;
}

/* |x| = m * 2**e with m an integer < 2**53 (normal numbers get their hidden bit). */
static u64 mant_exp(u64 b, int *e) {
    int be = (int)((b >> 52) & 0x7ff);
    u64 m = b & ((1ULL << 52) - 1);
    if (be == 0) {
        *e = -1074;
        return m;
    }
    *e = be - 1075;
    return m | (1ULL << 52);
}

/* m * 2**e, exactly representable by construction (m < 2**53, e >= -1074). */
static double make_double(u64 m, int e, u64 sign) {
    if (m == 0) return from_bits(sign);
    while (!(m >> 52) && e > -1074) {
        m <<= 1;
        e--;
    }
    u64 be = (m >> 52) ? (u64)(e + 1075) : 0;
    return from_bits(sign | (be << 52) | (m & ((1ULL << 52) - 1)));
}

/* x - n*y exactly, n = trunc(x/y): the remainder of the integer significands, reduced
 * 11 bits at a time so (r << 11) never overflows 64 bits. */
double k_math_fmod(double x, double y) {
    u64 bx = to_bits(x), by = to_bits(y);
    u64 sign = bx & (1ULL << 63);
    u64 ax = bx & ~(1ULL << 63), ay = by & ~(1ULL << 63);
    if (ax >= 0x7ff0000000000000ULL || ay > 0x7ff0000000000000ULL || ay == 0) return (x * y) / (x * y);
    if (ay == 0x7ff0000000000000ULL || ax < ay) return x;
    int ex, ey;
    u64 mx = mant_exp(ax, &ex), my = mant_exp(ay, &ey);
    u64 r = mx % my;
    for (int k = ex - ey; k > 0;) {
        int step = k < 11 ? k : 11;
        r = (r << step) % my;
        k -= step;
    }
    return make_double(r, ey, sign);
}

/* ---- transcendental functions (TODO) ---- */
double k_math_pow(double x, double y) { (void)x; (void)y; return __builtin_nan(""); }
double k_math_exp(double x) { (void)x; return __builtin_nan(""); }
double k_math_log(double x) { (void)x; return __builtin_nan(""); }
double k_math_log2(double x) { (void)x; return __builtin_nan(""); }
double k_math_log10(double x) { (void)x; return __builtin_nan(""); }
double k_math_sin(double x) { (void)x; return __builtin_nan(""); }
double k_math_cos(double x) { (void)x; return __builtin_nan(""); }
double k_math_tan(double x) { (void)x; return __builtin_nan(""); }
double k_math_atan(double x) { (void)x; return __builtin_nan(""); }
double k_math_atan2(double y, double x) { (void)x; (void)y; return __builtin_nan(""); }
double k_math_hypot(double x, double y) { (void)x; (void)y; return __builtin_nan(""); }
