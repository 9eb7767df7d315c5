/* uuid (CPython 3.11's Lib/uuid.py, RFC 4122): a UUID object holds its 16 bytes,
 * big-endian, so comparing bytes compares the 128-bit ints CPython compares.
 * The version lives in the top four bits of byte 6, the variant in the top bits of
 * byte 8 (RFC 4122 4.1.1, 4.1.3).
 */
#include "uuid.h"
#include "bytes.h"
#include "digest.h"
#include "hashlib.h"
#include "int_impl.h"
#include "osrandom.h"
#include "str.h"

static kval hex_form(const u8 b[16], bool dashes);

static kval uuid_str(kval self) { return hex_form(((KUUID *)self)->b, 1); }

static kval uuid_repr(kval self) {
    kval s = uuid_str(self);
    kval parts[3] = {k_str_from_ascii("UUID('", 6), s, k_str_from_ascii("')", 2)};
    kval r = k_str_join_parts(parts, 3);
    for (int i = 0; i < 3; i++) k_decref(parts[i]);
    return r;
}

kval k_uuid_int(kval u) {
    const u8 *b = ((KUUID *)u)->b;
    u32 limbs[4];
    for (int i = 0; i < 4; i++)
        limbs[i] = (u32)b[15 - 4 * i] | (u32)b[14 - 4 * i] << 8 | (u32)b[13 - 4 * i] << 16 | (u32)b[12 - 4 * i] << 24;
    return k_int_from_mag(limbs, 4, 0);
}

/* hash(u) is hash(u.int). */
static i64 uuid_hash(kval self) {
    kval i = k_uuid_int(self);
    i64 h = k_int_hash(i);
    k_decref(i);
    return h;
}

static int uuid_richcmp(kval a, kval b, int op) {
    if (!k_isinstance(b, &k_uuid_UUID_type)) return 2;
    const u8 *x = ((KUUID *)a)->b, *y = ((KUUID *)b)->b;
    i64 c = 0;
    for (int i = 0; i < 16 && c == 0; i++) c = (i64)x[i] - (i64)y[i];
    return k_cmp_holds(c, op);
}

const KType k_uuid_UUID_type = {K_STATIC_HDR(&k_type_type), "UUID", "uuid", &k_object_type, sizeof(KUUID), 0,
                                .repr = uuid_repr, .str = uuid_str, .hash = uuid_hash, .richcmp = uuid_richcmp};

#define NAMESPACE(NAME, LAST_OF_FIRST)                                                               \
    KUUID k_uuid_NAMESPACE_##NAME = {K_STATIC_HDR(&k_uuid_UUID_type),                                \
                                     {0x6b, 0xa7, 0xb8, LAST_OF_FIRST, 0x9d, 0xad, 0x11, 0xd1,       \
                                      0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}};
NAMESPACE(DNS, 0x10)
NAMESPACE(URL, 0x11)
NAMESPACE(OID, 0x12)
NAMESPACE(X500, 0x14)

static kval uuid_new(const u8 b[16]) {
    KUUID *u = (KUUID *)k_alloc(&k_uuid_UUID_type, sizeof(KUUID));
    __builtin_memcpy(u->b, b, 16);
    return K_VAL(u);
}

/* The RFC 4122 variant and the version (UUID(..., version=v)). */
static void set_version(u8 b[16], int version) {
    b[8] = (u8)((b[8] & 0x3f) | 0x80);
    b[6] = (u8)((b[6] & 0x0f) | version << 4);
}

/* ---- UUID(...) ---- */

/* Removes every occurrence of the ASCII string pat from buf[0..*n) (str.replace(pat, '')). */
static void remove_all(u8 *buf, i64 *n, const char *pat) {
    i64 m = 0, w = 0;
    while (pat[m]) m++;
    for (i64 i = 0; i < *n;) {
        bool hit = i + m <= *n;
        for (i64 j = 0; hit && j < m; j++) hit = buf[i + j] == (u8)pat[j];
        if (hit) i += m;
        else buf[w++] = buf[i++];
    }
    *n = w;
}

/* uuid.py's hex= parsing: drop "urn:" and "uuid:", strip braces, drop dashes, then 32
 * characters read by int(hex, 16) (signs, underscores and spaces included, as CPython). */
static kval parse_hex(kval hex) {
    i64 n = k_str_nbytes(hex), start = 0, chars = 0;
    u8 *buf = (u8 *)k_malloc((u64)n + 1);
    __builtin_memcpy(buf, k_str_data(hex), (u64)n);
    remove_all(buf, &n, "urn:");
    remove_all(buf, &n, "uuid:");
    while (start < n && (buf[start] == '{' || buf[start] == '}')) start++;
    while (n > start && (buf[n - 1] == '{' || buf[n - 1] == '}')) n--;
    i64 len = n - start;
    __builtin_memmove(buf, buf + start, (u64)len);
    remove_all(buf, &len, "-");
    for (i64 i = 0; i < len; i++) chars += (buf[i] & 0xc0) != 0x80;
    kval r = 0;
    if (chars != 32) k_raise_str(&k_ValueError_type, "badly formed hexadecimal UUID string");
    else r = k_int_parse(buf, len, 16);
    k_mfree(buf);
    return r;
}

/* bytes_le: the first three fields little-endian (Microsoft's GUID layout). */
static void swap_le_fields(const u8 *le, u8 out[16]) {
    static const u8 ORDER[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int i = 0; i < 16; i++) out[i] = le[ORDER[i]];
}

static bool sixteen_bytes(kval v, u8 out[16], const char *what) {
    const u8 *p;
    i64 n;
    if (!k_buffer_arg(v, &p, &n)) return 0;
    if (n != 16) {
        k_raise_fmt(&k_ValueError_type, "%s is not a 16-char string", what);
        return 0;
    }
    __builtin_memcpy(out, p, 16);
    return 1;
}

static bool int_to_bytes(kval i, u8 out[16]) {
    KIntView w;
    if (!k_isinstance(i, &k_int_type)) {
        k_raise_fmt(&k_TypeError_type, "'%s' object cannot be interpreted as an integer", k_type_of(i)->name);
        return 0;
    }
    k_int_view(i, &w);
    if (w.neg || w.n > 4) {
        k_raise_str(&k_ValueError_type, "int is out of range (need a 128-bit value)");
        return 0;
    }
    for (int j = 0; j < 16; j++) {
        i64 limb = (15 - j) / 4;
        out[j] = limb < w.n ? (u8)(w.d[limb] >> (8 * ((15 - j) % 4))) : 0;
    }
    return 1;
}

kval k_uuid_UUID(kval hex, kval bytes, kval bytes_le, kval int_, kval version) {
    u8 b[16], le[16];
    int given = (hex != k_None) + (bytes != k_None) + (bytes_le != k_None) + (int_ != k_None);
    if (given != 1) {
        k_raise_str(&k_TypeError_type, "one of the hex, bytes, bytes_le, fields, or int arguments must be given");
        return 0;
    }
    if (hex != k_None) {
        kval i = parse_hex(hex);
        if (!i) return 0;
        bool ok = int_to_bytes(i, b);
        k_decref(i);
        if (!ok) return 0;
    } else if (bytes_le != k_None) {
        if (!sixteen_bytes(bytes_le, le, "bytes_le")) return 0;
        swap_le_fields(le, b);
        if (!k_is_bytes(bytes_le)) {        /* uuid.py asserts the reordered value is bytes */
            kval ba = k_bytearray_new(b, 16);
            k_raise_fmt(&k_AssertionError_type, "%R", ba);
            k_decref(ba);
            return 0;
        }
    } else if (bytes != k_None) {
        if (!sixteen_bytes(bytes, b, "bytes")) return 0;
        if (!k_is_bytes(bytes)) {
            k_raise_fmt(&k_AssertionError_type, "%R", bytes);
            return 0;
        }
    } else if (!int_to_bytes(int_, b)) {
        return 0;
    }
    if (version != k_None) {
        i64 v;
        if (!k_int_to_i64(version, &v) || v < 1 || v > 5) {
            k_raise_str(&k_ValueError_type, "illegal version number");
            return 0;
        }
        set_version(b, (int)v);
    }
    return uuid_new(b);
}

/* ---- uuid3, uuid4, uuid5 ---- */

static kval name_based(const KDigestAlgo *algo, kval namespace_, kval name, int version) {
    if (!k_isinstance(namespace_, &k_uuid_UUID_type)) {
        k_raise_fmt(&k_AttributeError_type, "'%s' object has no attribute 'bytes'", k_type_of(namespace_)->name);
        return 0;
    }
    KDigest d;
    u8 out[K_DIGEST_MAX_SIZE];
    k_digest_init(&d, algo);
    k_digest_update(&d, ((KUUID *)namespace_)->b, 16);
    k_digest_update(&d, k_str_data(name), k_str_nbytes(name));
    k_digest_final(&d, out);
    set_version(out, version);
    return uuid_new(out);
}

kval k_uuid_uuid3(kval namespace_, kval name) { return name_based(&k_digest_md5, namespace_, name, 3); }
kval k_uuid_uuid5(kval namespace_, kval name) { return name_based(&k_digest_sha1, namespace_, name, 5); }

kval k_uuid_uuid4(void) {
    u8 b[16];
    k_os_random(b, 16);
    set_version(b, 4);
    return uuid_new(b);
}

/* ---- attributes ---- */

static kval hex_form(const u8 b[16], bool dashes) {
    static const char digits[] = "0123456789abcdef";
    char s[36];
    i64 n = 0;
    for (int i = 0; i < 16; i++) {
        if (dashes && (i == 4 || i == 6 || i == 8 || i == 10)) s[n++] = '-';
        s[n++] = digits[b[i] >> 4];
        s[n++] = digits[b[i] & 15];
    }
    return k_str_from_ascii(s, n);
}

kval k_uuid_hex(kval u) { return hex_form(((KUUID *)u)->b, 0); }
kval k_uuid_bytes(kval u) { return k_bytes_from(((KUUID *)u)->b, 16); }

kval k_uuid_bytes_le(kval u) {
    u8 le[16];
    swap_le_fields(((KUUID *)u)->b, le);        /* the swap is its own inverse */
    return k_bytes_from(le, 16);
}

kval k_uuid_urn(kval u) {
    kval pre = k_str_from_ascii("urn:uuid:", 9), s = uuid_str(u);
    kval r = k_str_concat(pre, s);
    k_decref(pre);
    k_decref(s);
    return r;
}

kval k_uuid_variant(kval u) {
    u8 top = ((KUUID *)u)->b[8];
    if (!(top & 0x80)) return k_str_from_cstr("reserved for NCS compatibility");
    if (!(top & 0x40)) return k_str_from_cstr("specified in RFC 4122");
    if (!(top & 0x20)) return k_str_from_cstr("reserved for Microsoft compatibility");
    return k_str_from_cstr("reserved for future definition");
}

kval k_uuid_version(kval u) {
    const u8 *b = ((KUUID *)u)->b;
    if ((b[8] & 0xc0) != 0x80) return k_None;
    return k_int_small(b[6] >> 4);
}
