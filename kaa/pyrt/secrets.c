/* secrets (CPython 3.11's Lib/secrets.py over random.SystemRandom): every value comes
 * straight from the platform's entropy (k_os_random). Integers below a bound are drawn
 * as random.py's _randbelow does: bit_length(bound) random bits, again until below.
 */
#include "secrets.h"
#include "base64.h"
#include "hashlib.h"
#include "int_impl.h"
#include "list.h"
#include "osrandom.h"
#include "str.h"
#include "tuple.h"

#define DEFAULT_ENTROPY 32          /* bytes, when nbytes is None */

/* nbytes as os.urandom takes it. */
static bool byte_count(kval nbytes, i64 *n) {
    if (nbytes == k_None) { *n = DEFAULT_ENTROPY; return 1; }
    if (!k_int_to_i64(nbytes, n)) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C ssize_t");
        return 0;
    }
    if (*n < 0) {
        k_raise_str(&k_ValueError_type, "negative argument not allowed");
        return 0;
    }
    return 1;
}

kval k_secrets_token_bytes(kval nbytes) {
    i64 n;
    if (!byte_count(nbytes, &n)) return 0;
    kval r = k_bytes_new_raw(n);
    if (n) k_os_random(((KBytes *)r)->data, n);
    return r;
}

kval k_secrets_token_hex(kval nbytes) {
    kval b = k_secrets_token_bytes(nbytes);
    if (!b) return 0;
    kval r = k_hex_str(k_bytes_data(b), k_bytes_len(b));
    k_decref(b);
    return r;
}

/* URL-safe Base64 without the '=' padding. */
kval k_secrets_token_urlsafe(kval nbytes) {
    kval b = k_secrets_token_bytes(nbytes);
    if (!b) return 0;
    i64 n = k_bytes_len(b);
    u8 *text = (u8 *)k_malloc((u64)(n + 2) / 3 * 4 + 1);
    i64 len = k_base64_encode_into(k_bytes_data(b), n, text, 1, 0);
    kval r = k_str_from_ascii((const char *)text, len);
    k_mfree(text);
    k_decref(b);
    return r;
}

/* A random natural number of k bits (k >= 0). */
static kval random_bits(i64 k) {
    i64 n = (k + 31) / 32;
    if (k_int_too_big(n)) return 0;
    u32 *limbs = (u32 *)k_malloc((u64)(n ? n : 1) * 4);
    k_os_random((u8 *)limbs, n * 4);
    if (k % 32) limbs[n - 1] &= (1u << (k % 32)) - 1;
    kval r = k_int_from_mag(limbs, n, 0);
    k_mfree(limbs);
    return r;
}

kval k_secrets_randbits(i64 k) {
    if (k < 0) {
        k_raise_str(&k_ValueError_type, "number of bits must be non-negative");
        return 0;
    }
    return random_bits(k);
}

kval k_secrets_randbelow(kval bound) {
    KIntView w;
    k_int_view(bound, &w);
    if (w.neg || w.n == 0) {
        k_raise_str(&k_ValueError_type, "Upper bound must be positive.");
        return 0;
    }
    i64 k = (i64)k_mag_bits(w.d, w.n);
    for (;;) {
        kval r = random_bits(k);
        if (!r || k_int_cmp(r, bound) < 0) return r;
        k_decref(r);
    }
}

/* An index in [0, n), n > 0. */
static i64 random_index(i64 n) {
    u64 mask = ~0ULL >> __builtin_clzll((u64)n);
    for (;;) {
        u64 r;
        k_os_random((u8 *)&r, 8);
        r &= mask;
        if (r < (u64)n) return (i64)r;
    }
}

kval k_secrets_choice(kval seq) {
    i64 n = k_len(seq);
    if (n < 0) return 0;
    if (n == 0) {
        k_raise_str(&k_IndexError_type, "Cannot choose from an empty sequence");
        return 0;
    }
    i64 i = random_index(n);
    const KType *t = k_type_of(seq);
    if (t == &k_list_type) return k_list_getitem(seq, i);
    if (t == &k_tuple_type) return k_tuple_getitem(seq, i);
    if (t == &k_str_type) return k_str_getitem(seq, i);
    if (t == &k_bytes_type) return k_bytes_getitem(seq, i);
    if (t == &k_bytearray_type) return k_bytearray_getitem(seq, i);
    k_raise_fmt(&k_TypeError_type, "'%s' object is not subscriptable", t->name);
    return 0;
}
