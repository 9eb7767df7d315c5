/* Python's math module over the runtime's libm subset (float_math.c): CPython's rules for
 * errors around each function (Modules/mathmodule.c's math_1 / math_2 wrappers):
 *   - a finite argument giving NaN is ValueError("math domain error");
 *   - a finite argument giving an infinity is OverflowError("math range error"), except
 *     for the functions whose infinities are exact answers (log(0) is a domain error);
 *   - NaN in gives NaN out, infinities in follow IEEE.
 * gamma and lgamma are CPython's own (its Lanczos approximation, not libm's), computed
 * the same way over our exp/pow/log/sin/cos, so they agree with CPython whenever those
 * agree with glibc. Functions returning int (floor, ceil, trunc, gcd, lcm, isqrt,
 * factorial, comb, perm) go through int.h.
 * Every function sets k_exc and returns -1.0 (or 0 for kval) when it raises.
 */
#include "math_module.h"
#include "dynamic.h"
#include "float.h"
#include "int.h"
#include "list.h"
#include "tuple.h"

static bool is_nan(double x) { return x != x; }
static bool is_inf(double x) { return x == __builtin_inf() || x == -__builtin_inf(); }
static bool is_finite(double x) { return !is_nan(x) && !is_inf(x); }

static double domain_error(void) {
    k_raise_str(&k_ValueError_type, "math domain error");
    return -1.0;
}

static double range_error(void) {
    k_raise_str(&k_OverflowError_type, "math range error");
    return -1.0;
}

/* math_1: r = f(x); NaN from a non-NaN is a domain error, an infinity from a finite x a
 * range error (when can_overflow) or a domain error. */
static double checked(double x, double r, bool can_overflow) {
    if (is_nan(r) && !is_nan(x)) return domain_error();
    if (is_inf(r) && is_finite(x)) return can_overflow ? range_error() : domain_error();
    return r;
}

double k_mathmod_sqrt(double x) { return x < 0 ? domain_error() : k_math_sqrt(x); }
double k_mathmod_exp(double x) { return checked(x, k_math_exp(x), 1); }
double k_mathmod_sin(double x) { return checked(x, is_inf(x) ? __builtin_nan("") : k_math_sin(x), 0); }
double k_mathmod_cos(double x) { return checked(x, is_inf(x) ? __builtin_nan("") : k_math_cos(x), 0); }
double k_mathmod_tan(double x) { return checked(x, is_inf(x) ? __builtin_nan("") : k_math_tan(x), 0); }
double k_mathmod_atan(double x) { return k_math_atan(x); }
double k_mathmod_atan2(double y, double x) { return k_math_atan2(y, x); }
double k_mathmod_asin(double x) { return checked(x, k_math_asin(x), 0); }
double k_mathmod_acos(double x) { return checked(x, k_math_acos(x), 0); }
double k_mathmod_sinh(double x) { return checked(x, k_math_sinh(x), 1); }
double k_mathmod_cosh(double x) { return checked(x, k_math_cosh(x), 1); }
double k_mathmod_tanh(double x) { return checked(x, k_math_tanh(x), 0); }
double k_mathmod_asinh(double x) { return checked(x, k_math_asinh(x), 0); }
double k_mathmod_acosh(double x) { return checked(x, k_math_acosh(x), 0); }
double k_mathmod_atanh(double x) { return checked(x, k_math_atanh(x), 0); }
double k_mathmod_exp2(double x) { return checked(x, k_math_exp2(x), 1); }
double k_mathmod_expm1(double x) { return checked(x, k_math_expm1(x), 1); }
double k_mathmod_log1p(double x) { return checked(x, k_math_log1p(x), 0); }
double k_mathmod_cbrt(double x) { return checked(x, k_math_cbrt(x), 0); }
/* erf and erfc go through math_1a, which only looks at errno: glibc sets none that counts. */
double k_mathmod_erf(double x) { return k_math_erf(x); }
double k_mathmod_erfc(double x) { return k_math_erfc(x); }
double k_mathmod_fabs(double x) { return __builtin_fabs(x); }
double k_mathmod_degrees(double x) { return x * (180.0 / 3.141592653589793); }
double k_mathmod_radians(double x) { return x * (3.141592653589793 / 180.0); }

/* log of zero or a negative number is a domain error (not -inf, not NaN). */
static double log_checked(double x, double (*f)(double)) {
    if (is_nan(x) || x == __builtin_inf()) return x;
    if (x <= 0) return domain_error();
    return f(x);
}

double k_mathmod_log(double x) { return log_checked(x, k_math_log); }
double k_mathmod_log2(double x) { return log_checked(x, k_math_log2); }
double k_mathmod_log10(double x) { return log_checked(x, k_math_log10); }

/* CPython's loghelper for an int n: a domain error unless n > 0; n as a float when it
 * fits, else n = m * 2**e (m correctly rounded to 53 bits, in [0.5, 1)) and
 * f(m) + f(2) * e. */
static double log_int(kval n, double (*f)(double)) {
    if (k_int_cmp(n, k_int_small(0)) <= 0) return domain_error();
    double x = k_int_to_double(n);
    if (!k_exc) return f(x);
    k_decref(k_exc_fetch());                     /* too big for a float: take it apart */
    kval bits = k_int_bit_length(n);
    i64 e;
    k_int_to_i64(bits, &e);
    k_decref(bits);
    kval shift = k_int_from_i64(e - 55);
    kval top = k_int_rshift(n, shift);
    kval back = k_int_lshift(top, shift);
    i64 t;
    k_int_to_i64(top, &t);                       /* 55 bits, and a sticky bit for what was shifted out */
    t |= !k_int_eq(back, n);
    k_decref(shift);
    k_decref(top);
    k_decref(back);
    double m = (double)t * 0x1p-55;               /* rounded once, half-even */
    if (m == 1.0) {
        m = 0.5;
        e++;
    }
    return f(m) + f(2.0) * (double)e;
}

double k_mathmod_log_int(kval n) { return log_int(n, k_math_log); }
double k_mathmod_log2_int(kval n) { return log_int(n, k_math_log2); }
double k_mathmod_log10_int(kval n) { return log_int(n, k_math_log10); }

double k_mathmod_fmod(double x, double y) {
    if (is_nan(x) || is_nan(y)) return x + y;
    if (is_inf(y) && is_finite(x)) return x;
    if (y == 0 || is_inf(x)) return domain_error();
    return k_math_fmod(x, y);
}

/* math.pow differs from **: 0.0 ** -1 is a domain error here, a ZeroDivisionError there. */
double k_mathmod_pow(double x, double y) {
    if (is_finite(x) && is_finite(y)) {
        if (x == 0 && y < 0) return domain_error();
        if (x < 0 && y != k_math_floor(y)) return domain_error();
        double r = k_math_pow(x, y);
        return is_inf(r) ? range_error() : r;
    }
    return k_math_pow(x, y);
}

double k_mathmod_hypot_n(i64 n, const double *v) { return k_math_vector_norm(v, n); }

double k_mathmod_copysign(double x, double y) { return __builtin_copysign(x, y); }
double k_mathmod_nextafter(double x, double y) { return k_math_nextafter(x, y); }

double k_mathmod_ulp(double x) {
    if (is_nan(x)) return x;
    x = __builtin_fabs(x);
    if (is_inf(x)) return x;
    double up = k_math_nextafter(x, __builtin_inf());
    return is_inf(up) ? x - k_math_nextafter(x, 0.0) : up - x;    /* the largest float: the gap below */
}

/* CPython's m_remainder: x - n*y for the nearest integer n (even on a tie), exactly. The
 * tie test compares m with absy - m, not with absy/2 (which can round when absy is tiny). */
double k_mathmod_remainder(double x, double y) {
    if (is_nan(x)) return x;
    if (is_nan(y)) return y;
    if (is_inf(x) || y == 0) return domain_error();
    if (is_inf(y)) return x;
    double ax = __builtin_fabs(x), ay = __builtin_fabs(y);
    double m = k_math_fmod(ax, ay), c = ay - m, r;
    if (m < c)
        r = m;
    else if (m > c)
        r = -c;
    else                                         /* m - 2*fmod((ax - m)/2, ay): m or -m, by n's parity */
        r = m - 2.0 * k_math_fmod(0.5 * (ax - m), ay);
    return __builtin_copysign(1.0, x) * r;
}

/* ldexp(x, i) for any int i: exponents beyond a C long are clamped (as CPython does). */
double k_mathmod_ldexp(double x, kval i) {
    i64 n;
    if (!k_int_to_i64(i, &n)) n = k_int_cmp(i, k_int_small(0)) < 0 ? -(1LL << 62) : 1LL << 62;
    double r = k_math_ldexp(x, n);
    return is_inf(r) && is_finite(x) ? range_error() : r;
}

/* A 2-tuple owning a and b. */
static kval pair(kval a, kval b) {
    kval t = k_tuple_new(2);
    k_tuple_items(t)[0] = a;
    k_tuple_items(t)[1] = b;
    return t;
}

kval k_mathmod_frexp(double x) {
    int e;
    double m = k_math_frexp(x, &e);
    return pair(k_float_box(m), k_int_from_i64(e));
}

kval k_mathmod_modf(double x) {
    if (is_nan(x)) return pair(k_float_box(x), k_float_box(x));
    double whole = is_inf(x) ? x : k_math_trunc(x);
    return pair(k_float_box(__builtin_copysign(is_inf(x) ? 0.0 : x - whole, x)), k_float_box(whole));
}

/* A number's value as CPython's PyFloat_AsDouble takes it (ints converted, rounded). */
static bool as_double(kval v, double *out) {
    if (!K_IS_SMALL(v) && K_OBJ(v)->type == &k_float_type) {
        *out = k_float_unbox(v);
        return 1;
    }
    if (K_IS_SMALL(v) || (K_OBJ(v)->type->flags & K_TF_INT)) {
        *out = k_int_to_double(v);
        return !k_exc;
    }
    k_raise_fmt(&k_TypeError_type, "must be real number, not %s", k_type_of(v)->name);
    return 0;
}

/* The values of a tuple t as doubles in d[0..n): false when one is no number (raised). */
static bool tuple_doubles(kval t, double *d) {
    for (i64 i = 0; i < k_tuple_len_fast(t); i++)
        if (!as_double(k_tuple_items(t)[i], &d[i])) return 0;
    return 1;
}

double k_mathmod_hypot_of(kval iterable) {
    kval t = k_tuple_from_iter(iterable);
    if (!t) return -1.0;
    i64 n = k_tuple_len_fast(t);
    double small[16], *d = n <= 16 ? small : k_malloc((u64)n * sizeof(double));
    double r = tuple_doubles(t, d) ? k_math_vector_norm(d, n) : -1.0;
    if (d != small) k_mfree(d);
    k_decref(t);
    return r;
}

/* dist(p, q): both made tuples first, as CPython does, so lengths are checked before items. */
double k_mathmod_dist(kval p, kval q) {
    double r = -1.0;
    kval tp = k_tuple_from_iter(p);
    if (!tp) return r;
    kval tq = k_tuple_from_iter(q);
    if (!tq) {
        k_decref(tp);
        return r;
    }
    i64 n = k_tuple_len_fast(tp);
    if (n != k_tuple_len_fast(tq)) {
        k_raise_str(&k_ValueError_type, "both points must have the same number of dimensions");
    } else {
        double small[16], *d = n <= 16 ? small : k_malloc((u64)n * sizeof(double));
        i64 i = 0;
        for (; i < n; i++) {
            double a, b;
            if (!as_double(k_tuple_items(tp)[i], &a) || !as_double(k_tuple_items(tq)[i], &b)) break;
            d[i] = a - b;
        }
        if (i == n) r = k_math_vector_norm(d, n);
        if (d != small) k_mfree(d);
    }
    k_decref(tp);
    k_decref(tq);
    return r;
}

bool k_mathmod_isclose(double a, double b, double rel_tol, double abs_tol) {
    if (rel_tol < 0.0 || abs_tol < 0.0) {
        k_raise_str(&k_ValueError_type, "tolerances must be non-negative");
        return 0;
    }
    if (a == b) return 1;
    if (is_inf(a) || is_inf(b)) return 0;
    double diff = __builtin_fabs(b - a);
    return (diff <= __builtin_fabs(rel_tol * b)) || (diff <= __builtin_fabs(rel_tol * a)) || (diff <= abs_tol);
}

/* ---- gamma, lgamma: CPython's m_tgamma and m_lgamma ----
 * For x > 0 the Lanczos approximation with N = 13 and g = 6.024680040776729583740234375
 * (as Boost and CPython), its sum taken as a rational function (in 1/x from 5 on, so
 * nothing overflows); x + g - 1/2 is corrected for its rounding error e by the factor
 * 1 + e*g/y. x < 0 goes through the reflection formula with sin(pi*x) computed exactly
 * enough near integers. Errors are CPython's (its math_1a): EDOM cases ValueError, an
 * infinite result OverflowError. */

enum { GAMMA_OK, GAMMA_DOMAIN, GAMMA_RANGE };

#define LANCZOS_N 13
static const double LANCZOS_G = 6.024680040776729583740234375;
static const double LANCZOS_G_MINUS_HALF = 5.524680040776729583740234375;
static const double LANCZOS_NUM[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940, 42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843, 17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708, 1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801, 31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768, 186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024, 210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
};
/* x (x+1) ... (x+11) expanded: the denominator's coefficients, constant term first */
static const double LANCZOS_DEN[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0, 357423.0,
    32670.0, 1925.0, 66.0, 1.0,
};
static const double PI_D = 3.141592653589793238462643383279502884197;
static const double LOG_PI = 1.144729885849400174143427351353058711647;

static double lanczos_sum(double x) {          /* x > 0 */
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N - 1; i >= 0; i--) {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    return num / den;
}

/* C's round(): halfway cases away from zero (v >= 0 here). */
static double round_half_away(double v) {
    double t = k_math_trunc(v);
    return v - t >= 0.5 ? t + 1.0 : t;
}

/* sin(pi * x) for finite x: reduced modulo 2 exactly, then the quadrant's sin or cos of an
 * argument within pi/4 of zero, so multiples of 1/2 give exact zeros and ones. */
static double sinpi(double x) {
    double y = k_math_fmod(__builtin_fabs(x), 2.0), r;
    switch ((int)round_half_away(2.0 * y)) {
    case 0: r = k_math_sin(PI_D * y); break;
    case 1: r = k_math_cos(PI_D * (y - 0.5)); break;
    case 2: r = k_math_sin(PI_D * (1.0 - y)); break;      /* not -sin(pi*(y-1)): +0.0 at y == 1 */
    case 3: r = -k_math_cos(PI_D * (y - 1.5)); break;
    default: r = k_math_sin(PI_D * (y - 2.0)); break;
    }
    return __builtin_copysign(1.0, x) * r;
}

static double tgamma_(double x, int *err) {
    if (!is_finite(x)) {
        if (is_nan(x) || x > 0.0) return x;
        *err = GAMMA_DOMAIN;
        return __builtin_nan("");
    }
    if (x == 0.0) {
        *err = GAMMA_DOMAIN;
        return __builtin_copysign(__builtin_inf(), x);
    }
    if (x == k_math_floor(x)) {
        if (x < 0.0) {
            *err = GAMMA_DOMAIN;
            return __builtin_nan("");
        }
        if (x <= 23.0) {                         /* (x-1)!, exact in a double up to 22! */
            double f = 1.0;
            for (double i = 2.0; i < x; i += 1.0) f *= i;
            return f;
        }
    }
    double ax = __builtin_fabs(x), r;
    if (ax < 1e-20) {
        r = 1.0 / x;
        if (is_inf(r)) *err = GAMMA_RANGE;
        return r;
    }
    if (ax > 200.0) {
        if (x < 0.0) return 0.0 / sinpi(x);
        *err = GAMMA_RANGE;
        return __builtin_inf();
    }
    double y = ax + LANCZOS_G_MINUS_HALF;
    double z = ax > LANCZOS_G_MINUS_HALF ? (y - ax) - LANCZOS_G_MINUS_HALF : (y - LANCZOS_G_MINUS_HALF) - ax;
    z = z * LANCZOS_G / y;                       /* the rounding error of y, times g/y */
    if (x < 0.0) {
        r = -PI_D / sinpi(ax) / ax * k_math_exp(y) / lanczos_sum(ax);
        r -= z * r;
        if (ax < 140.0) {
            r /= k_math_pow(y, ax - 0.5);
        } else {
            double half = k_math_pow(y, ax / 2.0 - 0.25);
            r /= half;
            r /= half;
        }
    } else {
        r = lanczos_sum(ax) / k_math_exp(y);
        r += z * r;
        if (ax < 140.0) {
            r *= k_math_pow(y, ax - 0.5);
        } else {
            double half = k_math_pow(y, ax / 2.0 - 0.25);
            r *= half;
            r *= half;
        }
    }
    if (is_inf(r)) *err = GAMMA_RANGE;
    return r;
}

static double lgamma_(double x, int *err) {
    if (!is_finite(x)) return is_nan(x) ? x : __builtin_inf();
    if (x == k_math_floor(x) && x <= 2.0) {
        if (x <= 0.0) {
            *err = GAMMA_DOMAIN;
            return __builtin_inf();
        }
        return 0.0;                              /* lgamma(1) = lgamma(2) = 0 */
    }
    double ax = __builtin_fabs(x);
    if (ax < 1e-20) return -k_math_log(ax);
    double r = k_math_log(lanczos_sum(ax)) - LANCZOS_G;
    r += (ax - 0.5) * (k_math_log(ax + LANCZOS_G - 0.5) - 1);
    if (x < 0.0) r = LOG_PI - k_math_log(__builtin_fabs(sinpi(ax))) - k_math_log(ax) - r;
    if (is_inf(r)) *err = GAMMA_RANGE;
    return r;
}

/* math_1a's is_error: EDOM raises; ERANGE only for a result of at least 1.5 (underflow passes). */
static double gamma_result(double r, int err) {
    if (err == GAMMA_DOMAIN) return domain_error();
    if (err == GAMMA_RANGE && __builtin_fabs(r) >= 1.5) return range_error();
    return r;
}

double k_mathmod_gamma(double x) {
    int err = GAMMA_OK;
    double r = tgamma_(x, &err);
    return gamma_result(r, err);
}

double k_mathmod_lgamma(double x) {
    int err = GAMMA_OK;
    double r = lgamma_(x, &err);
    return gamma_result(r, err);
}

/* floor/ceil/trunc of a float are ints (ValueError for NaN, OverflowError for inf). */
kval k_mathmod_floor(double x) { return k_int_from_double(k_math_floor(x)); }
kval k_mathmod_ceil(double x) { return k_int_from_double(k_math_ceil(x)); }
kval k_mathmod_trunc(double x) { return k_int_from_double(k_math_trunc(x)); }

kval k_mathmod_gcd(kval a, kval b) {
    kval x = k_int_abs(a), y = k_int_abs(b);
    while (x && y && y != k_int_small(0)) {
        kval r = k_int_mod(x, y);
        k_decref(x);
        x = y;
        y = r;
    }
    k_xdecref(y);
    return x;
}

kval k_mathmod_lcm(kval a, kval b) {
    if (k_int_eq(a, k_int_small(0)) || k_int_eq(b, k_int_small(0))) return k_int_small(0);
    kval g = k_mathmod_gcd(a, b);
    if (!g) return 0;
    kval f = k_int_floordiv(a, g);
    k_decref(g);
    if (!f) return 0;
    kval m = k_int_mul(f, b);
    k_decref(f);
    if (!m) return 0;
    kval r = k_int_abs(m);
    k_decref(m);
    return r;
}

/* gcd(*v) and lcm(*v): folded from the left over |v[0]|. */
static kval fold(i64 n, const kval *v, kval (*f)(kval, kval), i64 empty) {
    if (n == 0) return k_int_small(empty);
    kval r = k_int_abs(v[0]);
    for (i64 i = 1; i < n && r; i++) {
        kval next = f(r, v[i]);
        k_decref(r);
        r = next;
    }
    return r;
}

kval k_mathmod_gcd_n(i64 n, const kval *v) { return fold(n, v, k_mathmod_gcd, 0); }
kval k_mathmod_lcm_n(i64 n, const kval *v) { return fold(n, v, k_mathmod_lcm, 1); }

/* f(*iterable): the items as a tuple (ints, as PyNumber_Index wants), then f of its array. */
static kval fold_of(kval iterable, kval (*f)(i64, const kval *)) {
    kval t = k_tuple_from_iter(iterable);
    if (!t) return 0;
    kval r = 0;
    for (i64 i = 0; i < k_tuple_len_fast(t); i++) {
        kval v = k_tuple_items(t)[i];
        if (!K_IS_SMALL(v) && !(K_OBJ(v)->type->flags & K_TF_INT)) {
            k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(v)->name);
            break;
        }
    }
    if (!k_exc) r = f(k_tuple_len_fast(t), k_tuple_items(t));
    k_decref(t);
    return r;
}

kval k_mathmod_gcd_of(kval iterable) { return fold_of(iterable, k_mathmod_gcd_n); }
kval k_mathmod_lcm_of(kval iterable) { return fold_of(iterable, k_mathmod_lcm_n); }

static u64 isqrt64(u64 n) {
    u64 r = (u64)k_math_sqrt((double)n);         /* within one of the answer; fixed up exactly */
    while (r > 0 && (unsigned __int128)r * r > n) r--;
    while ((unsigned __int128)(r + 1) * (r + 1) <= n) r++;
    return r;
}

/* Newton's iteration x -> (x + n // x) // 2 from above: it decreases strictly until it
 * reaches isqrt(n). The start, isqrt of n's top 60 bits plus one, shifted back, is at
 * most 2**-29 above the answer, so each big division doubles the correct bits. */
kval k_mathmod_isqrt(kval n) {
    if (k_int_cmp(n, k_int_small(0)) < 0) {
        k_raise_str(&k_ValueError_type, "isqrt() argument must be nonnegative");
        return 0;
    }
    i64 small;
    if (k_int_to_i64(n, &small)) return k_int_from_u64(isqrt64((u64)small));
    kval bits = k_int_bit_length(n);
    i64 len;
    k_int_to_i64(bits, &len);
    k_decref(bits);
    i64 s = (len - 59) / 2;                      /* n >> 2s has 59 or 60 bits */
    kval sk = k_int_from_i64(s), s2 = k_int_from_i64(2 * s);
    kval top = k_int_rshift(n, s2);
    i64 t;
    k_int_to_i64(top, &t);
    k_decref(top);
    kval start = k_int_from_u64(isqrt64((u64)t) + 1);
    kval x = k_int_lshift(start, sk);
    k_decref(start);
    k_decref(sk);
    k_decref(s2);
    while (x) {
        kval q = k_int_floordiv(n, x);
        kval sum = q ? k_int_add(x, q) : 0;
        k_xdecref(q);
        kval y = sum ? k_int_rshift(sum, k_int_small(1)) : 0;
        k_xdecref(sum);
        if (!y || k_int_cmp(y, x) >= 0) {
            k_xdecref(y);
            break;
        }
        k_decref(x);
        x = y;
    }
    if (k_exc) {
        k_xdecref(x);
        return 0;
    }
    return x;
}

kval k_mathmod_factorial(kval n) {
    if (k_int_cmp(n, k_int_small(0)) < 0) {
        k_raise_str(&k_ValueError_type, "factorial() not defined for negative values");
        return 0;
    }
    i64 m;
    if (!k_int_to_i64(n, &m)) {
        k_raise_str(&k_OverflowError_type, "factorial() argument should not exceed 9223372036854775807");
        return 0;
    }
    kval r = k_int_small(1);
    for (i64 i = 2; i <= m && r; i++) {
        kval next = k_int_mul(r, k_int_from_i64(i));
        k_decref(r);
        r = next;
    }
    return r;
}

kval k_mathmod_comb(kval n, kval k) {
    if (k_int_cmp(n, k_int_small(0)) < 0) {
        k_raise_str(&k_ValueError_type, "n must be a non-negative integer");
        return 0;
    }
    if (k_int_cmp(k, k_int_small(0)) < 0) {
        k_raise_str(&k_ValueError_type, "k must be a non-negative integer");
        return 0;
    }
    if (k_int_cmp(k, n) > 0) return k_int_small(0);
    kval rest = k_int_sub(n, k);                   /* comb(n, k) == comb(n, n - k): loop over the smaller */
    bool use_rest = rest && k_int_cmp(rest, k) < 0;
    i64 kk;
    bool fits = k_int_to_i64(use_rest ? rest : k, &kk);
    k_xdecref(rest);
    if (!fits) {
        k_raise_str(&k_OverflowError_type, "min(n - k, k) must not exceed 9223372036854775807");
        return 0;
    }
    kval r = k_int_small(1);
    for (i64 i = 0; i < kk && r; i++) {          /* r = r * (n - i) // (i + 1), exact at each step */
        kval ni = k_int_sub(n, k_int_from_i64(i));
        kval t = k_int_mul(r, ni);
        k_decref(ni);
        k_decref(r);
        r = t ? k_int_floordiv(t, k_int_from_i64(i + 1)) : 0;
        k_xdecref(t);
    }
    return r;
}

/* perm(n, k) = n * (n-1) * ... * (n-k+1); perm(n) = perm(n, None) = n!. */
kval k_mathmod_perm(kval n, kval k) {
    if (k == k_None) return k_mathmod_factorial(n);
    if (k_int_cmp(n, k_int_small(0)) < 0) {
        k_raise_str(&k_ValueError_type, "n must be a non-negative integer");
        return 0;
    }
    if (k_int_cmp(k, k_int_small(0)) < 0) {
        k_raise_str(&k_ValueError_type, "k must be a non-negative integer");
        return 0;
    }
    if (k_int_cmp(k, n) > 0) return k_int_small(0);
    i64 kk;
    if (!k_int_to_i64(k, &kk)) {
        k_raise_str(&k_OverflowError_type, "k must not exceed 9223372036854775807");
        return 0;
    }
    kval r = k_int_small(1);
    for (i64 i = 0; i < kk && r; i++) {
        kval ni = k_int_sub(n, k_int_from_i64(i));
        kval t = ni ? k_int_mul(r, ni) : 0;
        k_xdecref(ni);
        k_decref(r);
        r = t;
    }
    return r;
}

/* prod: start * item * item ..., each product as Python's `*` (exact ints, int * float
 * a float, anything else dispatched on its types). */
kval k_mathmod_prod(kval iterable, kval start) {
    kval it = k_iter(iterable);
    if (!it) return 0;
    kval r = start;
    k_incref(r);
    for (;;) {
        kval v = k_next(it);
        if (!v) break;
        kval next = k_dyn_binop(r, v, K_MUL);
        k_decref(v);
        k_decref(r);
        r = next;
        if (!r) break;
    }
    k_decref(it);
    if (k_exc) {
        k_xdecref(r);
        return 0;
    }
    return r;
}

/* The same with a float result: the product so far is a float from the start, or from
 * the first float item on (an int start times a float converts the int first). */
double k_mathmod_prod_float(kval iterable, double start) {
    kval it = k_iter(iterable);
    if (!it) return -1.0;
    double r = start;
    for (;;) {
        kval v = k_next(it);
        if (!v) break;
        double x;
        bool ok = as_double(v, &x);
        k_decref(v);
        if (!ok) break;
        r *= x;
    }
    k_decref(it);
    return k_exc ? -1.0 : r;
}

/* fsum: Shewchuk's exact partial sums (as CPython's math.fsum), then one rounding. */
double k_mathmod_fsum(kval iterable) {
    kval it = k_iter(iterable);
    if (!it) return -1.0;
    double partials[64];
    int n = 0;
    double special = 0.0, inf_sum = 0.0;      /* NaNs and infinities; the infinities alone */
    bool has_special = 0;
    for (;;) {
        kval v = k_next(it);
        if (!v) break;
        double x;
        bool ok = as_double(v, &x);
        k_decref(v);
        if (!ok) break;
        if (!is_finite(x)) {
            if (is_inf(x)) inf_sum += x;
            special = has_special ? special + x : x;
            has_special = 1;
            continue;
        }
        int i = 0;
        for (int j = 0; j < n; j++) {
            double y = partials[j];
            if (__builtin_fabs(x) < __builtin_fabs(y)) { double t = x; x = y; y = t; }
            double hi = x + y, lo = y - (hi - x);
            if (lo != 0.0) partials[i++] = lo;
            x = hi;
        }
        if (!is_finite(x)) {                    /* finite inputs whose sum overflows */
            k_raise_str(&k_OverflowError_type, "intermediate overflow in fsum");
            break;
        }
        if (i >= 63) {                          /* cannot happen for doubles (at most ~40 partials) */
            k_raise_str(&k_MemoryError_type, "math.fsum partials");
            break;
        }
        n = i;
        partials[n++] = x;
    }
    k_decref(it);
    if (k_exc) return -1.0;
    if (has_special) {
        if (is_nan(inf_sum)) k_raise_str(&k_ValueError_type, "-inf + inf in fsum");
        return special;
    }
    double hi = 0.0;
    if (n > 0) {
        hi = partials[--n];
        double lo = 0.0;
        while (n > 0) {                          /* sum from the top, stop when inexact */
            double x = hi, y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) break;
        }
        /* half-way case: round the way the remaining partials say (CPython's correction) */
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y, yr = x - hi;
            if (y == yr) hi = x;
        }
    }
    return hi;
}
