/* kaa: sse */
/* Python `float`: the type object, repr/str, format(), arithmetic, hash and round().
 * (Overview of the float files: float.h.)
 *
 * Text output follows CPython's PyOS_double_to_string / format_float_short: decimal
 * digits come from float_dtoa.c (shortest for repr, exactly rounded for a precision),
 * then are laid out in one of four styles:
 *   'r'  repr: the shortest digits, fixed notation when -4 <= exponent < 16, otherwise
 *        scientific; ".0" added to integral values ("1.0", "1e+16");
 *   'e'  precision+1 significant digits, always scientific, exponent at least 2 digits;
 *   'f'  digits down to 10**-precision, never scientific;
 *   'g'  precision significant digits (0 counts as 1), scientific when the exponent is
 *        < -4 or >= precision; trailing zeros dropped unless '#'.
 * Think of the digits padded with zeros on both sides forever: the output is the
 * window [vstart, vend) of that string, with the point after position decpt, chosen
 * so the point always has a digit before it (and after it, for ".0" styles).
 * format() with no type is 'r' without a precision and 'g' plus ".0" with one; '%'
 * is 'f' of d * 100 (rounded as a double, as CPython does) followed by '%'; 'n' is 'g'
 * (the C locale). The 'z' option (k_float_format_ex) drops the minus sign of a result
 * whose digits rounded to zero. Sign, grouping, fill and width are format_number.c's job.
 *
 * Arithmetic mirrors Objects/floatobject.c: floor division and modulo derive from
 * fmod, which is exact; the remainder takes the divisor's sign, and the quotient is
 * snapped to the nearest integer. `**` sorts out zeros, infinities, NaNs and negative
 * bases itself before calling k_math_pow. Where CPython returns a complex number
 * (negative ** fractional) we raise ValueError instead.
 *
 * hash(): CPython's numeric hash, the value modulo the Mersenne prime P = 2**61 - 1:
 * |d| = f * 2**e with f < 2**53, and 2**61 = 1 (mod P), so f * 2**e mod P is f rotated
 * left by e mod 61 within 61 bits. inf hashes to 314159, -inf to -314159, and -1 is
 * replaced by -2. NaN hashes by identity in CPython 3.11; an unboxed double has none,
 * so we return 0 (NaN never compares equal anyway).
 */
#include "float.h"
#include "tuple.h"
#include "str.h"
#include "int.h"
#include "format_number.h"

static bool is_nan(double d) { return d != d; }
static bool is_inf(double d) { return d - d != 0.0 && d == d; }
static bool sign_bit(double d) { return __builtin_signbit(d) != 0; }
static double copy_sign(double x, double s) { return __builtin_copysign(x, s); }

/* ---- layout of digits (format_float_short) ---- */

typedef struct {
    char code;          /* 'r', 'e', 'f', 'g' */
    int precision;
    bool add_dot_0;     /* integral fixed-notation values get ".0" */
    bool alt;           /* '#': keep the point and, for 'g', trailing zeros */
    bool upper;         /* 'E', 'F', 'G': "E", "INF", "NAN" */
} Style;

typedef struct {
    char digits[K_DTOA_BUF];
    int nd;             /* number of digits */
    int decpt;          /* point position after the exponent was split off */
    i64 vstart, vend;   /* the window of the zero-padded digit string */
    bool use_exp;
    int exp;
} Layout;

static void layout(double ad, const Style *st, Layout *L) {
    int decpt;
    if (st->code == 'r')
        L->nd = k_dtoa_shortest(ad, L->digits, &decpt);
    else if (st->code == 'f')
        L->nd = k_dtoa_fixed(ad, 3, st->precision, L->digits, &decpt);
    else
        L->nd = k_dtoa_fixed(ad, 2, st->code == 'e' ? st->precision + 1 : (st->precision ? st->precision : 1),
                             L->digits, &decpt);
    i64 vend = L->nd;
    bool use_exp = 0;
    if (st->code == 'e') {
        use_exp = 1;
        vend = (i64)st->precision + 1;
    } else if (st->code == 'f') {
        vend = (i64)decpt + st->precision;
    } else if (st->code == 'g') {
        int p = st->precision ? st->precision : 1;
        use_exp = decpt <= -4 || decpt > (st->add_dot_0 ? p - 1 : p);
        if (st->alt) vend = p;
    } else {
        use_exp = decpt <= -4 || decpt > 16;
    }
    L->exp = decpt - 1;
    if (use_exp) decpt = 1;
    L->vstart = decpt <= 0 ? decpt - 1 : 0;
    i64 min_end = !use_exp && st->add_dot_0 ? (i64)decpt + 1 : decpt;
    L->vend = vend > min_end ? vend : min_end;
    L->decpt = decpt;
    L->use_exp = use_exp;
}

static i64 layout_size(const Layout *L) { return L->vend - L->vstart + 8; }

static char *put_zeros(char *p, i64 n) {
    if (n > 0) {
        __builtin_memset(p, '0', (u64)n);
        p += n;
    }
    return p;
}

static char *put_exp(char *p, int exp, bool upper) {
    *p++ = upper ? 'E' : 'e';
    *p++ = exp < 0 ? '-' : '+';
    unsigned u = exp < 0 ? (unsigned)-exp : (unsigned)exp;
    if (u >= 100) *p++ = (char)('0' + u / 100);
    *p++ = (char)('0' + u / 10 % 10);
    *p++ = (char)('0' + u % 10);
    return p;
}

/* Writes the unsigned text; returns its length. */
static i64 layout_write(const Layout *L, const Style *st, char *out) {
    char *p = out;
    i64 nd = L->nd, decpt = L->decpt;
    if (decpt <= 0) {
        p = put_zeros(p, decpt - L->vstart);
        *p++ = '.';
        p = put_zeros(p, -decpt);
    } else {
        p = put_zeros(p, -L->vstart);
    }
    if (decpt > 0 && decpt <= nd) {
        __builtin_memcpy(p, L->digits, (u64)decpt);
        p += decpt;
        *p++ = '.';
        __builtin_memcpy(p, L->digits + decpt, (u64)(nd - decpt));
        p += nd - decpt;
    } else {
        __builtin_memcpy(p, L->digits, (u64)nd);
        p += nd;
    }
    if (nd < decpt) {
        p = put_zeros(p, decpt - nd);
        *p++ = '.';
        p = put_zeros(p, L->vend - decpt);
    } else {
        p = put_zeros(p, L->vend - nd);
    }
    if (p[-1] == '.' && !st->alt) p--;
    if (L->use_exp) p = put_exp(p, L->exp, st->upper);
    return p - out;
}

/* ---- repr ---- */

i64 k_float_repr_buf(double d, char *buf) {
    char *p = buf;
    if (is_nan(d)) {
        __builtin_memcpy(buf, "nan", 4);
        return 3;
    }
    if (sign_bit(d)) *p++ = '-';
    if (is_inf(d)) {
        __builtin_memcpy(p, "inf", 4);
        return p + 3 - buf;
    }
    char digits[24];
    int decpt;
    int nd = k_dtoa_shortest(__builtin_fabs(d), digits, &decpt);
    if (decpt > 16 || decpt <= -4) {        /* d.ddde+XX */
        *p++ = digits[0];
        if (nd > 1) {
            *p++ = '.';
            __builtin_memcpy(p, digits + 1, (u64)nd - 1);
            p += nd - 1;
        }
        p = put_exp(p, decpt - 1, 0);
    } else if (decpt <= 0) {                /* 0.000ddd */
        *p++ = '0';
        *p++ = '.';
        p = put_zeros(p, -decpt);
        __builtin_memcpy(p, digits, (u64)nd);
        p += nd;
    } else if (decpt >= nd) {               /* ddd000.0 */
        __builtin_memcpy(p, digits, (u64)nd);
        p = put_zeros(p + nd, decpt - nd);
        *p++ = '.';
        *p++ = '0';
    } else {                                /* dd.ddd */
        __builtin_memcpy(p, digits, (u64)decpt);
        p += decpt;
        *p++ = '.';
        __builtin_memcpy(p, digits + decpt, (u64)(nd - decpt));
        p += nd - decpt;
    }
    *p = 0;
    return p - buf;
}

kval k_float_repr(double d) {
    char buf[K_FLOAT_REPR_MAX];
    i64 n = k_float_repr_buf(d, buf);
    return k_str_from_ascii(buf, n);
}

/* ---- format ---- */

static void raise_unknown_code(char type) {
    static const char hex[] = "0123456789abcdef";
    char msg[80];
    int n = 0;
    const char *a = "Unknown format code '";
    while (*a) msg[n++] = *a++;
    u8 c = (u8)type;
    if (c > 32 && c < 128) {
        msg[n++] = (char)c;
    } else {
        msg[n++] = '\\';
        msg[n++] = 'x';
        if (c >= 16) msg[n++] = hex[c >> 4];
        msg[n++] = hex[c & 15];
    }
    const char *b = "' for object of type 'float'";
    while (*b) msg[n++] = *b++;
    msg[n] = 0;
    k_raise_str(&k_ValueError_type, msg);
}

/* The style for a spec, as format_float_internal and PyOS_double_to_string choose it. */
static bool spec_style(const KFormatSpec *spec, Style *st, bool *percent) {
    char t = spec->type;
    *percent = t == '%';
    st->upper = t == 'E' || t == 'F' || t == 'G';
    st->alt = spec->alternate;
    st->add_dot_0 = t == 0;
    switch (t) {
    case 0: st->code = 'r'; break;
    case 'e': case 'E': st->code = 'e'; break;
    case 'f': case 'F': case '%': st->code = 'f'; break;
    case 'g': case 'G': case 'n': st->code = 'g'; break;
    default: raise_unknown_code(t); return 0;
    }
    if (spec->precision > 0x7fffffff) {
        k_raise_str(&k_ValueError_type, "precision too big");
        return 0;
    }
    if (spec->precision < 0) {
        st->precision = t == 0 ? 0 : 6;
    } else {
        st->precision = (int)spec->precision;
        if (st->code == 'r') st->code = 'g';
    }
    return 1;
}

/* The text after the integer digits: everything from the first non-digit. */
static i64 int_digits(const char *s, i64 n) {
    i64 i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    return i;
}

static kval format_special(double d, const Style *st, bool percent, const KFormatSpec *spec) {
    char text[5];
    __builtin_memcpy(text, is_nan(d) ? (st->upper ? "NAN" : "nan") : (st->upper ? "INF" : "inf"), 3);
    i64 n = 3;
    if (percent) text[n++] = '%';
    bool neg = !is_nan(d) && sign_bit(d);
    return k_format_numeric(neg, "", (const u8 *)text, 0, (const u8 *)text, n, spec, '>');
}

kval k_float_format_ex(double d, const KFormatSpec *spec, bool no_neg_zero) {
    Style st;
    bool percent;
    if (!spec_style(spec, &st, &percent)) return 0;
    if (spec->grouping && spec->type == 'n') {
        k_raise_fmt(&k_ValueError_type, "Cannot specify '%s' with 'n'.", spec->grouping == ',' ? "," : "_");
        return 0;
    }
    if (percent) d *= 100;
    if (is_nan(d) || is_inf(d)) return format_special(d, &st, percent, spec);
    Layout L;
    layout(__builtin_fabs(d), &st, &L);
    bool negative = sign_bit(d);
    if (no_neg_zero && (L.nd == 0 || (L.nd == 1 && L.digits[0] == '0'))) negative = 0;   /* 'z' */
    char small[256];
    i64 cap = layout_size(&L);
    char *buf = cap <= (i64)sizeof small ? small : k_malloc((u64)cap);
    i64 n = layout_write(&L, &st, buf);
    if (percent) buf[n++] = '%';
    i64 ni = int_digits(buf, n);
    kval r = k_format_numeric(negative, "", (const u8 *)buf, ni, (const u8 *)buf + ni, n - ni, spec, '>');
    if (buf != small) k_mfree(buf);
    return r;
}

kval k_float_format(double d, const KFormatSpec *spec) { return k_float_format_ex(d, spec, 0); }

/* ---- arithmetic ---- */

double k_float_truediv(double a, double b) {
    if (b == 0.0) {
        k_raise_str(&k_ZeroDivisionError_type, "float division by zero");
        return -1.0;
    }
    return a / b;
}

/* CPython's _float_div_mod, for b != 0. */
static void div_mod(double a, double b, double *q, double *r) {
    double mod = k_math_fmod(a, b);
    double div = (a - mod) / b;
    if (mod != 0.0) {
        if ((b < 0) != (mod < 0)) {
            mod += b;
            div -= 1.0;
        }
    } else {
        mod = copy_sign(0.0, b);
    }
    double fd;
    if (div != 0.0) {
        fd = k_math_floor(div);
        if (div - fd > 0.5) fd += 1.0;
    } else {
        fd = copy_sign(0.0, a / b);
    }
    *q = fd;
    *r = mod;
}

double k_float_floordiv(double a, double b) {
    if (b == 0.0) {
        k_raise_str(&k_ZeroDivisionError_type, "float floor division by zero");
        return -1.0;
    }
    double q, r;
    div_mod(a, b, &q, &r);
    return q;
}

double k_float_mod(double a, double b) {
    if (b == 0.0) {
        k_raise_str(&k_ZeroDivisionError_type, "float modulo");
        return -1.0;
    }
    double mod = k_math_fmod(a, b);
    if (mod != 0.0) {
        if ((b < 0) != (mod < 0)) mod += b;
    } else {
        mod = copy_sign(0.0, b);
    }
    return mod;
}

bool k_float_divmod(double a, double b, double *q, double *r) {
    if (b == 0.0) {
        k_raise_str(&k_ZeroDivisionError_type, "float divmod()");
        return 0;
    }
    div_mod(a, b, q, r);
    return 1;
}

bool k_float_is_integer(double x) {
    return !is_nan(x) && !is_inf(x) && k_math_floor(x) == x;
}

static bool is_odd_integer(double x) { return k_math_fmod(__builtin_fabs(x), 2.0) == 1.0; }

/* float_pow's special cases; *done says whether *res is the answer. */
static double pow_special(double a, double b, bool *done) {
    *done = 1;
    if (b == 0.0) return 1.0;
    if (is_nan(a)) return a;
    if (is_nan(b)) return a == 1.0 ? 1.0 : b;
    if (is_inf(b)) {
        double aa = __builtin_fabs(a);
        if (aa == 1.0) return 1.0;
        return (b > 0.0) == (aa > 1.0) ? __builtin_fabs(b) : 0.0;
    }
    if (is_inf(a)) {
        bool odd = is_odd_integer(b);
        if (b > 0.0) return odd ? a : __builtin_fabs(a);
        return odd ? copy_sign(0.0, a) : 0.0;
    }
    if (a == 0.0) {
        if (b < 0.0) {
            k_raise_str(&k_ZeroDivisionError_type, "0.0 cannot be raised to a negative power");
            return -1.0;
        }
        return is_odd_integer(b) ? a : 0.0;
    }
    *done = 0;
    return 0.0;
}

/* libm's overflow, as CPython reports it: OverflowError(34, 'Numerical result out of range')
 * (errno ERANGE and its message as the two arguments). */
static void raise_erange(void) {
    kval msg = k_str_from_cstr("Numerical result out of range");
    kval args = k_tuple_pack(2, k_int_small(34), msg);
    k_decref(msg);
    k_raise(k_exc_new(&k_OverflowError_type, args));
    k_decref(args);
}

double k_float_pow(double a, double b) {
    bool done;
    double r = pow_special(a, b, &done);
    if (done) return r;
    bool negate = 0;
    if (a < 0.0) {
        if (b != k_math_floor(b)) {   /* CPython: a complex result */
            k_raise_str(&k_ValueError_type, "negative number cannot be raised to a fractional power");
            return -1.0;
        }
        a = -a;
        negate = is_odd_integer(b);
    }
    if (a == 1.0) return negate ? -1.0 : 1.0;
    r = k_math_pow(a, b);
    if (is_inf(r)) {
        raise_erange();
        return -1.0;
    }
    return negate ? -r : r;
}

/* ---- hash ---- */

i64 k_float_hash(double d) {
    if (is_nan(d)) return 0;
    if (is_inf(d)) return d > 0 ? 314159 : -314159;
    u64 bits;
    __builtin_memcpy(&bits, &d, 8);
    int be = (int)((bits >> 52) & 0x7ff);
    u64 f = bits & ((1ULL << 52) - 1);
    int e = -1074;
    if (be) {
        f |= 1ULL << 52;
        e = be - 1075;
    }
    const u64 P = (1ULL << 61) - 1;
    int sh = e % 61;
    if (sh < 0) sh += 61;
    u64 h = sh ? ((f << sh) & P) | (f >> (61 - sh)) : f;
    i64 r = (bits >> 63) ? -(i64)h : (i64)h;
    return r == -1 ? -2 : r;
}

/* ---- round ---- */

/* round(x, n): CPython rounds the exact value half-even to n decimal places (dtoa mode
 * 3) and reads the digits back. n > 323 leaves every double unchanged; n < -308 gives
 * a signed zero. */
double k_float_round(double x, i64 ndigits) {
    if (is_nan(x) || is_inf(x) || ndigits > 323) return x;
    if (ndigits < -308) return 0.0 * x;
    char digits[K_DTOA_BUF];
    int decpt;
    int nd = k_dtoa_fixed(__builtin_fabs(x), 3, (int)ndigits, digits, &decpt);
    double r = k_float_from_decimal((const u8 *)digits, nd, (i64)decpt - nd, sign_bit(x));
    if (is_inf(r)) {
        k_raise_str(&k_OverflowError_type, "rounded value too large to represent");
        return -1.0;
    }
    return r;
}

kval k_float_round_to_int(double x) {
    if (is_nan(x)) {
        k_raise_str(&k_ValueError_type, "cannot convert float NaN to integer");
        return 0;
    }
    if (is_inf(x)) {
        k_raise_str(&k_OverflowError_type, "cannot convert float infinity to integer");
        return 0;
    }
    double ax = __builtin_fabs(x);
    if (ax < 4503599627370496.0) {   /* 2**52: adding it rounds to an integer, half-even */
        ax = (ax + 4503599627370496.0) - 4503599627370496.0;
        x = copy_sign(ax, x);
    }
    return k_int_from_double(x);
}

/* ---- the type ---- */

static kval float_repr_slot(kval self) { return k_float_repr(k_float_unbox(self)); }

static i64 float_hash_slot(kval self) { return k_float_hash(k_float_unbox(self)); }

static int cmp_result(int c, int op) {   /* c: -1, 0, 1 (ordered) or 2 (NaN involved) */
    if (c == 2) return op == K_NE;
    return k_cmp_holds(c, op);
}

static bool is_float(kval v) { return !K_IS_SMALL(v) && K_OBJ(v)->type == &k_float_type; }

/* Sign of (float a) - (b), b a float or an int; 3 when b is neither. */
static int cmp_float_with(double a, kval b) {
    if (is_float(b)) {
        double y = k_float_unbox(b);
        if (is_nan(a) || is_nan(y)) return 2;
        return a < y ? -1 : a > y;
    }
    if (k_type_of(b)->flags & K_TF_INT) {
        int c = k_int_cmp_double(b, a);
        return c == 2 ? 2 : -c;
    }
    return 3;
}

static const int swapped_op[6] = {K_GT, K_GE, K_EQ, K_NE, K_LT, K_LE};

static int float_richcmp(kval a, kval b, int op) {
    if (!is_float(a)) {         /* reflected: b is the float */
        kval t = a;
        a = b;
        b = t;
        op = swapped_op[op];
    }
    int c = cmp_float_with(k_float_unbox(a), b);
    if (c == 3) return 2;
    return cmp_result(c, op);
}

const KType k_float_type = {K_STATIC_HDR(&k_type_type), "float", "builtins", &k_object_type, sizeof(KFloat), 0,
                            .repr = float_repr_slot, .hash = float_hash_slot, .richcmp = float_richcmp};
