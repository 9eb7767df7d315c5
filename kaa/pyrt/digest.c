/* MD5 (RFC 1321), SHA-1 and the SHA-2 family (FIPS 180-4) over one streaming driver.
 *
 * KDigest keeps the chaining value, the byte count and a partial block. update() fills
 * the partial block first, then hands every whole block of the input straight to the
 * compression function (no copy), then keeps the tail. final() pads a copy, so a hash
 * can be read and still be continued (hashlib's digest() then update()).
 * The compression functions keep the message schedule on the stack; SHA-2's rounds are
 * unrolled by eight (SHA-1's by five) with the working variables renamed instead of
 * shifted.
 * Constants: SHA-2's K are the first 32/64 bits of the fractional parts of the cube
 * roots of the first 64/80 primes, the IVs those of the square roots (FIPS 180-4
 * section 4.2.2, 4.2.3, 5.3); MD5's T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 3.4).
 */
#include "digest.h"

static inline u32 rol32(u32 x, int n) { return (x << n) | (x >> (32 - n)); }
static inline u32 ror32(u32 x, int n) { return (x >> n) | (x << (32 - n)); }
static inline u64 ror64(u64 x, int n) { return (x >> n) | (x << (64 - n)); }

static inline u32 load_be32(const u8 *p) { u32 x; __builtin_memcpy(&x, p, 4); return __builtin_bswap32(x); }
static inline u64 load_be64(const u8 *p) { u64 x; __builtin_memcpy(&x, p, 8); return __builtin_bswap64(x); }
static inline u32 load_le32(const u8 *p) { u32 x; __builtin_memcpy(&x, p, 4); return x; }

/* ---- SHA-256 and SHA-224 ---- */

static const u32 K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
static const u32 IV256[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};
static const u32 IV224[8] = {
    0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4,
};

/* One SHA-2 round (FIPS 180-4 6.2.2 step 3, 6.4.2): instead of shifting the eight
 * working variables, the caller rotates the names it passes. */
#define SHA2_ROUND(a, b, c, d, e, f, g, h, k, w)                          \
    do {                                                                  \
        t1 = h + BSIG1(e) + ((e & f) ^ (~e & g)) + (k) + (w);             \
        d += t1;                                                          \
        h = t1 + BSIG0(a) + ((a & b) ^ (a & c) ^ (b & c));                \
    } while (0)

#define SHA2_EIGHT_ROUNDS(K, W, i)                                        \
    SHA2_ROUND(a, b, c, d, e, f, g, h, K[i], W[i]);                       \
    SHA2_ROUND(h, a, b, c, d, e, f, g, K[i + 1], W[i + 1]);               \
    SHA2_ROUND(g, h, a, b, c, d, e, f, K[i + 2], W[i + 2]);               \
    SHA2_ROUND(f, g, h, a, b, c, d, e, K[i + 3], W[i + 3]);               \
    SHA2_ROUND(e, f, g, h, a, b, c, d, K[i + 4], W[i + 4]);               \
    SHA2_ROUND(d, e, f, g, h, a, b, c, K[i + 5], W[i + 5]);               \
    SHA2_ROUND(c, d, e, f, g, h, a, b, K[i + 6], W[i + 6]);               \
    SHA2_ROUND(b, c, d, e, f, g, h, a, K[i + 7], W[i + 7])

#define BSIG0(x) (ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define BSIG1(x) (ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define SSIG0(x) (ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))

static void sha256_compress(KDigest *dg, const u8 *p, i64 nblocks) {
    u32 *hv = dg->h.w;
    for (; nblocks > 0; nblocks--, p += 64) {
        u32 w[64];
        for (int i = 0; i < 16; i++) w[i] = load_be32(p + 4 * i);
        for (int i = 16; i < 64; i++) w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) + w[i - 16];
        u32 a = hv[0], b = hv[1], c = hv[2], d = hv[3], e = hv[4], f = hv[5], g = hv[6], h = hv[7], t1;
        for (int i = 0; i < 64; i += 8) { SHA2_EIGHT_ROUNDS(K256, w, i); }
        hv[0] += a; hv[1] += b; hv[2] += c; hv[3] += d;
        hv[4] += e; hv[5] += f; hv[6] += g; hv[7] += h;
    }
}

#undef BSIG0
#undef BSIG1
#undef SSIG0
#undef SSIG1

/* ---- SHA-512 and SHA-384 ---- */

static const u64 K512[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};
static const u64 IV512[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};
static const u64 IV384[8] = {
    0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
    0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,
};

#define BSIG0(x) (ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39))
#define BSIG1(x) (ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41))
#define SSIG0(x) (ror64(x, 1) ^ ror64(x, 8) ^ ((x) >> 7))
#define SSIG1(x) (ror64(x, 19) ^ ror64(x, 61) ^ ((x) >> 6))

static void sha512_compress(KDigest *dg, const u8 *p, i64 nblocks) {
    u64 *hv = dg->h.d;
    for (; nblocks > 0; nblocks--, p += 128) {
        u64 w[80];
        for (int i = 0; i < 16; i++) w[i] = load_be64(p + 8 * i);
        for (int i = 16; i < 80; i++) w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) + w[i - 16];
        u64 a = hv[0], b = hv[1], c = hv[2], d = hv[3], e = hv[4], f = hv[5], g = hv[6], h = hv[7], t1;
        for (int i = 0; i < 80; i += 8) { SHA2_EIGHT_ROUNDS(K512, w, i); }
        hv[0] += a; hv[1] += b; hv[2] += c; hv[3] += d;
        hv[4] += e; hv[5] += f; hv[6] += g; hv[7] += h;
    }
}

#undef BSIG0
#undef BSIG1
#undef SSIG0
#undef SSIG1

/* ---- SHA-1 (FIPS 180-4 6.1.2) ---- */

static const u32 IV_SHA1[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

static void sha1_compress(KDigest *dg, const u8 *p, i64 nblocks) {
    u32 *hv = dg->h.w;
    for (; nblocks > 0; nblocks--, p += 64) {
        u32 w[80];
        for (int i = 0; i < 16; i++) w[i] = load_be32(p + 4 * i);
        for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        u32 a = hv[0], b = hv[1], c = hv[2], d = hv[3], e = hv[4];
        /* four groups of 20 rounds, each with its f(b, c, d) and constant; unrolled by
         * five with the variables renamed, as SHA-2's rounds */
#define SHA1_ROUND(F, k, a, b, c, d, e, i)                                \
        do {                                                              \
            e += rol32(a, 5) + F(b, c, d) + (k) + w[i];                   \
            b = rol32(b, 30);                                             \
        } while (0)
#define SHA1_FIVE(F, k, i)                                                \
        SHA1_ROUND(F, k, a, b, c, d, e, i);                               \
        SHA1_ROUND(F, k, e, a, b, c, d, i + 1);                           \
        SHA1_ROUND(F, k, d, e, a, b, c, i + 2);                           \
        SHA1_ROUND(F, k, c, d, e, a, b, i + 3);                           \
        SHA1_ROUND(F, k, b, c, d, e, a, i + 4)
#define CH(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define PARITY(x, y, z) ((x) ^ (y) ^ (z))
#define MAJ(x, y, z) (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
        for (int i = 0; i < 20; i += 5) { SHA1_FIVE(CH, 0x5a827999, i); }
        for (int i = 20; i < 40; i += 5) { SHA1_FIVE(PARITY, 0x6ed9eba1, i); }
        for (int i = 40; i < 60; i += 5) { SHA1_FIVE(MAJ, 0x8f1bbcdc, i); }
        for (int i = 60; i < 80; i += 5) { SHA1_FIVE(PARITY, 0xca62c1d6, i); }
#undef SHA1_ROUND
#undef SHA1_FIVE
#undef CH
#undef PARITY
#undef MAJ
        hv[0] += a; hv[1] += b; hv[2] += c; hv[3] += d; hv[4] += e;
    }
}

/* ---- MD5 (RFC 1321 3.4) ---- */

static const u32 MD5_T[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
/* The rotation of each round, by round group and position within four (RFC 1321's S11..S44). */
static const u8 MD5_S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
static const u32 IV_MD5[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

static void md5_compress(KDigest *dg, const u8 *p, i64 nblocks) {
    u32 *hv = dg->h.w;
    for (; nblocks > 0; nblocks--, p += 64) {
        u32 x[16];
        for (int i = 0; i < 16; i++) x[i] = load_le32(p + 4 * i);
        u32 a = hv[0], b = hv[1], c = hv[2], d = hv[3];
        int i = 0;
        /* four groups of 16 rounds: RFC 1321's F, G, H, I and the message word each takes */
#define MD5_ROUND(f, g)                                                   \
        do {                                                              \
            u32 t = b + rol32(a + (f) + MD5_T[i] + x[(g) & 15], MD5_S[i >> 4][i & 3]); \
            a = d; d = c; c = b; b = t;                                   \
        } while (0)
        for (; i < 16; i++) MD5_ROUND((b & c) | (~b & d), i);
        for (; i < 32; i++) MD5_ROUND((d & b) | (~d & c), 5 * i + 1);
        for (; i < 48; i++) MD5_ROUND(b ^ c ^ d, 3 * i + 5);
        for (; i < 64; i++) MD5_ROUND(c ^ (b | ~d), 7 * i);
#undef MD5_ROUND
        hv[0] += a; hv[1] += b; hv[2] += c; hv[3] += d;
    }
}

/* ---- the algorithms ---- */

const KDigestAlgo k_digest_md5 = {"md5", 16, 64, IV_MD5, sizeof IV_MD5, md5_compress, 1};
const KDigestAlgo k_digest_sha1 = {"sha1", 20, 64, IV_SHA1, sizeof IV_SHA1, sha1_compress, 0};
const KDigestAlgo k_digest_sha224 = {"sha224", 28, 64, IV224, sizeof IV224, sha256_compress, 0};
const KDigestAlgo k_digest_sha256 = {"sha256", 32, 64, IV256, sizeof IV256, sha256_compress, 0};
const KDigestAlgo k_digest_sha384 = {"sha384", 48, 128, IV384, sizeof IV384, sha512_compress, 0};
const KDigestAlgo k_digest_sha512 = {"sha512", 64, 128, IV512, sizeof IV512, sha512_compress, 0};

static const KDigestAlgo *const ALGOS[] = {
    &k_digest_md5, &k_digest_sha1, &k_digest_sha224, &k_digest_sha256, &k_digest_sha384, &k_digest_sha512,
};

static bool same_name(const char *want, const u8 *s, i64 n) {
    for (i64 i = 0; i < n; i++) {
        u8 c = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
        if (want[i] != c) return 0;
    }
    return want[n] == 0;
}

const KDigestAlgo *k_digest_lookup(const u8 *name, i64 n) {
    for (u32 i = 0; i < sizeof ALGOS / sizeof ALGOS[0]; i++) {
        const char *a = ALGOS[i]->name;
        if (same_name(a, name, n)) return ALGOS[i];
        /* OpenSSL's spellings, which CPython's hashlib.new accepts: sha-256, sha2-256, sha-1 */
        if (a[0] == 's' && n > 4 && same_name("sha-", name, 4) && same_name(a + 3, name + 4, n - 4))
            return ALGOS[i];
        if (a[0] == 's' && a[3] != '1' && n > 5 && same_name("sha2-", name, 5) && same_name(a + 3, name + 5, n - 5))
            return ALGOS[i];
    }
    return 0;
}

/* ---- the streaming driver ---- */

void k_digest_init(KDigest *d, const KDigestAlgo *algo) {
    d->algo = algo;
    d->count = 0;
    __builtin_memcpy(&d->h, algo->iv, algo->iv_size);
}

void k_digest_update(KDigest *d, const u8 *p, i64 n) {
    u32 bs = d->algo->block_size;
    u32 used = (u32)(d->count & (bs - 1));
    d->count += (u64)n;
    if (used) {
        u32 room = bs - used;
        if ((u64)n < room) {
            if (n) __builtin_memcpy(d->buf + used, p, (u64)n);
            return;
        }
        __builtin_memcpy(d->buf + used, p, room);
        d->algo->compress(d, d->buf, 1);
        p += room;
        n -= room;
    }
    i64 whole = n / bs;
    if (whole) {
        d->algo->compress(d, p, whole);
        p += whole * bs;
        n -= whole * bs;
    }
    if (n) __builtin_memcpy(d->buf, p, (u64)n);
}

/* Padding (FIPS 180-4 5.1, RFC 1321 3.1-3.2): 0x80, zeros up to the length field, then
 * the message length in bits, 64 bits (128 for SHA-384/512), big-endian except MD5. */
void k_digest_final(const KDigest *src, u8 *out) {
    KDigest d = *src;
    const KDigestAlgo *a = d.algo;
    u32 bs = a->block_size, lenbytes = bs / 8;
    u64 bits_lo = d.count << 3, bits_hi = d.count >> 61;
    u32 used = (u32)(d.count & (bs - 1));
    u8 tail[2 * K_DIGEST_MAX_BLOCK] = {0x80};
    u32 n = (used + 1 + lenbytes <= bs ? bs : 2 * bs) - used;
    for (u32 i = 0; i < 8; i++) {
        if (a->little_endian) {
            tail[n - 8 + i] = (u8)(bits_lo >> (8 * i));
        } else {
            tail[n - 1 - i] = (u8)(bits_lo >> (8 * i));
            if (lenbytes == 16) tail[n - 9 - i] = (u8)(bits_hi >> (8 * i));
        }
    }
    k_digest_update(&d, tail, n);
    bool wide = bs == 128;              /* 64-bit words */
    for (u32 i = 0; i < a->digest_size; i++) {
        u32 wsize = wide ? 8 : 4, word = i / wsize, byte = i % wsize;
        u64 v = wide ? d.h.d[word] : d.h.w[word];
        out[i] = (u8)(v >> (8 * (a->little_endian ? byte : wsize - 1 - byte)));
    }
}

void k_digest_once(const KDigestAlgo *algo, const u8 *p, i64 n, u8 *out) {
    KDigest d;
    k_digest_init(&d, algo);
    k_digest_update(&d, p, n);
    k_digest_final(&d, out);
}

void k_sha512_digest(const u8 *p, i64 n, u8 out[64]) { k_digest_once(&k_digest_sha512, p, n, out); }
