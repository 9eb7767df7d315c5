/* hashlib.c: Python's hashlib and hmac modules over digest.c.
 *
 * Hash objects (CPython's _hashlib.HASH) and HMAC objects keep their digest state
 * inline: update() allocates nothing. Functions follow the usual conventions (kval
 * arguments borrowed, results new references or 0 when raised; int results 0 / -1 or
 * 1 / 0 / -1). Data arguments are bytes or bytearray, as CPython's buffer arguments;
 * a str is TypeError "Strings must be encoded before hashing".
 */
#pragma once
#include "object.h"
#include "bytes.h"
#include "digest.h"

typedef struct { KObj hdr; KDigest d; } KHash;
typedef struct { KObj hdr; KDigest inner, outer; } KHmac;   /* outer: keyed, waiting for the inner digest */
extern const KType k_hashlib_HASH_type, k_hmac_HMAC_type;

/* The bytes of a bytes or bytearray object (this runtime's bytes-like objects); false
 * for anything else, raising nothing. */
static inline bool k_buffer(kval v, const u8 **p, i64 *n) {
    if (k_is_bytes(v)) { *p = k_bytes_data(v); *n = k_bytes_len(v); return 1; }
    if (k_is_bytearray(v)) { *p = ((KByteArray *)v)->data; *n = ((KByteArray *)v)->len; return 1; }
    return 0;
}
/* k_buffer, else TypeError "a bytes-like object is required, not 'str'". */
bool k_buffer_arg(kval v, const u8 **p, i64 *n);

/* ---- hashlib ---- */
kval k_hashlib_new(kval name, kval data, bool usedforsecurity);
kval k_hashlib_md5(kval data, bool usedforsecurity);
kval k_hashlib_sha1(kval data, bool usedforsecurity);
kval k_hashlib_sha224(kval data, bool usedforsecurity);
kval k_hashlib_sha256(kval data, bool usedforsecurity);
kval k_hashlib_sha384(kval data, bool usedforsecurity);
kval k_hashlib_sha512(kval data, bool usedforsecurity);
kval k_hashlib_pbkdf2_hmac(kval hash_name, kval password, kval salt, i64 iterations, kval dklen);

/* The constructors as function values (hashlib.sha256 passed as hmac's digestmod):
 * KFuncs taking an optional data argument. */
typedef struct { KFunc f; const KDigestAlgo *algo; } KHashConstructor;
extern KHashConstructor k_hashlib_md5_func, k_hashlib_sha1_func, k_hashlib_sha224_func,
    k_hashlib_sha256_func, k_hashlib_sha384_func, k_hashlib_sha512_func;

int k_hash_update(kval h, kval data);          /* 0, -1 raised */
kval k_hash_digest(kval h);
kval k_hash_hexdigest(kval h);
kval k_hash_copy(kval h);
kval k_hash_name(kval h);                      /* the attributes .name, .digest_size, .block_size */
i64 k_hash_digest_size(kval h);
i64 k_hash_block_size(kval h);

/* ---- hmac ---- */
/* digestmod: a name ("sha256"), a hashlib constructor, or any callable returning a hash object. */
kval k_hmac_new(kval key, kval msg, kval digestmod);
kval k_hmac_digest_once(kval key, kval msg, kval digest);   /* hmac.digest(key, msg, digest) */
int k_hmac_compare_digest(kval a, kval b);                  /* 1, 0, -1 raised */
int k_hmac_update(kval h, kval msg);
kval k_hmac_digest(kval h);
kval k_hmac_hexdigest(kval h);
kval k_hmac_copy(kval h);
kval k_hmac_name(kval h);                      /* "hmac-sha256" */
i64 k_hmac_digest_size(kval h);
i64 k_hmac_block_size(kval h);

/* Lowercase hex of n bytes, as a str. */
kval k_hex_str(const u8 *p, i64 n);
