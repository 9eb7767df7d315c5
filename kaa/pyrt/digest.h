/* digest.c: the message digests behind hashlib, hmac and uuid (MD5, SHA-1, SHA-224,
 * SHA-256, SHA-384, SHA-512), on plain bytes: no objects, no allocation.
 *
 * All six are Merkle-Damgard hashes: a chaining value updated by a compression function
 * over fixed-size blocks, the message padded with 0x80, zeros and its bit length. One
 * streaming driver (KDigest) serves them all; an algorithm is its IV, block size,
 * compression function and the byte order of its words.
 */
#pragma once
#include "kaa_rt.h"

#define K_DIGEST_MAX_SIZE 64       /* SHA-512's 64 bytes */
#define K_DIGEST_MAX_BLOCK 128     /* SHA-384/512's blocks */

typedef struct KDigest KDigest;

typedef struct {
    const char *name;              /* hashlib's name: "sha256" */
    u32 digest_size, block_size;
    const void *iv;                /* the initial chaining value, 32 or 64 bytes of words */
    u32 iv_size;
    void (*compress)(KDigest *d, const u8 *blocks, i64 nblocks);
    bool little_endian;            /* MD5 writes its length and digest little-endian */
} KDigestAlgo;

struct KDigest {
    const KDigestAlgo *algo;
    union { u32 w[8]; u64 d[8]; } h;   /* the chaining value */
    u64 count;                     /* bytes hashed so far (a partial block: count % block_size in buf) */
    u8 buf[K_DIGEST_MAX_BLOCK];
};

extern const KDigestAlgo k_digest_md5, k_digest_sha1, k_digest_sha224, k_digest_sha256,
    k_digest_sha384, k_digest_sha512;

/* The algorithm hashlib.new(name) means (case-insensitive; OpenSSL's "sha-256" spelling
 * too), or NULL. */
const KDigestAlgo *k_digest_lookup(const u8 *name, i64 n);

void k_digest_init(KDigest *d, const KDigestAlgo *algo);
void k_digest_update(KDigest *d, const u8 *p, i64 n);
/* Writes algo->digest_size bytes; d itself is left unchanged (hashing may continue). */
void k_digest_final(const KDigest *d, u8 *out);
/* One-shot: the digest of p[0..n). */
void k_digest_once(const KDigestAlgo *algo, const u8 *p, i64 n, u8 *out);

/* SHA-512 of p[0..n) (random.seed(str) uses it). */
void k_sha512_digest(const u8 *p, i64 n, u8 out[64]);
