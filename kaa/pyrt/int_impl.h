/* Internals shared by int.c, int_div.c, int_bits.c and int_text.c: magnitudes (natural
 * numbers as little-endian arrays of 32-bit limbs, with an explicit length that may
 * include leading zeros unless said otherwise) and views of int operands.
 *
 * A KIntView presents any int operand (small, bool or KLong) as sign + magnitude
 * without allocating: small values are spelled out into the view's own two limbs, so
 * a view must not be copied while its `d` is in use.
 */
#pragma once
#include "int.h"

typedef struct {
    const u32 *d;
    i64 n;              /* limbs, no leading zeros (0 for zero) */
    bool neg;
    u32 buf[2];
} KIntView;

/* bool operands as the small ints 1 and 0; anything else unchanged. */
static inline kval k_int_unbool(kval v) {
    if (v == k_True) return k_int_small(1);
    if (v == k_False) return k_int_small(0);
    return v;
}

static inline void k_int_view(kval v, KIntView *w) {
    v = k_int_unbool(v);
    if (K_IS_SMALL(v)) {
        i64 x = k_int_small_value(v);
        u64 m = x < 0 ? 0 - (u64)x : (u64)x;
        w->neg = x < 0;
        w->buf[0] = (u32)m;
        w->buf[1] = (u32)(m >> 32);
        w->n = w->buf[1] ? 2 : w->buf[0] ? 1 : 0;
        w->d = w->buf;
    } else {
        const KLong *l = (const KLong *)v;
        w->neg = l->size < 0;
        w->n = l->size < 0 ? -l->size : l->size;
        w->d = l->d;
    }
}

static inline i64 k_mag_norm(const u32 *a, i64 n) {
    while (n > 0 && a[n - 1] == 0) n--;
    return n;
}

static inline u64 k_mag_bits(const u32 *a, i64 n) {   /* n: no leading zeros */
    return n == 0 ? 0 : (u64)(n - 1) * 32 + (u64)(32 - __builtin_clz(a[n - 1]));
}

/* Results: a fresh KLong of n zeroed limbs, filled by the caller, then finished
 * (normalized: leading zeros dropped, small range turned into a small int). */
KLong *k_long_new(i64 n);
kval k_long_finish(KLong *r, bool neg);
kval k_int_from_mag(const u32 *a, i64 n, bool neg);      /* copies; n may have leading zeros */
bool k_int_too_big(i64 limbs);                            /* raises MemoryError when over the limit */

/* Magnitude arithmetic (int.c). out must not overlap inputs unless said. */
int k_mag_cmp(const u32 *a, i64 na, const u32 *b, i64 nb);   /* no leading zeros */
i64 k_mag_add(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb); /* na >= nb; out: na+1; may alias a */
void k_mag_sub(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb); /* a >= b; out: na; may alias a */
void k_mag_mul(u32 *out, const u32 *a, i64 na, const u32 *b, i64 nb); /* out: na+nb limbs, any content */
u32 k_mag_mul1_add(u32 *a, i64 n, u32 m, u32 add);       /* a = a*m + add in place; returns carry */
u32 k_mag_divrem1(u32 *q, const u32 *a, i64 n, u32 d);  /* q = a / d (may alias a); returns a % d */
void k_mag_shl(u32 *out, const u32 *a, i64 n, u32 s);    /* out: n+1 limbs = a << s, s < 32; out >= a may alias */
void k_mag_shr(u32 *out, const u32 *a, i64 n, u32 s);    /* out: n limbs = a >> s, s < 32; may alias */

/* Division (int_div.c): q = a / b (na-nb+1 limbs), r = a % b (nb limbs); nb >= 1, b[nb-1] != 0.
 * q or r may be NULL. */
void k_mag_divrem(u32 *q, u32 *r, const u32 *a, i64 na, const u32 *b, i64 nb);

/* Floating point helpers (int.c). */
double k_ldexp(double x, i64 e);                          /* x * 2**e, correctly rounded */
