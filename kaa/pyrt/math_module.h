/* math_module.c: Python's math module (CPython's domain and range errors). Functions
 * returning a double set k_exc and return -1.0 when they raise; kval ones return 0.
 * Arguments typed kval are borrowed. */
#pragma once
#include "object.h"

/* ---- float functions ---- */
double k_mathmod_sqrt(double x);
double k_mathmod_exp(double x);
double k_mathmod_exp2(double x);
double k_mathmod_expm1(double x);
double k_mathmod_log(double x);
double k_mathmod_log2(double x);
double k_mathmod_log10(double x);
double k_mathmod_log1p(double x);
/* log, log2, log10 of an int, which CPython takes even beyond the float range. */
double k_mathmod_log_int(kval n);
double k_mathmod_log2_int(kval n);
double k_mathmod_log10_int(kval n);
double k_mathmod_sin(double x);
double k_mathmod_cos(double x);
double k_mathmod_tan(double x);
double k_mathmod_asin(double x);
double k_mathmod_acos(double x);
double k_mathmod_atan(double x);
double k_mathmod_atan2(double y, double x);
double k_mathmod_sinh(double x);
double k_mathmod_cosh(double x);
double k_mathmod_tanh(double x);
double k_mathmod_asinh(double x);
double k_mathmod_acosh(double x);
double k_mathmod_atanh(double x);
double k_mathmod_cbrt(double x);
double k_mathmod_erf(double x);
double k_mathmod_erfc(double x);
double k_mathmod_gamma(double x);
double k_mathmod_lgamma(double x);
double k_mathmod_fabs(double x);
double k_mathmod_degrees(double x);
double k_mathmod_radians(double x);
double k_mathmod_fmod(double x, double y);
double k_mathmod_remainder(double x, double y);
double k_mathmod_pow(double x, double y);
double k_mathmod_hypot_n(i64 n, const double *v);     /* hypot(*v) */
double k_mathmod_hypot_of(kval iterable);             /* hypot(*iterable) */
double k_mathmod_dist(kval p, kval q);                /* p, q: iterables of numbers */
double k_mathmod_copysign(double x, double y);
double k_mathmod_nextafter(double x, double y);
double k_mathmod_ulp(double x);
double k_mathmod_ldexp(double x, kval i);
kval k_mathmod_frexp(double x);                       /* (m, e): a new tuple */
kval k_mathmod_modf(double x);                        /* (fraction, integer part) */
bool k_mathmod_isclose(double a, double b, double rel_tol, double abs_tol);
double k_mathmod_fsum(kval iterable);

/* ---- int results ---- */
kval k_mathmod_floor(double x);
kval k_mathmod_ceil(double x);
kval k_mathmod_trunc(double x);
kval k_mathmod_gcd(kval a, kval b);
kval k_mathmod_lcm(kval a, kval b);
kval k_mathmod_gcd_n(i64 n, const kval *v);           /* gcd(*v): 0 for none */
kval k_mathmod_lcm_n(i64 n, const kval *v);           /* lcm(*v): 1 for none */
kval k_mathmod_gcd_of(kval iterable);                 /* gcd(*iterable) */
kval k_mathmod_lcm_of(kval iterable);
kval k_mathmod_isqrt(kval n);
kval k_mathmod_factorial(kval n);
kval k_mathmod_comb(kval n, kval k);
kval k_mathmod_perm(kval n, kval k);                  /* k may be None: n! */

/* ---- prod(iterable, start=start): start * item * item ... in order ---- */
kval k_mathmod_prod(kval iterable, kval start);       /* any values (as Python's *) */
double k_mathmod_prod_float(kval iterable, double start);   /* a float start or float items */

/* ---- libm functions in float_math.c beyond float.h's list (correctly rounded, C99
 * Annex F special values, no Python errors) ---- */
double k_math_asin(double x);
double k_math_acos(double x);
double k_math_sinh(double x);
double k_math_cosh(double x);
double k_math_tanh(double x);
double k_math_asinh(double x);
double k_math_acosh(double x);
double k_math_atanh(double x);
double k_math_expm1(double x);
double k_math_log1p(double x);
double k_math_exp2(double x);
double k_math_cbrt(double x);
double k_math_erf(double x);
double k_math_erfc(double x);
double k_math_nextafter(double x, double y);
double k_math_frexp(double x, int *e);        /* 0.5 <= |m| < 1; specials give x and 0 */
double k_math_ldexp(double x, i64 n);         /* rounded once; inf on overflow */
double k_math_vector_norm(const double *v, i64 n);   /* sqrt(sum(x*x)), as CPython's hypot */
