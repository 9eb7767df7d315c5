/* base64 and binascii as CPython 3.11 has them (Lib/base64.py over Modules/binascii.c).
 *
 * Base64 decoding is binascii.a2b_base64's state machine: a position within the
 * current quad of letters, the bits left over from the previous letter, and a count of
 * '=' seen. Leniently (the default), bytes outside the alphabet are skipped, and enough
 * '=' after two or three letters of a quad ends the input; validate=True (strict_mode)
 * turns each of those leniencies into an error. Base32 follows base64.py's
 * quantum-at-a-time decoder, including the order in which it reports errors.
 * Inputs are views of bytes, bytearray or (for decoders) ASCII str; the alphabet
 * translations base64.py applies (altchars, URL-safe, casefold, map01) happen on a
 * scratch copy.
 */
#include "base64.h"
#include "hashlib.h"
#include "str.h"

const KType k_binascii_Error_type = {K_STATIC_HDR(&k_type_type), "Error", "binascii", &k_ValueError_type,
                                     sizeof(KException), K_TF_EXCEPTION, .clear = k_exc_clear};

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char B32HEX[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
static const char HEX_UPPER[] = "0123456789ABCDEF";

typedef struct { const u8 *p; i64 n; } Text;

static const char *tname(kval v) { return k_type_of(v)->name; }

static kval error(const char *msg) {
    k_raise_str(&k_binascii_Error_type, msg);
    return 0;
}

/* An ASCII str as its bytes; false (ValueError) for other text. */
static bool ascii_text(kval s, Text *out) {
    if (!k_str_is_ascii(s)) {
        k_raise_str(&k_ValueError_type, "string argument should contain only ASCII characters");
        return 0;
    }
    *out = (Text){k_str_data(s), k_str_nbytes(s)};
    return 1;
}

/* base64.py's _bytes_from_decode_data. */
static bool decode_data(kval s, Text *out) {
    if (k_is_str(s)) return ascii_text(s, out);
    if (k_buffer(s, &out->p, &out->n)) return 1;
    k_raise_fmt(&k_TypeError_type, "argument should be a bytes-like object or ASCII string, not '%s'", tname(s));
    return 0;
}

/* binascii's ascii_buffer argument converter (same rule, another message). */
static bool ascii_buffer(kval s, Text *out) {
    if (k_is_str(s)) return ascii_text(s, out);
    if (k_buffer(s, &out->p, &out->n)) return 1;
    k_raise_fmt(&k_TypeError_type, "argument should be bytes, buffer or ASCII string, not '%s'", tname(s));
    return 0;
}

static bool bytes_arg(kval s, Text *out) { return k_buffer_arg(s, &out->p, &out->n); }

/* A bytes object of up to `cap` bytes to be filled, then cut to its length by finish(). */
static kval start_bytes(i64 cap, u8 **w) {
    kval r = k_bytes_new_raw(cap);
    *w = ((KBytes *)r)->data;
    return r;
}

static kval finish(kval r, i64 len) {
    if (len == 0) {
        k_decref(r);
        return k_bytes_new_raw(0);
    }
    ((KBytes *)r)->len = len;
    ((KBytes *)r)->data[len] = 0;
    return r;
}

/* A scratch copy of t with each byte mapped through map (base64.py's translate()). */
static u8 *translated(Text t, const u8 map[256]) {
    u8 *c = (u8 *)k_malloc((u64)t.n + 1);
    for (i64 i = 0; i < t.n; i++) c[i] = map[t.p[i]];
    return c;
}

static void identity_map(u8 map[256]) {
    for (int i = 0; i < 256; i++) map[i] = (u8)i;
}

/* ---- Base64 ---- */

i64 k_base64_encode_into(const u8 *p, i64 n, u8 *out, bool urlsafe, bool pad) {
    const char *a = urlsafe ? B64URL : B64;
    u8 *w = out;
    i64 i = 0;
    for (; i + 3 <= n; i += 3) {
        u32 v = (u32)p[i] << 16 | (u32)p[i + 1] << 8 | p[i + 2];
        *w++ = (u8)a[v >> 18];
        *w++ = (u8)a[(v >> 12) & 63];
        *w++ = (u8)a[(v >> 6) & 63];
        *w++ = (u8)a[v & 63];
    }
    if (i < n) {
        u32 v = (u32)p[i] << 16 | (i + 1 < n ? (u32)p[i + 1] << 8 : 0);
        *w++ = (u8)a[v >> 18];
        *w++ = (u8)a[(v >> 12) & 63];
        if (i + 1 < n) *w++ = (u8)a[(v >> 6) & 63];
        else if (pad) *w++ = '=';
        if (pad) *w++ = '=';
    }
    return w - out;
}

static kval b64_encode(Text t, bool newline) {
    u8 *w;
    kval r = start_bytes((t.n + 2) / 3 * 4 + newline, &w);
    i64 len = k_base64_encode_into(t.p, t.n, w, 0, 1);
    if (newline) w[len++] = '\n';
    return finish(r, len);
}

/* binascii.a2b_base64 (3.11): see the top of the file. */
static kval b64_decode(Text t, bool strict) {
    static u8 table[256];
    if (!table['B']) {
        for (int i = 0; i < 256; i++) table[i] = 0xff;
        for (int i = 0; i < 64; i++) table[(u8)B64[i]] = (u8)i;
    }
    if (strict && t.n > 0 && t.p[0] == '=') return error("Leading padding not allowed");
    u8 *w;
    kval r = start_bytes((t.n + 3) / 4 * 3, &w);
    i64 len = 0;
    int quad = 0, pads = 0;
    bool padding = 0;
    u8 left = 0;
    for (i64 i = 0; i < t.n; i++) {
        u8 c = t.p[i];
        if (c == '=') {
            padding = 1;
            if (quad >= 2 && quad + ++pads >= 4) {
                if (strict && i + 1 < t.n) { k_decref(r); return error("Excess data after padding"); }
                return finish(r, len);
            }
            continue;
        }
        u8 v = table[c];
        if (v == 0xff) {
            if (strict) { k_decref(r); return error("Only base64 data is allowed"); }
            continue;
        }
        if (strict && padding) { k_decref(r); return error("Discontinuous padding not allowed"); }
        pads = 0;
        switch (quad) {
        case 0: left = v; break;
        case 1: w[len++] = (u8)(left << 2 | v >> 4); left = v & 15; break;
        case 2: w[len++] = (u8)(left << 4 | v >> 2); left = v & 3; break;
        default: w[len++] = (u8)(left << 6 | v); left = 0; break;
        }
        quad = (quad + 1) & 3;
    }
    if (quad == 0) return finish(r, len);
    k_decref(r);
    if (quad == 1)
        k_raise_fmt(&k_binascii_Error_type, "Invalid base64-encoded string: number of data characters (%d) "
                    "cannot be 1 more than a multiple of 4", len / 3 * 4 + 1);
    else
        k_raise_str(&k_binascii_Error_type, "Incorrect padding");
    return 0;
}

kval k_binascii_b2a_base64(kval data, bool newline) {
    Text t;
    return bytes_arg(data, &t) ? b64_encode(t, newline) : 0;
}

kval k_binascii_a2b_base64(kval data, bool strict_mode) {
    Text t;
    return ascii_buffer(data, &t) ? b64_decode(t, strict_mode) : 0;
}

/* base64.py's `assert len(x) == n, repr(x)` on an argument already made bytes. */
static bool check_len(Text a, i64 n) {
    if (a.n == n) return 1;
    kval b = k_bytes_from(a.p, a.n);
    k_raise_fmt(&k_AssertionError_type, "%R", b);
    k_decref(b);
    return 0;
}

kval k_base64_b64encode(kval s, kval altchars) {
    Text t, a;
    if (!bytes_arg(s, &t)) return 0;
    kval r = b64_encode(t, 0);
    if (altchars == k_None || !r) return r;
    if (!k_buffer(altchars, &a.p, &a.n)) {      /* len() first, then bytes.maketrans */
        if (!k_is_str(altchars) || k_str_len(altchars) == 2) bytes_arg(altchars, &a);
        else k_raise_fmt(&k_AssertionError_type, "%R", altchars);
        k_decref(r);
        return 0;
    }
    if (!check_len(a, 2)) { k_decref(r); return 0; }
    u8 *w = ((KBytes *)r)->data;
    for (i64 i = 0; i < ((KBytes *)r)->len; i++) {
        if (w[i] == '+') w[i] = a.p[0];
        else if (w[i] == '/') w[i] = a.p[1];
    }
    return r;
}

/* Decodes t after mapping its bytes (the alphabet's last two letters to "+/"). */
static kval b64_decode_mapped(Text t, const u8 map[256], bool strict) {
    u8 *c = translated(t, map);
    kval r = b64_decode((Text){c, t.n}, strict);
    k_mfree(c);
    return r;
}

kval k_base64_b64decode(kval s, kval altchars, bool validate) {
    Text t, a;
    if (!decode_data(s, &t)) return 0;
    if (altchars == k_None) return b64_decode(t, validate);
    if (!decode_data(altchars, &a) || !check_len(a, 2)) return 0;
    u8 map[256];
    identity_map(map);
    map[a.p[0]] = '+';
    map[a.p[1]] = '/';
    return b64_decode_mapped(t, map, validate);
}

kval k_base64_standard_b64encode(kval s) { return k_base64_b64encode(s, k_None); }
kval k_base64_standard_b64decode(kval s) { return k_base64_b64decode(s, k_None, 0); }

kval k_base64_urlsafe_b64encode(kval s) {
    Text t;
    if (!bytes_arg(s, &t)) return 0;
    u8 *w;
    kval r = start_bytes((t.n + 2) / 3 * 4, &w);
    return finish(r, k_base64_encode_into(t.p, t.n, w, 1, 1));
}

kval k_base64_urlsafe_b64decode(kval s) {
    Text t;
    if (!decode_data(s, &t)) return 0;
    u8 map[256];
    identity_map(map);
    map['-'] = '+';
    map['_'] = '/';
    return b64_decode_mapped(t, map, 0);
}

/* MIME: lines of 76 letters (57 bytes), each ending in a newline. */
kval k_base64_encodebytes(kval s) {
    Text t;
    if (!k_buffer(s, &t.p, &t.n)) {
        k_raise_fmt(&k_TypeError_type, "expected bytes-like object, not %s", tname(s));
        return 0;
    }
    u8 *w;
    kval r = start_bytes((t.n + 2) / 3 * 4 + (t.n + 56) / 57, &w);
    i64 len = 0;
    for (i64 i = 0; i < t.n; i += 57) {
        len += k_base64_encode_into(t.p + i, t.n - i < 57 ? t.n - i : 57, w + len, 0, 1);
        w[len++] = '\n';
    }
    return finish(r, len);
}

kval k_base64_decodebytes(kval s) {
    Text t;
    if (!k_buffer(s, &t.p, &t.n)) {
        k_raise_fmt(&k_TypeError_type, "expected bytes-like object, not %s", tname(s));
        return 0;
    }
    return b64_decode(t, 0);
}

/* ---- Base32 (base64.py's _b32encode / _b32decode) ---- */

static kval b32_encode(kval s, const char *alphabet) {
    Text t;
    if (!k_buffer(s, &t.p, &t.n)) {
        k_raise_fmt(&k_TypeError_type, "memoryview: a bytes-like object is required, not '%s'", tname(s));
        return 0;
    }
    static const u8 PADS[5] = {0, 6, 4, 3, 1};       /* '=' for 0..4 leftover bytes */
    u8 *w;
    kval r = start_bytes((t.n + 4) / 5 * 8, &w);
    for (i64 i = 0; i < t.n; i += 5) {
        u64 v = 0;
        for (int j = 0; j < 5; j++) v = v << 8 | (i + j < t.n ? t.p[i + j] : 0);
        for (int j = 0; j < 8; j++) *w++ = (u8)alphabet[(v >> (35 - 5 * j)) & 31];
    }
    for (int j = 0; j < PADS[t.n % 5]; j++) w[-1 - j] = '=';
    return r;
}

static kval b32_decode(kval s, const char *alphabet, bool casefold, kval map01) {
    Text t, m;
    if (!decode_data(s, &t)) return 0;
    if (t.n % 8) return error("Incorrect padding");
    u8 map[256], rev[256];
    identity_map(map);
    if (map01 != k_None) {
        if (!decode_data(map01, &m)) return 0;
        if (!check_len(m, 1)) return 0;
        map['0'] = 'O';
        map['1'] = m.p[0];
    }
    if (casefold)           /* upper() after the 01 mapping: also of the letter map01 chose */
        for (int c = 0; c < 256; c++) if (map[c] >= 'a' && map[c] <= 'z') map[c] = (u8)(map[c] - 32);
    for (int i = 0; i < 256; i++) rev[i] = 0xff;
    for (int i = 0; i < 32; i++) rev[(u8)alphabet[i]] = (u8)i;
    i64 n = t.n, pads = 0;
    while (n > 0 && map[t.p[n - 1]] == '=') { n--; pads++; }
    u8 *w;
    kval r = start_bytes((n + 7) / 8 * 5, &w);
    i64 len = 0;
    u64 acc = 0;
    for (i64 i = 0; i < n; i += 8) {
        acc = 0;
        for (i64 j = i; j < n && j < i + 8; j++) {
            u8 v = rev[map[t.p[j]]];
            if (v == 0xff) { k_decref(r); return error("Non-base32 digit found"); }
            acc = acc << 5 | v;
        }
        for (int j = 0; j < 5; j++) w[len++] = (u8)(acc >> (32 - 8 * j));
    }
    if (!(pads == 0 || pads == 1 || pads == 3 || pads == 4 || pads == 6)) {
        k_decref(r);
        return error("Incorrect padding");
    }
    if (pads && len) {          /* the last quantum had 8 - pads letters: shift them into place */
        acc <<= 5 * pads;
        len -= 5;
        for (int j = 0; j < (43 - 5 * pads) / 8; j++) w[len++] = (u8)(acc >> (32 - 8 * j));
    }
    return finish(r, len);
}

kval k_base64_b32encode(kval s) { return b32_encode(s, B32); }
kval k_base64_b32hexencode(kval s) { return b32_encode(s, B32HEX); }
kval k_base64_b32decode(kval s, bool casefold, kval map01) { return b32_decode(s, B32, casefold, map01); }
kval k_base64_b32hexdecode(kval s, bool casefold) { return b32_decode(s, B32HEX, casefold, k_None); }

/* ---- Base16 and hex ---- */

static int hex_value(u8 c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static kval unhex(Text t) {
    if (t.n % 2) return error("Odd-length string");
    u8 *w;
    kval r = start_bytes(t.n / 2, &w);
    for (i64 i = 0; i < t.n; i += 2) {
        int hi = hex_value(t.p[i]), lo = hex_value(t.p[i + 1]);
        if (hi < 0 || lo < 0) { k_decref(r); return error("Non-hexadecimal digit found"); }
        w[i / 2] = (u8)(hi << 4 | lo);
    }
    return r;
}

static kval hex_bytes(kval s, const char *digits) {
    Text t;
    if (!bytes_arg(s, &t)) return 0;
    u8 *w;
    kval r = start_bytes(2 * t.n, &w);
    for (i64 i = 0; i < t.n; i++) {
        w[2 * i] = (u8)digits[t.p[i] >> 4];
        w[2 * i + 1] = (u8)digits[t.p[i] & 15];
    }
    return r;
}

kval k_binascii_hexlify(kval data) { return hex_bytes(data, "0123456789abcdef"); }

kval k_binascii_unhexlify(kval data) {
    Text t;
    return ascii_buffer(data, &t) ? unhex(t) : 0;
}

kval k_base64_b16encode(kval s) { return hex_bytes(s, HEX_UPPER); }

kval k_base64_b16decode(kval s, bool casefold) {
    Text t;
    if (!decode_data(s, &t)) return 0;
    for (i64 i = 0; i < t.n; i++) {
        u8 c = casefold && t.p[i] >= 'a' && t.p[i] <= 'z' ? t.p[i] - 32 : t.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return error("Non-base16 digit found");
    }
    return unhex(t);
}
