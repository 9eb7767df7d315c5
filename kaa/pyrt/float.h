/* Python `float`: IEEE 754 binary64, unboxed (a C double) in generated code and boxed
 * as KFloat (object.h) in containers.
 *
 * Files:
 *   float.c        the type (repr, hash, comparisons), repr/str and format(), arithmetic
 *                  with CPython's special cases and messages, round();
 *   float_dtoa.c   exact binary -> decimal digits (shortest, and fixed precision);
 *   float_ryu.c    the fast path for the shortest digits (Ryu);
 *   float_parse.c  decimal text -> double, correctly rounded (float(), literals, json);
 *   float_math.c   a freestanding libm subset (math module, **) matching glibc;
 *   float_bignum.h the small fixed-size big integer the exact algorithms use.
 * Every result is CPython 3.11's, bit for bit, on x86-64 Linux (glibc).
 * Functions returning double signal an error by setting k_exc (k_raise_str) and
 * returning -1.0: callers test k_exc.
 */
#pragma once
#include "object.h"

/* ---- text ---- */
#define K_FLOAT_REPR_MAX 32          /* repr() never needs more bytes (with the NUL) */
kval k_float_repr(double d);         /* repr(d) == str(d): new str */
i64 k_float_repr_buf(double d, char *buf);   /* the same into buf (NUL-terminated); its length */
kval k_float_format(double d, const KFormatSpec *spec);   /* format(d, spec); 0: raised */
/* The same with the spec's 'z' option (no field in KFormatSpec): a result that rounds to
 * zero loses its minus sign, as CPython's Py_DTSF_NO_NEG_0. */
kval k_float_format_ex(double d, const KFormatSpec *spec, bool no_neg_zero);
bool k_float_parse(const u8 *s, i64 n, double *out);      /* a float() text? raises nothing */
/* digits[0..n) (ASCII, leading zeros allowed) * 10**exp10, correctly rounded. */
double k_float_from_decimal(const u8 *digits, i64 n, i64 exp10, bool negative);
double k_float_from_str(kval str);   /* float(str): ValueError "could not convert string to float: 'x'" */

/* ---- arithmetic (CPython's float_* number slots) ---- */
double k_float_truediv(double a, double b);      /* ZeroDivisionError "float division by zero" */
double k_float_floordiv(double a, double b);     /* "float floor division by zero" */
double k_float_mod(double a, double b);          /* "float modulo" */
bool k_float_divmod(double a, double b, double *q, double *r);   /* false: raised ("float divmod()") */
double k_float_pow(double a, double b);          /* a ** b; see float.c for the errors */
i64 k_float_hash(double d);                      /* hash(d); NaN: 0 (CPython: the object's id) */
double k_float_round(double x, i64 ndigits);     /* round(x, n); OverflowError when too large */
kval k_float_round_to_int(double x);             /* round(x): int, half-even; 0 when raised */
bool k_float_is_integer(double x);               /* x.is_integer() */

/* ---- decimal digits (float_dtoa.c, float_ryu.c): |d|, d finite ----
 * digits[0..n) with value 0.d1d2...dn * 10**decpt; no leading or trailing zero ("0" for
 * zero, decpt 1). The buffer needs K_DTOA_BUF bytes. */
#define K_DTOA_BUF 800
int k_dtoa_shortest(double d, char *digits, int *decpt);          /* repr's digits (Ryu) */
int k_dtoa_shortest_dragon4(double d, char *digits, int *decpt);  /* the same, exactly (slow) */
/* mode 2: ndigits significant digits (at least 1); mode 3: digits down to 10**-ndigits
 * (ndigits may be negative; the result may be empty: then decpt is -ndigits).
 * Rounding is half-even on the exact binary value, as dtoa's. */
int k_dtoa_fixed(double d, int mode, int ndigits, char *digits, int *decpt);

/* ---- libm subset (float_math.c): identical results to glibc's on x86-64 ---- */
double k_math_sqrt(double x);
double k_math_fabs(double x);
double k_math_floor(double x);
double k_math_ceil(double x);
double k_math_trunc(double x);
double k_math_fmod(double x, double y);
double k_math_pow(double x, double y);
double k_math_exp(double x);
double k_math_log(double x);
double k_math_log2(double x);
double k_math_log10(double x);
double k_math_sin(double x);
double k_math_cos(double x);
double k_math_tan(double x);
double k_math_atan(double x);
double k_math_atan2(double y, double x);
double k_math_hypot(double x, double y);          /* CPython's math.hypot (not libm's) */
