/* Python `int` (int.h): division, true division and powers.
 *
 * Long division is Knuth's algorithm D (TAOCP vol. 2, 4.3.1) on 32-bit limbs: the
 * divisor is shifted so its top limb has its high bit set, each quotient limb is
 * estimated from the top two limbs of the running remainder and the top limb of the
 * divisor, corrected with the second divisor limb (at most two decrements), and the
 * rare remaining overestimate is repaired by adding the divisor back.
 * Floor semantics: a = q*b + r with r of b's sign (or zero), built from the magnitudes'
 * truncating quotient by bumping q and reflecting r when the signs differ.
 *
 * int / int is correctly rounded as CPython's: the quotient is computed to 55-56
 * significant bits (fewer near the subnormal range) as an integer, with a sticky bit
 * for a nonzero remainder, rounded half-even to 53 bits and scaled by a power of two.
 * Powers use left-to-right square-and-multiply; three-argument pow reduces after every
 * step and inverts the base (extended Euclid) for a negative exponent.
 */
#include "int_impl.h"

/* ---- Knuth D ---- */

/* un[j..j+n] -= qhat * vn[0..n); returns true when the result went negative. */
static bool mul_sub(u32 *un, const u32 *vn, i64 n, u64 qhat) {
    u64 carry = 0, borrow = 0;
    for (i64 i = 0; i < n; i++) {
        u64 p = qhat * vn[i] + carry;
        carry = p >> 32;
        u64 t = (u64)un[i] - (u32)p - borrow;
        un[i] = (u32)t;
        borrow = t >> 63;
    }
    u64 t = (u64)un[n] - carry - borrow;
    un[n] = (u32)t;
    return t >> 63;
}

static void add_back(u32 *un, const u32 *vn, i64 n) {
    u64 c = 0;
    for (i64 i = 0; i < n; i++) {
        c += (u64)un[i] + vn[i];
        un[i] = (u32)c;
        c >>= 32;
    }
    un[n] += (u32)c;
}

void k_mag_divrem(u32 *q, u32 *r, const u32 *a, i64 na, const u32 *b, i64 nb) {
    if (nb == 1) {
        u32 *qq = q ? q : k_malloc(4 * (u64)na);
        u32 rem = k_mag_divrem1(qq, a, na, b[0]);
        if (!q) k_mfree(qq);
        if (r) r[0] = rem;
        return;
    }
    u32 s = (u32)__builtin_clz(b[nb - 1]);
    u32 *vn = k_malloc(4 * (u64)(nb + 1 + na + 1));
    u32 *un = vn + nb + 1;
    k_mag_shl(vn, b, nb, s);
    k_mag_shl(un, a, na, s);
    u64 vtop = vn[nb - 1], vnext = vn[nb - 2];
    for (i64 j = na - nb; j >= 0; j--) {
        u64 num = (u64)un[j + nb] << 32 | un[j + nb - 1];
        u64 qhat = num / vtop, rhat = num % vtop;
        while ((qhat >> 32) || qhat * vnext > (rhat << 32 | un[j + nb - 2])) {
            qhat--;
            rhat += vtop;
            if (rhat >> 32) break;
        }
        if (mul_sub(un + j, vn, nb, qhat)) {
            qhat--;
            add_back(un + j, vn, nb);
        }
        if (q) q[j] = (u32)qhat;
    }
    if (r) k_mag_shr(r, un, nb, s);
    k_mfree(vn);
}

/* ---- floor division and remainder ---- */

/* Floor quotient and/or remainder of a by b (b nonzero); q or r may be NULL. */
static void floor_divmod(kval a, kval b, kval *q, kval *r) {
    KIntView x, y;
    k_int_view(a, &x);
    k_int_view(b, &y);
    bool differ = x.neg != y.neg;
    i64 nq = x.n >= y.n ? x.n - y.n + 1 : 1;
    KLong *ql = k_long_new(nq + 1);
    KLong *rl = r || differ ? k_long_new(y.n) : 0;     /* a quotient alone needs no remainder */
    if (k_mag_cmp(x.d, x.n, y.d, y.n) < 0) {
        if (rl) __builtin_memcpy(rl->d, x.d, 4 * (u64)x.n);
    } else {
        k_mag_divrem(ql->d, rl ? rl->d : 0, x.d, x.n, y.d, y.n);
    }
    if (differ && k_mag_norm(rl->d, y.n) != 0) {
        /* q = -(|q| + 1), r = sign(b) * (|b| - |r|) */
        u32 one = 1;
        k_mag_add(ql->d, ql->d, nq, &one, 1);
        k_mag_sub(rl->d, y.d, y.n, rl->d, y.n);
    }
    if (q) *q = k_long_finish(ql, differ);
    else k_decref(K_VAL(ql));
    if (r) *r = k_long_finish(rl, y.neg);
    else if (rl) k_decref(K_VAL(rl));
}

static bool is_zero(kval v) { v = k_int_unbool(v); return v == k_int_small(0); }

kval k_int_floordiv_slow(kval a, kval b) {
    if (is_zero(b)) {
        k_raise_str(&k_ZeroDivisionError_type, "integer division or modulo by zero");
        return 0;
    }
    kval q;
    floor_divmod(a, b, &q, 0);
    return q;
}

kval k_int_mod_slow(kval a, kval b) {
    if (is_zero(b)) {
        k_raise_str(&k_ZeroDivisionError_type, "integer modulo by zero");
        return 0;
    }
    kval r;
    floor_divmod(a, b, 0, &r);
    return r;
}

bool k_int_divmod(kval a, kval b, kval *q, kval *r) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (is_zero(b)) {
        k_raise_str(&k_ZeroDivisionError_type, "integer division or modulo by zero");
        return 0;
    }
    if (a & b & 1) {
        *q = k_int_floordiv(a, b);
        *r = k_int_mod(a, b);
        return 1;
    }
    floor_divmod(a, b, q, r);
    return 1;
}

/* ---- true division ---- */

static u64 mag_u64(const u32 *a, i64 n) {
    return n == 0 ? 0 : n == 1 ? a[0] : a[0] | (u64)a[1] << 32;
}

/* a << s as a fresh magnitude buffer of *n limbs (caller frees). */
static u32 *shifted(const u32 *a, i64 na, u64 s, i64 *n) {
    i64 limbs = (i64)(s / 32);
    *n = na + limbs + 1;
    u32 *out = k_malloc(4 * (u64)*n);
    k_mag_shl(out + limbs, a, na, (u32)(s % 32));
    *n = k_mag_norm(out, *n);
    return out;
}

/* floor(|x| / (|y| * 2**shift)) (< 2**57 by the caller's choice of shift) and whether it was inexact. */
static u64 scaled_quotient(const KIntView *x, const KIntView *y, i64 shift, bool *inexact) {
    i64 nn, nd;
    u32 *num = shift < 0 ? shifted(x->d, x->n, (u64)-shift, &nn) : 0;
    u32 *den = shift > 0 ? shifted(y->d, y->n, (u64)shift, &nd) : 0;
    const u32 *pn = num ? num : x->d, *pd = den ? den : y->d;
    if (!num) nn = x->n;
    if (!den) nd = y->n;
    u64 result = 0;
    *inexact = 0;
    if (k_mag_cmp(pn, nn, pd, nd) < 0) {
        *inexact = nn != 0;
    } else {
        u32 *q = k_malloc(4 * (u64)(nn - nd + 1 + nd));
        u32 *r = q + (nn - nd + 1);
        k_mag_divrem(q, r, pn, nn, pd, nd);
        result = mag_u64(q, k_mag_norm(q, nn - nd + 1));
        *inexact = k_mag_norm(r, nd) != 0;
        k_mfree(q);
    }
    k_mfree(num);
    k_mfree(den);
    return result;
}

static double overflow_quotient(void) {
    k_raise_str(&k_OverflowError_type, "integer division result too large for a float");
    return -1.0;
}

double k_int_truediv(kval a, kval b) {
    KIntView x, y;
    k_int_view(a, &x);
    k_int_view(b, &y);
    if (y.n == 0) {
        k_raise_str(&k_ZeroDivisionError_type, "division by zero");
        return -1.0;
    }
    double sign = x.neg != y.neg ? -1.0 : 1.0;
    i64 bx = (i64)k_mag_bits(x.d, x.n), by = (i64)k_mag_bits(y.d, y.n);
    if (bx <= 53 && by <= 53) return sign * ((double)mag_u64(x.d, x.n) / (double)mag_u64(y.d, y.n));
    i64 diff = bx - by;                 /* 2**(diff-1) < |x/y| < 2**(diff+1) */
    if (diff > 1024) return overflow_quotient();
    if (diff < -1075) return sign * 0.0;
    /* Scale so the integer quotient has 55 or 56 bits, or is cut at 2**-1076 below 2**-1021. */
    i64 shift = (diff > -1021 ? diff : -1021) - 55;
    bool inexact;
    u64 qv = scaled_quotient(&x, &y, shift, &inexact);
    i64 qbits = qv ? 64 - __builtin_clzll(qv) : 0;
    i64 keep_from = -1074 - shift;      /* bit index of 2**-1074 in qv */
    i64 extra = (qbits - 53 > keep_from ? qbits - 53 : keep_from);
    u64 half = 1ULL << (extra - 1), low = qv & (2 * half - 1), m = qv >> extra;
    if (low > half || (low == half && (inexact || (m & 1)))) m++;
    double d = k_ldexp((double)m, shift + extra);
    if (d == __builtin_inf()) return overflow_quotient();
    return sign * d;
}

/* ---- powers ---- */

static kval negative_exponent(void) {
    k_raise_str(&k_ValueError_type, "negative exponent: int ** int needs a non-negative exponent; write float(x) ** y");
    return 0;
}

/* x ** e for i64, or false on overflow. */
static bool pow_i64(i64 x, u64 e, i64 *out) {
    i64 r = 1;
    while (e) {
        if ((e & 1) && __builtin_mul_overflow(r, x, &r)) return 0;
        e >>= 1;
        if (e && __builtin_mul_overflow(x, x, &x)) return 0;
    }
    *out = r;
    return 1;
}

static kval pow_big(kval a, u64 e) {
    KIntView x;
    k_int_view(a, &x);
    u64 bits = k_mag_bits(x.d, x.n);
    if (bits > 0 && (e > (u64)K_INT_MAX_LIMBS * 32 / bits)) {
        k_int_too_big(K_INT_MAX_LIMBS + 1);
        return 0;
    }
    kval r = k_newref(a);
    for (int i = 62 - __builtin_clzll(e); i >= 0; i--) {
        kval t = k_int_mul(r, r);
        k_decref(r);
        if (!t) return 0;
        r = t;
        if ((e >> i) & 1) {
            t = k_int_mul(r, a);
            k_decref(r);
            if (!t) return 0;
            r = t;
        }
    }
    return r;
}

kval k_int_pow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    i64 e;
    bool huge = !k_int_to_i64(b, &e);   /* beyond i64: only 0, 1 and -1 have a result we can build */
    if (k_int_cmp(b, k_int_small(0)) < 0) return negative_exponent();
    if (!huge && e == 0) return k_int_small(1);
    if (K_IS_SMALL(a)) {
        i64 x = k_int_small_value(a), r;
        if (x == 0 || x == 1) return a;
        bool odd = huge ? ((KLong *)b)->d[0] & 1 : e & 1;
        if (x == -1) return k_int_small(odd ? -1 : 1);
        if (!huge && pow_i64(x, (u64)e, &r)) return k_int_from_i64(r);
    }
    if (huge) {
        k_int_too_big(K_INT_MAX_LIMBS + 1);
        return 0;
    }
    return pow_big(a, (u64)e);
}

/* r = (r * m) % mod, consuming r; 0 on error. */
static kval mulmod(kval r, kval m, kval mod) {
    kval t = k_int_mul(r, m);
    k_decref(r);
    if (!t) return 0;
    kval u = k_int_mod(t, mod);
    k_decref(t);
    return u;
}

/* The inverse of a modulo m (m > 0), or 0 with ValueError. Extended Euclid. */
static kval mod_inverse(kval a, kval m) {
    kval r0 = k_int_mod(a, m), r1 = k_newref(m), s0 = k_int_small(1), s1 = k_int_small(0);
    while (r1 != k_int_small(0)) {
        kval q, rem;
        k_int_divmod(r0, r1, &q, &rem);
        kval qs = k_int_mul(q, s1), s2 = k_int_sub(s0, qs);
        k_decref(q), k_decref(qs), k_decref(r0), k_decref(s0);
        r0 = r1, r1 = rem, s0 = s1, s1 = s2;
    }
    bool one = r0 == k_int_small(1);
    k_decref(r0), k_decref(r1), k_decref(s1);
    if (!one) {
        k_decref(s0);
        k_raise_str(&k_ValueError_type, "base is not invertible for the given modulus");
        return 0;
    }
    kval inv = k_int_mod(s0, m);
    k_decref(s0);
    return inv;
}

kval k_int_pow_mod(kval base, kval exp, kval mod) {
    base = k_int_unbool(base), exp = k_int_unbool(exp), mod = k_int_unbool(mod);
    if (is_zero(mod)) {
        k_raise_str(&k_ValueError_type, "pow() 3rd argument cannot be 0");
        return 0;
    }
    bool mneg = k_int_cmp(mod, k_int_small(0)) < 0;
    kval m = mneg ? k_int_neg(mod) : k_newref(mod);
    if (m == k_int_small(1)) return k_int_small(0);
    kval b = (k_int_cmp(exp, k_int_small(0)) < 0) ? mod_inverse(base, m) : k_int_mod(base, m);
    if (!b) {
        k_decref(m);
        return 0;
    }
    KIntView e;
    k_int_view(exp, &e);
    kval r = k_int_mod(k_int_small(1), m);      /* 0 when |mod| == 1 */
    for (i64 i = (i64)k_mag_bits(e.d, e.n) - 1; i >= 0 && r; i--) {
        r = mulmod(r, r, m);
        if (r && ((e.d[i / 32] >> (i % 32)) & 1)) r = mulmod(r, b, m);
    }
    k_decref(b);
    if (r && mneg && r != k_int_small(0)) {
        kval t = k_int_sub(r, m);
        k_decref(r);
        r = t;
    }
    k_decref(m);
    return r;
}
