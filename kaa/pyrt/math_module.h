/* math_module.c: Python's math module (CPython's domain and range errors). Functions
 * returning a double set k_exc and return -1.0 when they raise; kval ones return 0. */
#pragma once
#include "object.h"

double k_mathmod_sqrt(double x);
double k_mathmod_exp(double x);
double k_mathmod_log(double x);
double k_mathmod_log2(double x);
double k_mathmod_log10(double x);
double k_mathmod_log_base(double x, double base);
double k_mathmod_sin(double x);
double k_mathmod_cos(double x);
double k_mathmod_tan(double x);
double k_mathmod_atan(double x);
double k_mathmod_atan2(double y, double x);
double k_mathmod_fabs(double x);
double k_mathmod_degrees(double x);
double k_mathmod_radians(double x);
double k_mathmod_fmod(double x, double y);
double k_mathmod_pow(double x, double y);
double k_mathmod_hypot(double x, double y);
double k_mathmod_copysign(double x, double y);
bool k_mathmod_isclose(double a, double b, double rel_tol, double abs_tol);
kval k_mathmod_floor(double x);
kval k_mathmod_ceil(double x);
kval k_mathmod_trunc(double x);
kval k_mathmod_gcd(kval a, kval b);
kval k_mathmod_factorial(kval n);
kval k_mathmod_comb(kval n, kval k);
double k_mathmod_fsum(kval iterable);
