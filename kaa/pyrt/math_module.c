/* Python's math module over the runtime's libm subset (float_math.c): CPython's rules for
 * errors around each function (Modules/mathmodule.c's math_1 / math_2 wrappers):
 *   - a finite argument giving NaN is ValueError("math domain error");
 *   - a finite argument giving an infinity is OverflowError("math range error"), except
 *     for the functions whose infinities are exact answers (log(0) is a domain error);
 *   - NaN in gives NaN out, infinities in follow IEEE.
 * Functions returning int (floor, ceil, trunc, gcd, factorial, comb) go through int.h.
 * Every function sets k_exc and returns -1.0 (or 0 for kval) when it raises.
 */
#include "math_module.h"
#include "float.h"
#include "int.h"
#include "list.h"

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

double k_mathmod_log_base(double x, double base) {
    double num = k_mathmod_log(x);
    if (k_exc) return -1.0;
    double den = k_mathmod_log(base);
    if (k_exc) return -1.0;
    if (den == 0.0) {
        k_raise_str(&k_ZeroDivisionError_type, "float division by zero");
        return -1.0;
    }
    return num / den;
}

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

double k_mathmod_hypot(double x, double y) { return k_math_hypot(x, y); }

double k_mathmod_copysign(double x, double y) { return __builtin_copysign(x, y); }

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
        k_raise_str(&k_OverflowError_type, "k must not exceed 9223372036854775807");
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
        double x = K_IS_SMALL(v) || K_OBJ(v)->type != &k_float_type ? k_int_to_double(v) : k_float_unbox(v);
        k_decref(v);
        if (k_exc) break;
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
