/* Python `int` (int.h): shifts and bitwise operations beyond the small fast paths.
 *
 * Python defines &, |, ^ and ~ on the infinite two's complement form of a number.
 * Operands are written out in two's complement over max(len) + 1 limbs (one limb more
 * than either magnitude needs, so the top limb holds only sign bits), combined limb by
 * limb, and a result whose top bit is set is negated back into sign + magnitude.
 * Right shifts floor: -5 >> 1 == -3, i.e. the magnitude shifted, plus one when a
 * negative number lost set bits.
 */
#include "int_impl.h"

static kval negative_shift(void) {
    k_raise_str(&k_ValueError_type, "negative shift count");
    return 0;
}

kval k_int_lshift_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (k_int_cmp(b, k_int_small(0)) < 0) return negative_shift();
    KIntView x;
    k_int_view(a, &x);
    if (x.n == 0) return k_int_small(0);
    i64 s;
    if (!k_int_to_i64(b, &s) || k_int_too_big(x.n + s / 32 + 1)) {
        if (!k_exc) k_int_too_big(K_INT_MAX_LIMBS + 1);
        return 0;
    }
    i64 limbs = s / 32;
    KLong *r = k_long_new(x.n + limbs + 1);
    k_mag_shl(r->d + limbs, x.d, x.n, (u32)(s % 32));
    return k_long_finish(r, x.neg);
}

kval k_int_rshift_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (k_int_cmp(b, k_int_small(0)) < 0) return negative_shift();
    KIntView x;
    k_int_view(a, &x);
    i64 s;
    if (!k_int_to_i64(b, &s) || s / 32 >= x.n) return k_int_small(x.neg ? -1 : 0);
    i64 limbs = s / 32, n = x.n - limbs;
    u32 bit = (u32)(s % 32);
    bool lost = bit && (x.d[limbs] & ((1u << bit) - 1));
    for (i64 i = 0; i < limbs && !lost; i++) lost = x.d[i] != 0;
    KLong *r = k_long_new(n + 1);
    k_mag_shr(r->d, x.d + limbs, n, bit);
    if (x.neg && lost) {
        u32 one = 1;
        k_mag_add(r->d, r->d, n, &one, 1);
    }
    return k_long_finish(r, x.neg);
}

/* ---- two's complement ---- */

static void negate(u32 *a, i64 n) {
    u64 c = 1;
    for (i64 i = 0; i < n; i++) {
        c += (u32)~a[i];
        a[i] = (u32)c;
        c >>= 32;
    }
}

static void to_twos(u32 *out, i64 n, const KIntView *v) {
    __builtin_memcpy(out, v->d, 4 * (u64)v->n);
    __builtin_memset(out + v->n, 0, 4 * (u64)(n - v->n));
    if (v->neg) negate(out, n);
}

enum { OP_AND, OP_OR, OP_XOR };

static kval bitwise(kval a, kval b, int op) {
    KIntView x, y;
    k_int_view(a, &x);
    k_int_view(b, &y);
    i64 n = (x.n > y.n ? x.n : y.n) + 1;
    u32 *tb = k_malloc(4 * (u64)n);
    KLong *r = k_long_new(n);
    to_twos(r->d, n, &x);
    to_twos(tb, n, &y);
    for (i64 i = 0; i < n; i++)
        r->d[i] = op == OP_AND ? r->d[i] & tb[i] : op == OP_OR ? r->d[i] | tb[i] : r->d[i] ^ tb[i];
    k_mfree(tb);
    bool neg = r->d[n - 1] >> 31;
    if (neg) negate(r->d, n);
    return k_long_finish(r, neg);
}

kval k_int_and_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (a & b & 1) return a & b;
    return bitwise(a, b, OP_AND);
}

kval k_int_or_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (a & b & 1) return a | b;
    return bitwise(a, b, OP_OR);
}

kval k_int_xor_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (a & b & 1) return (a ^ b) | 1;
    return bitwise(a, b, OP_XOR);
}

kval k_int_invert_slow(kval a) {
    a = k_int_unbool(a);
    if (K_IS_SMALL(a)) return a ^ ~(u64)1;
    kval t = k_int_add(a, k_int_small(1));     /* ~x == -(x + 1) */
    kval r = k_int_neg(t);
    k_decref(t);
    return r;
}
