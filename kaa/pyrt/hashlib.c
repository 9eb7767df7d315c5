/* hashlib and hmac (CPython 3.11's behaviour and messages, its OpenSSL build).
 *
 * A hash object is a KDigest inside an object; digest() pads a copy, so the object
 * can go on being updated. An HMAC object (RFC 2104) is two digests keyed once at
 * creation: `inner` has absorbed K ^ ipad and then the message, `outer` K ^ opad; the
 * result is outer(inner's digest). PBKDF2 (RFC 8018 5.2) reuses the two keyed states
 * for every iteration, so each costs two compressions for the SHA-2 family.
 */
#include "hashlib.h"
#include "str.h"
#include "int.h"

static const char *tname(kval v) { return k_type_of(v)->name; }

bool k_buffer_arg(kval v, const u8 **p, i64 *n) {
    if (k_buffer(v, p, n)) return 1;
    k_raise_fmt(&k_TypeError_type, "a bytes-like object is required, not '%s'", tname(v));
    return 0;
}

/* Data to hash: CPython's message for a str differs from other non-buffers. */
static bool hash_data(kval v, const u8 **p, i64 *n) {
    if (k_buffer(v, p, n)) return 1;
    if (k_is_str(v)) k_raise_str(&k_TypeError_type, "Strings must be encoded before hashing");
    else k_raise_str(&k_TypeError_type, "object supporting the buffer API required");
    return 0;
}

kval k_hex_str(const u8 *p, i64 n) {
    static const char digits[] = "0123456789abcdef";
    kval s = k_str_new_raw(2 * n, 2 * n);
    u8 *out = ((KStr *)s)->data;
    for (i64 i = 0; i < n; i++) {
        out[2 * i] = (u8)digits[p[i] >> 4];
        out[2 * i + 1] = (u8)digits[p[i] & 15];
    }
    return s;
}

/* ---- hash objects ---- */

static kval hash_repr(kval self) {
    /* CPython's adds the address: <sha256 _hashlib.HASH object @ 0x7f...> */
    kval parts[3] = {K_VAL(0), k_str_from_cstr(((KHash *)self)->d.algo->name), K_VAL(0)};
    parts[0] = k_str_from_ascii("<", 1);
    parts[2] = k_str_from_cstr(" _hashlib.HASH object>");
    kval r = k_str_join_parts(parts, 3);
    for (int i = 0; i < 3; i++) k_decref(parts[i]);
    return r;
}

const KType k_hashlib_HASH_type = {K_STATIC_HDR(&k_type_type), "HASH", "_hashlib", &k_object_type, sizeof(KHash), 0,
                                   .repr = hash_repr};

static kval hash_new(const KDigestAlgo *algo, kval data) {
    const u8 *p = 0;
    i64 n = 0;
    if (data && !hash_data(data, &p, &n)) return 0;
    KHash *h = (KHash *)k_alloc(&k_hashlib_HASH_type, sizeof(KHash));
    k_digest_init(&h->d, algo);
    k_digest_update(&h->d, p, n);
    return K_VAL(h);
}

kval k_hashlib_new(kval name, kval data, bool usedforsecurity) {
    (void)usedforsecurity;
    const KDigestAlgo *algo = k_digest_lookup(k_str_data(name), k_str_nbytes(name));
    if (!algo) {
        k_raise_fmt(&k_ValueError_type, "unsupported hash type %S", name);
        return 0;
    }
    return hash_new(algo, data);
}

#define CONSTRUCTOR(NAME)                                                                    \
    kval k_hashlib_##NAME(kval data, bool usedforsecurity) {                                 \
        (void)usedforsecurity;                                                               \
        return hash_new(&k_digest_##NAME, data);                                             \
    }                                                                                        \
    KHashConstructor k_hashlib_##NAME##_func = {{K_STATIC_HDR(&k_function_type), constructor_call}, \
                                                &k_digest_##NAME};

/* hashlib.sha256 called as a value: sha256() or sha256(data). */
static kval constructor_call(kval self, const kval *args, i64 nargs) {
    if (nargs > 1) {
        k_raise_fmt(&k_TypeError_type, "%s() takes at most 1 argument (%d given)",
                    ((KHashConstructor *)self)->algo->name, nargs);
        return 0;
    }
    return hash_new(((KHashConstructor *)self)->algo, nargs ? args[0] : 0);
}

CONSTRUCTOR(md5)
CONSTRUCTOR(sha1)
CONSTRUCTOR(sha224)
CONSTRUCTOR(sha256)
CONSTRUCTOR(sha384)
CONSTRUCTOR(sha512)

int k_hash_update(kval h, kval data) {
    const u8 *p;
    i64 n;
    if (!hash_data(data, &p, &n)) return -1;
    k_digest_update(&((KHash *)h)->d, p, n);
    return 0;
}

kval k_hash_digest(kval h) {
    const KDigest *d = &((KHash *)h)->d;
    u8 out[K_DIGEST_MAX_SIZE];
    k_digest_final(d, out);
    return k_bytes_from(out, d->algo->digest_size);
}

kval k_hash_hexdigest(kval h) {
    const KDigest *d = &((KHash *)h)->d;
    u8 out[K_DIGEST_MAX_SIZE];
    k_digest_final(d, out);
    return k_hex_str(out, d->algo->digest_size);
}

kval k_hash_copy(kval h) {
    KHash *c = (KHash *)k_alloc(&k_hashlib_HASH_type, sizeof(KHash));
    c->d = ((KHash *)h)->d;
    return K_VAL(c);
}

kval k_hash_name(kval h) { return k_str_from_cstr(((KHash *)h)->d.algo->name); }
i64 k_hash_digest_size(kval h) { return ((KHash *)h)->d.algo->digest_size; }
i64 k_hash_block_size(kval h) { return ((KHash *)h)->d.algo->block_size; }

/* ---- HMAC (RFC 2104) ---- */

/* Keys both states: a key longer than a block is hashed first, then zero-padded. */
static void hmac_key(KDigest *inner, KDigest *outer, const KDigestAlgo *algo, const u8 *key, i64 n) {
    u8 k[K_DIGEST_MAX_BLOCK] = {0}, pad[K_DIGEST_MAX_BLOCK];
    u32 bs = algo->block_size;
    if ((u64)n > bs) k_digest_once(algo, key, n, k);
    else if (n) __builtin_memcpy(k, key, (u64)n);
    for (u32 i = 0; i < bs; i++) pad[i] = k[i] ^ 0x36;
    k_digest_init(inner, algo);
    k_digest_update(inner, pad, bs);
    for (u32 i = 0; i < bs; i++) pad[i] = k[i] ^ 0x5c;
    k_digest_init(outer, algo);
    k_digest_update(outer, pad, bs);
}

static void hmac_final(const KDigest *inner, const KDigest *outer, u8 *out) {
    u8 ih[K_DIGEST_MAX_SIZE];
    k_digest_final(inner, ih);
    KDigest o = *outer;
    k_digest_update(&o, ih, inner->algo->digest_size);
    k_digest_final(&o, out);
}

/* The algorithm a digestmod names: a str, one of hashlib's constructors, or a callable
 * returning a hash object (CPython calls it; only the algorithm matters here). */
static const KDigestAlgo *digestmod_algo(kval digestmod) {
    if (k_is_str(digestmod)) {
        const KDigestAlgo *a = k_digest_lookup(k_str_data(digestmod), k_str_nbytes(digestmod));
        if (!a) k_raise_fmt(&k_ValueError_type, "unsupported hash type %S", digestmod);
        return a;
    }
    if (!K_IS_SMALL(digestmod) && k_isinstance(digestmod, &k_function_type)) {
        KFunc *f = (KFunc *)digestmod;
        if (f->call == constructor_call) return ((KHashConstructor *)f)->algo;
        kval h = k_call(digestmod, 0, 0);
        if (!h) return 0;
        const KDigestAlgo *a = k_isinstance(h, &k_hashlib_HASH_type) ? ((KHash *)h)->d.algo : 0;
        if (!a) k_raise_fmt(&k_TypeError_type, "digestmod returned '%s', not a hash object", tname(h));
        k_decref(h);
        return a;
    }
    k_raise_fmt(&k_TypeError_type, "unsupported digestmod type '%s'", tname(digestmod));
    return 0;
}

kval k_hmac_new(kval key, kval msg, kval digestmod) {
    const u8 *kp, *mp = 0;
    i64 kn, mn = 0;
    if (!k_buffer(key, &kp, &kn)) {
        k_raise_fmt(&k_TypeError_type, "key: expected bytes or bytearray, but got '%s'", tname(key));
        return 0;
    }
    if (digestmod == k_None || (k_is_str(digestmod) && k_str_nbytes(digestmod) == 0)) {
        k_raise_str(&k_TypeError_type, "Missing required parameter 'digestmod'.");
        return 0;
    }
    const KDigestAlgo *algo = digestmod_algo(digestmod);
    if (!algo) return 0;
    if (msg != k_None && !hash_data(msg, &mp, &mn)) return 0;
    KHmac *h = (KHmac *)k_alloc(&k_hmac_HMAC_type, sizeof(KHmac));
    hmac_key(&h->inner, &h->outer, algo, kp, kn);
    k_digest_update(&h->inner, mp, mn);
    return K_VAL(h);
}

kval k_hmac_digest_once(kval key, kval msg, kval digest) {
    const u8 *kp, *mp;
    i64 kn, mn;
    if (!k_buffer_arg(key, &kp, &kn) || !k_buffer_arg(msg, &mp, &mn)) return 0;
    const KDigestAlgo *algo = digestmod_algo(digest);
    if (!algo) return 0;
    KDigest inner, outer;
    u8 out[K_DIGEST_MAX_SIZE];
    hmac_key(&inner, &outer, algo, kp, kn);
    k_digest_update(&inner, mp, mn);
    hmac_final(&inner, &outer, out);
    return k_bytes_from(out, algo->digest_size);
}

const KType k_hmac_HMAC_type = {K_STATIC_HDR(&k_type_type), "HMAC", "hmac", &k_object_type, sizeof(KHmac), 0};

int k_hmac_update(kval h, kval msg) {
    const u8 *p;
    i64 n;
    if (!hash_data(msg, &p, &n)) return -1;
    k_digest_update(&((KHmac *)h)->inner, p, n);
    return 0;
}

kval k_hmac_digest(kval h) {
    KHmac *m = (KHmac *)h;
    u8 out[K_DIGEST_MAX_SIZE];
    hmac_final(&m->inner, &m->outer, out);
    return k_bytes_from(out, m->inner.algo->digest_size);
}

kval k_hmac_hexdigest(kval h) {
    KHmac *m = (KHmac *)h;
    u8 out[K_DIGEST_MAX_SIZE];
    hmac_final(&m->inner, &m->outer, out);
    return k_hex_str(out, m->inner.algo->digest_size);
}

kval k_hmac_copy(kval h) {
    KHmac *c = (KHmac *)k_alloc(&k_hmac_HMAC_type, sizeof(KHmac));
    c->inner = ((KHmac *)h)->inner;
    c->outer = ((KHmac *)h)->outer;
    return K_VAL(c);
}

kval k_hmac_name(kval h) {
    kval pre = k_str_from_ascii("hmac-", 5), name = k_str_from_cstr(((KHmac *)h)->inner.algo->name);
    kval r = k_str_concat(pre, name);
    k_decref(pre);
    k_decref(name);
    return r;
}

i64 k_hmac_digest_size(kval h) { return ((KHmac *)h)->inner.algo->digest_size; }
i64 k_hmac_block_size(kval h) { return ((KHmac *)h)->inner.algo->block_size; }

/* hmac.compare_digest (CPython's _operator._compare_digest): two ASCII strs, or two
 * bytes-like objects. The time taken depends on the length of b only, not on where
 * the contents differ. */
int k_hmac_compare_digest(kval a, kval b) {
    const u8 *pa, *pb;
    i64 na, nb;
    if (k_is_str(a) && k_is_str(b)) {
        if (!k_str_is_ascii(a) || !k_str_is_ascii(b)) {
            k_raise_str(&k_TypeError_type, "comparing strings with non-ASCII characters is not supported");
            return -1;
        }
        pa = k_str_data(a); na = k_str_nbytes(a);
        pb = k_str_data(b); nb = k_str_nbytes(b);
    } else {
        if (!k_buffer(a, &pa, &na) && !k_buffer(b, &pb, &nb)) {
            k_raise_fmt(&k_TypeError_type, "unsupported operand types(s) or combination of types: '%s' and '%s'",
                        tname(a), tname(b));
            return -1;
        }
        if (!k_buffer_arg(a, &pa, &na) || !k_buffer_arg(b, &pb, &nb)) return -1;
    }
    /* Unequal lengths: compare b with itself, and fail. */
    volatile u8 diff = na != nb;
    const u8 *left = na == nb ? pa : pb;
    for (i64 i = 0; i < nb; i++) diff |= left[i] ^ pb[i];
    return diff == 0;
}

/* ---- PBKDF2 (RFC 8018 5.2) ---- */

kval k_hashlib_pbkdf2_hmac(kval hash_name, kval password, kval salt, i64 iterations, kval dklen) {
    const u8 *pp, *sp;
    i64 pn, sn, len;
    if (!k_buffer_arg(password, &pp, &pn) || !k_buffer_arg(salt, &sp, &sn)) return 0;
    const KDigestAlgo *algo = k_digest_lookup(k_str_data(hash_name), k_str_nbytes(hash_name));
    if (!algo) {
        k_raise_fmt(&k_ValueError_type, "unsupported hash type %S", hash_name);
        return 0;
    }
    if (iterations < 1) { k_raise_str(&k_ValueError_type, "iteration value must be greater than 0."); return 0; }
    if (iterations > 0x7fffffff) { k_raise_str(&k_OverflowError_type, "iteration value is too great."); return 0; }
    if (dklen == k_None) {
        len = algo->digest_size;
    } else if (!k_int_to_i64(dklen, &len)) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C long");
        return 0;
    }
    if (len < 1) { k_raise_str(&k_ValueError_type, "key length must be greater than 0."); return 0; }
    if (len > 0x7fffffff) { k_raise_str(&k_OverflowError_type, "key length is too great."); return 0; }

    KDigest inner, outer, in;
    hmac_key(&inner, &outer, algo, pp, pn);
    kval r = k_bytes_new_raw(len);
    u8 *out = ((KBytes *)r)->data;
    u32 ds = algo->digest_size;
    for (u32 block = 1; len > 0; block++) {
        u8 u[K_DIGEST_MAX_SIZE], t[K_DIGEST_MAX_SIZE];
        u8 index[4] = {(u8)(block >> 24), (u8)(block >> 16), (u8)(block >> 8), (u8)block};
        in = inner;                                 /* U1 = PRF(P, S || INT(i)) */
        k_digest_update(&in, sp, sn);
        k_digest_update(&in, index, 4);
        hmac_final(&in, &outer, u);
        __builtin_memcpy(t, u, ds);
        for (i64 it = 1; it < iterations; it++) {   /* Uj = PRF(P, Uj-1); T = U1 ^ ... ^ Uc */
            in = inner;
            k_digest_update(&in, u, ds);
            hmac_final(&in, &outer, u);
            for (u32 j = 0; j < ds; j++) t[j] ^= u[j];
        }
        i64 take = len < ds ? len : ds;
        __builtin_memcpy(out, t, (u64)take);
        out += take;
        len -= take;
    }
    return r;
}
