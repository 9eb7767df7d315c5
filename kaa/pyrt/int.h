/* Python `int`: arbitrary precision, with a tagged fast path.
 *
 * Representation (object.h): a kval with bit 0 set is a small int whose value is
 * (i64)v >> 1, the 63-bit range [-2**62, 2**62). Any other int is a pointer to a KLong:
 * sign and magnitude, the magnitude in little-endian 32-bit limbs (`d`), |size| limbs,
 * the sign of `size` the sign of the number.
 * Invariants:
 *   - canonical: every value in the small range is small, so a KLong is never in that
 *     range (two ints are equal as values iff equal as words, when either is small);
 *   - a KLong has no leading zero limb and is never zero (|size| >= 2);
 *   - bool is a subtype of int: k_True and k_False (KObj headers of k_bool_type) are
 *     accepted by every k_int_* function as 1 and 0.
 * Fast paths for two small operands are inline below: a few instructions on the tagged
 * words (an overflow check, no allocation); everything else goes to an out-of-line
 * `_slow` function in int.c / int_div.c / int_bits.c / int_text.c.
 * Results are new references, or 0 with k_exc set (floor division by zero, negative
 * shift counts, ...), with CPython 3.11's messages.
 */
#pragma once
#include "object.h"

typedef struct {
    KObj hdr;
    i64 size;           /* number of limbs, negated for negative numbers */
    u32 d[];            /* magnitude, least significant limb first */
} KLong;

#define K_INT_SMALL_MIN (-(1LL << 62))
#define K_INT_SMALL_MAX ((1LL << 62) - 1)

static inline bool k_int_is_small(kval v) { return K_IS_SMALL(v); }
static inline i64 k_int_small_value(kval v) { return (i64)v >> 1; }
static inline kval k_int_small(i64 x) { return ((u64)x << 1) | 1; }   /* x must be in range */

/* ---- construction and conversion ---- */
kval k_int_box_i64(i64 v);                      /* v outside the small range: a KLong */
static inline kval k_int_from_i64(i64 v) {
    if ((u64)v + (1ULL << 62) < (1ULL << 63)) return k_int_small(v);
    return k_int_box_i64(v);
}
kval k_int_from_u64(u64 v);
bool k_int_to_i64(kval v, i64 *out);            /* false when out of i64 range; raises nothing */
double k_int_to_double(kval v);                 /* correctly rounded; -1.0 + OverflowError when too big */
kval k_int_from_double(double d);               /* truncates; ValueError (NaN) / OverflowError (inf) */

/* ---- arithmetic: out-of-line halves ---- */
kval k_int_add_slow(kval a, kval b);
kval k_int_sub_slow(kval a, kval b);
kval k_int_mul_slow(kval a, kval b);
kval k_int_floordiv_slow(kval a, kval b);
kval k_int_mod_slow(kval a, kval b);
kval k_int_neg_slow(kval a);
kval k_int_lshift_slow(kval a, kval b);
kval k_int_rshift_slow(kval a, kval b);
kval k_int_and_slow(kval a, kval b);
kval k_int_or_slow(kval a, kval b);
kval k_int_xor_slow(kval a, kval b);
kval k_int_invert_slow(kval a);
int k_int_cmp_slow(kval a, kval b);
bool k_int_eq_slow(kval a, kval b);

kval k_int_pow(kval a, kval b);                 /* ValueError for a negative exponent (see int_div.c) */
kval k_int_pow_mod(kval base, kval exp, kval mod);
bool k_int_divmod(kval a, kval b, kval *q, kval *r);   /* false: raised ZeroDivisionError */
kval k_int_abs(kval a);
kval k_int_pos(kval a);
double k_int_truediv(kval a, kval b);           /* correctly rounded; -1.0 + exception on error */
int k_int_cmp_double(kval a, double d);         /* -1, 0, 1; 2 when d is NaN */

/* ---- arithmetic: the inline fast paths (both operands small) ---- */
static inline kval k_int_add(kval a, kval b) {
    i64 r;
    if (__builtin_expect(a & b & 1, 1) && !__builtin_add_overflow((i64)a, (i64)b - 1, &r)) return (kval)r;
    return k_int_add_slow(a, b);
}
static inline kval k_int_sub(kval a, kval b) {
    i64 r;
    if (__builtin_expect(a & b & 1, 1) && !__builtin_sub_overflow((i64)a, (i64)b - 1, &r)) return (kval)r;
    return k_int_sub_slow(a, b);
}
static inline kval k_int_mul(kval a, kval b) {
    i64 r;      /* x * 2y is even; | 1 retags it */
    if (__builtin_expect(a & b & 1, 1) && !__builtin_mul_overflow((i64)a >> 1, (i64)b - 1, &r)) return (kval)r | 1;
    return k_int_mul_slow(a, b);
}
static inline kval k_int_floordiv(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1) && b != 1) {
        i64 x = (i64)a >> 1, y = (i64)b >> 1, q = x / y;
        if ((x % y != 0) && ((x ^ y) < 0)) q--;
        return k_int_from_i64(q);           /* -2**62 // -1 leaves the small range */
    }
    return k_int_floordiv_slow(a, b);
}
static inline kval k_int_mod(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1) && b != 1) {
        i64 x = (i64)a >> 1, y = (i64)b >> 1, r = x % y;
        if (r != 0 && ((r ^ y) < 0)) r += y;
        return k_int_small(r);
    }
    return k_int_mod_slow(a, b);
}
static inline kval k_int_neg(kval a) {
    i64 r;      /* -(2x+1) + 2 = 2(-x)+1 */
    if (__builtin_expect(a & 1, 1) && !__builtin_sub_overflow((i64)2, (i64)a, &r)) return (kval)r;
    return k_int_neg_slow(a);
}
static inline kval k_int_invert(kval a) {
    if (__builtin_expect(a & 1, 1)) return a ^ ~(u64)1;      /* ~x = -x-1, always small */
    return k_int_invert_slow(a);
}
static inline kval k_int_and(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1)) return a & b;
    return k_int_and_slow(a, b);
}
static inline kval k_int_or(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1)) return a | b;
    return k_int_or_slow(a, b);
}
static inline kval k_int_xor(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1)) return (a ^ b) | 1;
    return k_int_xor_slow(a, b);
}
static inline kval k_int_lshift(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1)) {
        i64 x = (i64)a >> 1, y = (i64)b >> 1;
        /* x << y stays small when the bits shifted out of 62 are copies of the sign */
        if ((u64)y < 62 && ((x >> (62 - y)) == 0 || (x >> (62 - y)) == -1)) return k_int_small((i64)((u64)x << y));
    }
    return k_int_lshift_slow(a, b);
}
static inline kval k_int_rshift(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1) && (i64)b >= 0) {
        i64 x = (i64)a >> 1, y = (i64)b >> 1;
        return k_int_small(x >> (y > 63 ? 63 : y));
    }
    return k_int_rshift_slow(a, b);
}

/* ---- comparison ---- */
static inline int k_int_cmp(kval a, kval b) {
    if (__builtin_expect(a & b & 1, 1)) return ((i64)a > (i64)b) - ((i64)a < (i64)b);
    return k_int_cmp_slow(a, b);
}
static inline bool k_int_eq(kval a, kval b) {
    if (a == b) return 1;
    if (a & b & 1) return 0;
    return k_int_eq_slow(a, b);
}
bool k_int_truthy(kval v);
i64 k_int_hash(kval v);                         /* CPython's: modulus 2**61 - 1 */
kval k_int_bit_length(kval v);

/* ---- text (int_text.c) ---- */
kval k_int_repr(kval v);                        /* decimal str; ValueError past 4300 digits */
i64 k_int_write_decimal(kval v, u8 *buf, i64 cap);     /* ASCII, no digit limit; -1 if cap too small */
kval k_int_parse(const u8 *s, i64 n, int base);        /* int(text, base); s is UTF-8 */
kval k_int_to_base(kval v, int base);           /* bin/oct/hex: "0b101", "-0x1f"; base 2, 8, 16 */
kval k_int_format(kval v, const KFormatSpec *spec);    /* format(int, spec) */

/* Largest magnitude we build, in limbs (beyond it: MemoryError, as CPython would give). */
#define K_INT_MAX_LIMBS (1LL << 28)
