/* A small fixed-capacity unsigned big integer for exact float <-> decimal work
 * (float_dtoa.c). Private to the float files; int.c has its own representation.
 *
 * Layout: little-endian 32-bit limbs d[0..n), no leading zero limb (n == 0 is zero).
 * Capacity: KBIG_LIMBS limbs (1280 bits), allocated on the stack by the caller; no heap.
 * Dragon4 never needs more: its numerator and denominator stay below 2**1090 (the
 * denominator is at most 2**1076 * 10 for the smallest subnormal scaled by 10**k, or
 * 2 * 10**309 for the largest double), and the margins are smaller still. Overflowing
 * the capacity is a bug; functions do not check it.
 * Every operation is a simple schoolbook loop: the numbers are small (the usual case is
 * 2-4 limbs) and the work per decimal digit is one multiply by 10 and one short
 * division whose quotient is a single digit.
 */
#pragma once
#include "object.h"

#define KBIG_LIMBS 40

typedef struct {
    u32 n;
    u32 d[KBIG_LIMBS];
} KBig;

static inline void kbig_trim(KBig *a) {
    while (a->n && a->d[a->n - 1] == 0) a->n--;
}

static inline void kbig_set_u64(KBig *a, u64 v) {
    a->d[0] = (u32)v;
    a->d[1] = (u32)(v >> 32);
    a->n = 2;
    kbig_trim(a);
}

static inline bool kbig_is_zero(const KBig *a) { return a->n == 0; }

static inline void kbig_copy(KBig *dst, const KBig *src) {
    dst->n = src->n;
    for (u32 i = 0; i < src->n; i++) dst->d[i] = src->d[i];
}

/* a = a * m + add */
static inline void kbig_mul_add_small(KBig *a, u32 m, u32 add) {
    u64 carry = add;
    for (u32 i = 0; i < a->n; i++) {
        u64 t = (u64)a->d[i] * m + carry;
        a->d[i] = (u32)t;
        carry = t >> 32;
    }
    if (carry) a->d[a->n++] = (u32)carry;
}

static inline void kbig_mul_small(KBig *a, u32 m) { kbig_mul_add_small(a, m, 0); }

/* a *= 10**k, k >= 0 (steps of 10**9, which fits a limb). */
static inline void kbig_mul_pow10(KBig *a, int k) {
    static const u32 p10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                1000000000};
    for (; k >= 9; k -= 9) kbig_mul_small(a, p10[9]);
    if (k) kbig_mul_small(a, p10[k]);
}

/* a <<= bits */
static inline void kbig_shl(KBig *a, int bits) {
    if (a->n == 0) return;
    int limbs = bits >> 5, sh = bits & 31;
    if (sh) {
        u32 top = a->d[a->n - 1] >> (32 - sh);
        for (u32 i = a->n - 1; i > 0; i--) a->d[i] = (a->d[i] << sh) | (a->d[i - 1] >> (32 - sh));
        a->d[0] <<= sh;
        if (top) a->d[a->n++] = top;
    }
    if (limbs) {
        for (int i = (int)a->n - 1; i >= 0; i--) a->d[i + limbs] = a->d[i];
        for (int i = 0; i < limbs; i++) a->d[i] = 0;
        a->n += (u32)limbs;
    }
}

/* a = 2**bits */
static inline void kbig_set_pow2(KBig *a, int bits) {
    int limbs = bits >> 5;
    for (int i = 0; i < limbs; i++) a->d[i] = 0;
    a->d[limbs] = 1u << (bits & 31);
    a->n = (u32)limbs + 1;
}

static inline int kbig_cmp(const KBig *a, const KBig *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (u32 i = a->n; i-- > 0;)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* r = a + b (r may be a or b). */
static inline void kbig_add(KBig *r, const KBig *a, const KBig *b) {
    if (a->n < b->n) { const KBig *t = a; a = b; b = t; }
    u64 carry = 0;
    u32 i = 0;
    for (; i < b->n; i++) {
        u64 t = (u64)a->d[i] + b->d[i] + carry;
        r->d[i] = (u32)t;
        carry = t >> 32;
    }
    for (; i < a->n; i++) {
        u64 t = (u64)a->d[i] + carry;
        r->d[i] = (u32)t;
        carry = t >> 32;
    }
    r->n = a->n;
    if (carry) r->d[r->n++] = (u32)carry;
}

/* a -= b, requires a >= b */
static inline void kbig_sub(KBig *a, const KBig *b) {
    i64 borrow = 0;
    u32 i = 0;
    for (; i < b->n; i++) {
        i64 t = (i64)a->d[i] - b->d[i] - borrow;
        a->d[i] = (u32)t;
        borrow = t < 0;
    }
    for (; borrow && i < a->n; i++) {
        i64 t = (i64)a->d[i] - borrow;
        a->d[i] = (u32)t;
        borrow = t < 0;
    }
    kbig_trim(a);
}

/* Compare a + b with c without forming the sum. */
static inline int kbig_cmp_sum(const KBig *a, const KBig *b, const KBig *c) {
    KBig t;
    kbig_add(&t, a, b);
    return kbig_cmp(&t, c);
}

/* q = r / s (the quotient is small: at most a few bits), r = r % s.
 * An estimate from the top limb of s undershoots by a little; the loop finishes. */
static inline u32 kbig_divrem_small_q(KBig *r, const KBig *s) {
    if (r->n < s->n) return 0;
    u32 top = s->n - 1;
    u64 rtop = r->d[top];
    if (r->n > s->n) rtop |= (u64)r->d[top + 1] << 32;
    u64 q = rtop / ((u64)s->d[top] + 1);
    if (q) {   /* r -= q * s */
        u64 carry = 0;
        i64 borrow = 0;
        for (u32 i = 0; i < s->n; i++) {
            u64 p = (u64)s->d[i] * q + carry;
            carry = p >> 32;
            i64 t = (i64)r->d[i] - (u32)p - borrow;
            r->d[i] = (u32)t;
            borrow = t < 0;
        }
        for (u32 i = s->n; i < r->n; i++) {
            i64 t = (i64)r->d[i] - (u32)carry - borrow;
            carry = 0;
            r->d[i] = (u32)t;
            borrow = t < 0;
        }
        kbig_trim(r);
    }
    while (kbig_cmp(r, s) >= 0) {
        kbig_sub(r, s);
        q++;
    }
    return (u32)q;
}
