/* Python `int` (int.h): construction, the magnitude kernels, addition, subtraction,
 * multiplication, comparison, hashing, float conversion, and the `int`/`bool` types.
 *
 * Limbs are 32 bits and every product or carry chain runs in 64-bit arithmetic: a
 * limb product plus two limbs, (2**32-1)**2 + 2*(2**32-1) = 2**64-1, never overflows.
 * Signed operations work on views (int_impl.h) of sign + magnitude, compute the
 * result's magnitude into a fresh KLong sized for the worst case, then finish it:
 * strip leading zero limbs and turn a result in the small range back into a small int
 * (the canonical-form invariant of int.h). Two's complement only appears in
 * int_bits.c (&, |, ^, ~ on negative numbers).
 * Multiplication is schoolbook below K_KARATSUBA_CUTOFF limbs and Karatsuba above;
 * squares (the same operand twice) compute each cross product once.
 *
 * Floats: k_int_to_double rounds the top 64 bits with a sticky bit for the rest (the
 * hardware conversion then rounds half-even exactly once); k_int_cmp_double compares
 * exactly by splitting the double into an integral part and a fraction.
 */
#include "int_impl.h"
#include "str.h"

/* ---- results ---- */

bool k_int_too_big(i64 limbs) {
    if (limbs <= K_INT_MAX_LIMBS) return 0;
    k_raise_str(&k_MemoryError_type, "");         /* CPython runs out of memory there */
    return 1;
}

KLong *k_long_new(i64 n) {
    KLong *r = (KLong *)k_alloc(&k_int_type, sizeof(KLong) + 4 * (u64)(n > 0 ? n : 1));
    r->size = n;
    return r;
}

kval k_long_finish(KLong *r, bool neg) {
    i64 n = k_mag_norm(r->d, r->size < 0 ? -r->size : r->size);
    if (n <= 2) {
        u64 m = n == 0 ? 0 : n == 1 ? r->d[0] : r->d[0] | (u64)r->d[1] << 32;
        if (m < (1ULL << 62) || (neg && m == (1ULL << 62))) {
            k_decref(K_VAL(r));
            return k_int_small(neg ? (i64)(0 - m) : (i64)m);
        }
    }
    r->size = neg ? -n : n;
    return K_VAL(r);
}

kval k_int_from_mag(const u32 *a, i64 n, bool neg) {
    n = k_mag_norm(a, n);
    if (n <= 2) {
        u64 m = n == 0 ? 0 : n == 1 ? a[0] : a[0] | (u64)a[1] << 32;
        if (m < (1ULL << 62) || (neg && m == (1ULL << 62))) return k_int_small(neg ? (i64)(0 - m) : (i64)m);
    }
    KLong *r = k_long_new(n);
    __builtin_memcpy(r->d, a, 4 * (u64)n);
    r->size = neg ? -n : n;
    return K_VAL(r);
}

static kval from_u64_sign(u64 m, bool neg) {
    u32 d[2] = {(u32)m, (u32)(m >> 32)};
    return k_int_from_mag(d, 2, neg);
}

kval k_int_box_i64(i64 v) { return from_u64_sign(v < 0 ? 0 - (u64)v : (u64)v, v < 0); }

kval k_int_from_u64(u64 v) {
    if (v <= (u64)K_INT_SMALL_MAX) return k_int_small((i64)v);
    return from_u64_sign(v, 0);
}

bool k_int_to_i64(kval v, i64 *out) {
    KIntView w;
    k_int_view(v, &w);
    if (w.n > 2) return 0;
    u64 m = w.n == 0 ? 0 : w.n == 1 ? w.d[0] : w.d[0] | (u64)w.d[1] << 32;
    if (w.neg ? m > (1ULL << 63) : m >= (1ULL << 63)) return 0;
    *out = w.neg ? (i64)(0 - m) : (i64)m;
    return 1;
}

/* ---- magnitude kernels ---- */

int k_mag_cmp(const u32 *a, i64 na, const u32 *b, i64 nb) {
    if (na != nb) return na < nb ? -1 : 1;
    for (i64 i = na - 1; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

i64 k_mag_add(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb) {
    u64 c = 0;
    i64 i = 0;
    for (; i < nb; i++) {
        c += (u64)a[i] + b[i];
        out[i] = (u32)c;
        c >>= 32;
    }
    for (; i < na; i++) {
        c += a[i];
        out[i] = (u32)c;
        c >>= 32;
    }
    out[na] = (u32)c;
    return na + (i64)c;
}

void k_mag_sub(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb) {
    u64 borrow = 0;
    i64 i = 0;
    for (; i < nb; i++) {
        u64 t = (u64)a[i] - b[i] - borrow;
        out[i] = (u32)t;
        borrow = t >> 63;
    }
    for (; i < na; i++) {
        u64 t = (u64)a[i] - borrow;
        out[i] = (u32)t;
        borrow = t >> 63;
    }
}

u32 k_mag_mul1_add(u32 *a, i64 n, u32 m, u32 add) {
    u64 c = add;
    for (i64 i = 0; i < n; i++) {
        c += (u64)a[i] * m;
        a[i] = (u32)c;
        c >>= 32;
    }
    return (u32)c;
}

u32 k_mag_divrem1(u32 *q, const u32 *a, i64 n, u32 d) {
    u64 r = 0;
    for (i64 i = n - 1; i >= 0; i--) {
        u64 cur = r << 32 | a[i];
        q[i] = (u32)(cur / d);
        r = cur % d;
    }
    return (u32)r;
}

void k_mag_shl(u32 *out, const u32 *a, i64 n, u32 s) {
    if (s == 0) {
        __builtin_memmove(out, a, 4 * (u64)n);
        out[n] = 0;
        return;
    }
    if (n == 0) {
        out[0] = 0;
        return;
    }
    out[n] = a[n - 1] >> (32 - s);
    for (i64 i = n - 1; i > 0; i--) out[i] = (u32)(((u64)a[i] << 32 | a[i - 1]) >> (32 - s));
    out[0] = a[0] << s;
}

void k_mag_shr(u32 *out, const u32 *a, i64 n, u32 s) {
    if (s == 0) {
        __builtin_memmove(out, a, 4 * (u64)n);
        return;
    }
    for (i64 i = 0; i + 1 < n; i++) out[i] = (u32)(((u64)a[i + 1] << 32 | a[i]) >> s);
    if (n > 0) out[n - 1] = a[n - 1] >> s;
}

/* ---- multiplication ---- */

#define K_KARATSUBA_CUTOFF 48

/* out[0..n] = a[0..n) * m */
static void mul1(u32 *out, const u32 *a, i64 n, u64 m) {
    u64 c = 0;
    for (i64 j = 0; j < n; j++) {
        c += m * a[j];
        out[j] = (u32)c;
        c >>= 32;
    }
    out[n] = (u32)c;
}

/* Schoolbook, with the outer loop over the shorter operand b (nb <= na). */
static void mul_school(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb) {
    if (nb == 0) {
        __builtin_memset(out, 0, 4 * (u64)na);
        return;
    }
    mul1(out, a, na, b[0]);
    __builtin_memset(out + na + 1, 0, 4 * (u64)(nb - 1));
    for (i64 i = 1; i < nb; i++) {
        u64 c = 0, bi = b[i];
        if (!bi) continue;
        u32 *o = out + i;
        for (i64 j = 0; j < na; j++) {
            c += bi * a[j] + o[j];
            o[j] = (u32)c;
            c >>= 32;
        }
        o[na] = (u32)c;
    }
}

/* out[0..2n) = a**2: each cross product a[i]*a[j] (i < j) once, doubled, plus the squares. */
static void sqr_school(u32 *out, const u32 *a, i64 n) {
    __builtin_memset(out, 0, 8 * (u64)n);
    for (i64 i = 0; i < n; i++) {
        u64 c = 0, ai = a[i];
        for (i64 j = i + 1; j < n; j++) {
            c += ai * a[j] + out[i + j];
            out[i + j] = (u32)c;
            c >>= 32;
        }
        out[i + n] = (u32)c;
    }
    u64 c = 0;
    for (i64 i = 0; i < n; i++) {
        u64 sq = (u64)a[i] * a[i];
        c += ((u64)out[2 * i] << 1) + (u32)sq;
        out[2 * i] = (u32)c;
        c >>= 32;
        c += ((u64)out[2 * i + 1] << 1) + (sq >> 32);
        out[2 * i + 1] = (u32)c;
        c >>= 32;
    }
}

/* out[0..n) += a[0..na); returns the carry out of limb n-1 (n >= na). */
static u32 add_into(u32 *out, i64 n, const u32 *a, i64 na) {
    u64 c = 0;
    i64 i = 0;
    for (; i < na; i++) {
        c += (u64)out[i] + a[i];
        out[i] = (u32)c;
        c >>= 32;
    }
    for (; c && i < n; i++) {
        c += out[i];
        out[i] = (u32)c;
        c >>= 32;
    }
    return (u32)c;
}

/* out[0..n) -= a[0..na), the result known to be non-negative. */
static void sub_from(u32 *out, i64 n, const u32 *a, i64 na) {
    u64 borrow = 0;
    i64 i = 0;
    for (; i < na; i++) {
        u64 t = (u64)out[i] - a[i] - borrow;
        out[i] = (u32)t;
        borrow = t >> 63;
    }
    for (; borrow && i < n; i++) {
        u64 t = (u64)out[i] - borrow;
        out[i] = (u32)t;
        borrow = t >> 63;
    }
}

static void mul_rec(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb, u32 *scratch);

/* Karatsuba, na >= nb > h: a = a1*B**h + a0, b = b1*B**h + b0, with B = 2**32,
 *   a*b = z2*B**2h + ((a0+a1)(b0+b1) - z2 - z0)*B**h + z0.
 * scratch needs 4*(h+1) + the recursion's own; see mul_scratch. */
static void mul_karatsuba(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb, u32 *scratch) {
    i64 h = (na + 1) / 2;
    i64 na1 = na - h, nb1 = nb - h;
    u32 *sa = scratch, *sb = sa + (h + 1), *mid = sb + (h + 1), *rest = mid + 2 * (h + 1);
    mul_rec(out, a, h, b, h, rest);                        /* z0 into out[0..2h) */
    mul_rec(out + 2 * h, a + h, na1, b + h, nb1, rest);     /* z2 into out[2h..na+nb) */
    k_mag_add(sa, a, h, a + h, na1);                       /* a0 + a1: h+1 limbs (h >= na1) */
    k_mag_add(sb, b, h, b + h, nb1);
    mul_rec(mid, sa, h + 1, a == b ? sa : sb, h + 1, rest);   /* (a0+a1)(b0+b1): 2h+2 limbs */
    i64 nmid = 2 * (h + 1);
    sub_from(mid, nmid, out, 2 * h);
    sub_from(mid, nmid, out + 2 * h, na1 + nb1);
    add_into(out + h, na + nb - h, mid, k_mag_norm(mid, nmid));
}

static void mul_rec(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb, u32 *scratch) {
    if (na < nb) {
        const u32 *t = a; a = b; b = t;
        i64 tn = na; na = nb; nb = tn;
    }
    if (a == b && na == nb && nb < K_KARATSUBA_CUTOFF) {
        sqr_school(out, a, na);
    } else if (nb < K_KARATSUBA_CUTOFF) {
        mul_school(out, a, na, b, nb);
    } else if (2 * nb <= na) {
        /* Unbalanced: multiply b by slices of a that are nb limbs long. */
        __builtin_memset(out, 0, 4 * (u64)(na + nb));
        u32 *part = scratch, *rest = scratch + 2 * nb;
        for (i64 i = 0; i < na; i += nb) {
            i64 len = na - i < nb ? na - i : nb;
            mul_rec(part, a + i, len, b, nb, rest);
            add_into(out + i, na + nb - i, part, len + nb);
        }
    } else {
        mul_karatsuba(out, a, na, b, nb, scratch);
    }
}

/* Scratch for mul_rec on operands of up to n limbs: each Karatsuba level takes
 * 4*(h+1) limbs and recurses on h+1 limbs, so 8n + a constant per level suffices. */
static i64 mul_scratch(i64 n) { return 8 * n + 64 * 40; }

void k_mag_mul(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb) {
    if (a == b && na == nb && na < K_KARATSUBA_CUTOFF) {
        sqr_school(out, a, na);
        return;
    }
    if (na < K_KARATSUBA_CUTOFF || nb < K_KARATSUBA_CUTOFF) {
        if (na >= nb) mul_school(out, a, na, b, nb);
        else mul_school(out, b, nb, a, na);
        return;
    }
    i64 big = na > nb ? na : nb;
    u32 *scratch = k_malloc(4 * (u64)mul_scratch(big));
    mul_rec(out, a, na, b, nb, scratch);
    k_mfree(scratch);
}

/* ---- signed addition, subtraction, multiplication ---- */

/* a + b with b's sign flipped when negate_b. */
static kval add_signed(kval a, kval b, bool negate_b) {
    KIntView x, y;
    k_int_view(a, &x);
    k_int_view(b, &y);
    bool yneg = y.neg ^ negate_b;
    const KIntView *p = &x, *q = &y;
    bool pneg = x.neg, qneg = yneg;
    if (k_mag_cmp(x.d, x.n, y.d, y.n) < 0) {
        p = &y, q = &x;
        pneg = yneg, qneg = x.neg;
    }
    /* |p| >= |q| */
    if (k_int_too_big(p->n + 1)) return 0;
    KLong *r = k_long_new(p->n + 1);
    if (pneg == qneg) k_mag_add(r->d, p->d, p->n, q->d, q->n);
    else k_mag_sub(r->d, p->d, p->n, q->d, q->n);
    return k_long_finish(r, pneg);
}

kval k_int_add_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (a & b & 1) return k_int_from_i64(k_int_small_value(a) + k_int_small_value(b));
    return add_signed(a, b, 0);
}

kval k_int_sub_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (a & b & 1) return k_int_from_i64(k_int_small_value(a) - k_int_small_value(b));
    return add_signed(a, b, 1);
}

kval k_int_mul_slow(kval a, kval b) {
    KIntView x, y;
    k_int_view(a, &x);
    k_int_view(b, &y);
    if (x.n == 0 || y.n == 0) return k_int_small(0);
    if (k_int_too_big(x.n + y.n)) return 0;
    KLong *r = k_long_new(x.n + y.n);
    k_mag_mul(r->d, x.d, x.n, y.d, y.n);
    return k_long_finish(r, x.neg != y.neg);
}

kval k_int_neg_slow(kval a) {
    a = k_int_unbool(a);
    if (K_IS_SMALL(a)) return k_int_from_i64(-k_int_small_value(a));
    KIntView x;
    k_int_view(a, &x);
    return k_int_from_mag(x.d, x.n, !x.neg);
}

kval k_int_abs(kval a) {
    a = k_int_unbool(a);
    if (K_IS_SMALL(a)) return k_int_from_i64(k_int_small_value(a) < 0 ? -k_int_small_value(a) : k_int_small_value(a));
    if (((KLong *)a)->size > 0) return k_newref(a);
    return k_int_neg_slow(a);
}

kval k_int_pos(kval a) { return k_newref(k_int_unbool(a)); }

/* ---- comparison, truth, hash, bit_length ---- */

int k_int_cmp_slow(kval a, kval b) {
    a = k_int_unbool(a), b = k_int_unbool(b);
    if (a & b & 1) return ((i64)a > (i64)b) - ((i64)a < (i64)b);
    KIntView x, y;
    k_int_view(a, &x);
    k_int_view(b, &y);
    if (x.neg != y.neg) return x.neg ? -1 : 1;
    int c = k_mag_cmp(x.d, x.n, y.d, y.n);
    return x.neg ? -c : c;
}

bool k_int_eq_slow(kval a, kval b) { return k_int_cmp_slow(a, b) == 0; }

bool k_int_truthy(kval v) {
    v = k_int_unbool(v);
    return v != k_int_small(0);
}

#define K_HASH_MODULUS ((1ULL << 61) - 1)

i64 k_int_hash(kval v) {
    KIntView w;
    k_int_view(v, &w);
    u64 h = 0;
    for (i64 i = w.n - 1; i >= 0; i--) {
        /* h * 2**32 mod (2**61 - 1) is a rotation of h's 61 bits by 32. */
        h = ((h << 32) & K_HASH_MODULUS) | (h >> 29);
        h += w.d[i];
        if (h >= K_HASH_MODULUS) h -= K_HASH_MODULUS;
    }
    i64 r = w.neg ? -(i64)h : (i64)h;
    return r == -1 ? -2 : r;
}

kval k_int_bit_length(kval v) {
    KIntView w;
    k_int_view(v, &w);
    return k_int_from_u64(k_mag_bits(w.d, w.n));
}

/* ---- floats ---- */

static double pow2(i64 e) {          /* -1022 <= e <= 1023 */
    union { u64 u; double d; } c;
    c.u = (u64)(e + 1023) << 52;
    return c.d;
}

double k_ldexp(double x, i64 e) {
    /* Each step is exact while the final value is representable (then so is every
     * intermediate: they lie between x and the result and are multiples of 2**-1074). */
    while (e > 1023) {
        x *= pow2(1023);
        e -= 1023;
        if (e > 4000) return x * pow2(1023) * pow2(1023);
    }
    while (e < -1022) {
        x *= pow2(-1022);
        e += 1022;
        if (e < -4000) return x * pow2(-1022) * pow2(-1022);
    }
    return x * pow2(e);
}

/* 64 bits of a starting at bit s, with bit 0 or-ed with "some bit below s is set". */
static u64 top_bits_sticky(const u32 *a, i64 n, u64 s) {
    i64 li = (i64)(s / 32);
    u32 off = (u32)(s % 32);
    u64 lo = (li < n ? a[li] : 0) | (u64)(li + 1 < n ? a[li + 1] : 0) << 32;
    u64 hi = li + 2 < n ? a[li + 2] : 0;
    u64 v = off ? (lo >> off) | (hi << (64 - off)) : lo;
    bool sticky = off && (a[li] & ((1u << off) - 1));
    for (i64 i = 0; i < li && !sticky; i++) sticky = a[i] != 0;
    return v | sticky;
}

/* |value| as a double, correctly rounded; +inf when it rounds to 2**1024 or beyond. */
static double mag_to_double(const u32 *a, i64 n) {
    u64 bits = k_mag_bits(a, n);
    if (bits <= 64) return (double)(n == 0 ? 0 : n == 1 ? a[0] : a[0] | (u64)a[1] << 32);
    if (bits > 1024) return __builtin_inf();
    return k_ldexp((double)top_bits_sticky(a, n, bits - 64), (i64)bits - 64);
}

double k_int_to_double(kval v) {
    v = k_int_unbool(v);
    if (K_IS_SMALL(v)) return (double)k_int_small_value(v);
    KIntView w;
    k_int_view(v, &w);
    double d = mag_to_double(w.d, w.n);
    if (d == __builtin_inf()) {
        k_raise_str(&k_OverflowError_type, "int too large to convert to float");
        return -1.0;
    }
    return w.neg ? -d : d;
}

kval k_int_from_double(double d) {
    if (__builtin_isnan(d)) {
        k_raise_str(&k_ValueError_type, "cannot convert float NaN to integer");
        return 0;
    }
    if (d == __builtin_inf() || d == -__builtin_inf()) {
        k_raise_str(&k_OverflowError_type, "cannot convert float infinity to integer");
        return 0;
    }
    if (d > -4611686018427387904.0 && d < 4611686018427387904.0) return k_int_small((i64)d);
    /* |d| >= 2**62: an integer, mantissa * 2**shift with shift >= 10. */
    union { double d; u64 u; } c = {d};
    u64 mant = (c.u & ((1ULL << 52) - 1)) | (1ULL << 52);
    i64 shift = (i64)((c.u >> 52) & 0x7ff) - 1075;
    i64 nl = (shift + 53) / 32 + 1;
    KLong *r = k_long_new(nl + 1);
    i64 li = shift / 32;
    u32 off = (u32)(shift % 32);
    u32 src[2] = {(u32)mant, (u32)(mant >> 32)};
    k_mag_shl(r->d + li, src, 2, off);
    return k_long_finish(r, d < 0);
}

/* The integral part of a finite double (its "trunc"), without libm. */
static double trunc_double(double d) {
    if (d > -4503599627370496.0 && d < 4503599627370496.0) return (double)(i64)d;   /* |d| < 2**52 */
    return d;               /* already integral */
}

int k_int_cmp_double(kval a, double d) {
    if (__builtin_isnan(d)) return 2;
    a = k_int_unbool(a);
    if (d == __builtin_inf()) return -1;
    if (d == -__builtin_inf()) return 1;
    double t = trunc_double(d), frac = d - t;
    int c;
    if (K_IS_SMALL(a) && t > -9223372036854775808.0 && t < 9223372036854775808.0) {
        i64 x = k_int_small_value(a), ti = (i64)t;
        c = (x > ti) - (x < ti);
    } else {
        kval tv = k_int_from_double(t);
        c = k_int_cmp_slow(a, tv);
        k_decref(tv);
    }
    if (c != 0) return c;
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

/* ---- the types ---- */

static kval int_repr_slot(kval self) { return k_int_repr(self); }

static int int_richcmp(kval a, kval b, int op) {
    int c;
    const KType *tb = k_type_of(b);
    if (tb == &k_float_type) {
        c = k_int_cmp_double(a, k_float_unbox(b));
        if (c == 2) return op == K_NE;
    } else if (tb->flags & K_TF_INT) {
        c = k_int_cmp(k_int_unbool(a), k_int_unbool(b));
    } else {
        return 2;
    }
    return k_cmp_holds(c, op);
}

const KType k_int_type = {
    K_STATIC_HDR(&k_type_type), "int", "builtins", &k_object_type, sizeof(KLong), K_TF_INT,
    .repr = int_repr_slot, .hash = k_int_hash, .richcmp = int_richcmp,
};

static kval bool_repr(kval self) {
    return self == k_True ? k_str_from_ascii("True", 4) : k_str_from_ascii("False", 5);
}

static i64 bool_hash(kval self) { return self == k_True; }

const KType k_bool_type = {
    K_STATIC_HDR(&k_type_type), "bool", "builtins", &k_int_type, sizeof(KObj), K_TF_INT,
    .repr = bool_repr, .hash = bool_hash, .richcmp = int_richcmp,
};

#ifdef KAA_TEST_SHIM
/* The inline fast paths of int.h, as symbols tests can call. */
kval kt_int_add(kval a, kval b) { return k_int_add(a, b); }
kval kt_int_sub(kval a, kval b) { return k_int_sub(a, b); }
kval kt_int_mul(kval a, kval b) { return k_int_mul(a, b); }
kval kt_int_floordiv(kval a, kval b) { return k_int_floordiv(a, b); }
kval kt_int_mod(kval a, kval b) { return k_int_mod(a, b); }
kval kt_int_lshift(kval a, kval b) { return k_int_lshift(a, b); }
kval kt_int_rshift(kval a, kval b) { return k_int_rshift(a, b); }
kval kt_int_and(kval a, kval b) { return k_int_and(a, b); }
kval kt_int_or(kval a, kval b) { return k_int_or(a, b); }
kval kt_int_xor(kval a, kval b) { return k_int_xor(a, b); }
kval kt_int_neg(kval a) { return k_int_neg(a); }
kval kt_int_invert(kval a) { return k_int_invert(a); }
int kt_int_cmp(kval a, kval b) { return k_int_cmp(a, b); }
bool kt_int_eq(kval a, kval b) { return k_int_eq(a, b); }
kval kt_int_from_i64(i64 v) { return k_int_from_i64(v); }
#endif
