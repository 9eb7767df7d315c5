/* base64.c: Python's base64 module (Base64, Base32, Base16 of RFC 4648; the MIME
 * encodebytes/decodebytes) and the part of binascii under it, with CPython 3.11's
 * lenient decoding, errors and messages. binascii.Error is a ValueError.
 * Encoders take bytes or bytearray; decoders also take an ASCII str.
 */
#pragma once
#include "object.h"

extern const KType k_binascii_Error_type;

/* ---- binascii ---- */
kval k_binascii_b2a_base64(kval data, bool newline);
kval k_binascii_a2b_base64(kval data, bool strict_mode);
kval k_binascii_hexlify(kval data);
kval k_binascii_unhexlify(kval data);

/* ---- base64 ---- */
kval k_base64_b64encode(kval s, kval altchars);
kval k_base64_b64decode(kval s, kval altchars, bool validate);
kval k_base64_standard_b64encode(kval s);
kval k_base64_standard_b64decode(kval s);
kval k_base64_urlsafe_b64encode(kval s);
kval k_base64_urlsafe_b64decode(kval s);
kval k_base64_b32encode(kval s);
kval k_base64_b32decode(kval s, bool casefold, kval map01);
kval k_base64_b32hexencode(kval s);
kval k_base64_b32hexdecode(kval s, bool casefold);
kval k_base64_b16encode(kval s);
kval k_base64_b16decode(kval s, bool casefold);
kval k_base64_encodebytes(kval s);
kval k_base64_decodebytes(kval s);

/* Base64 of p[0..n) into out (4 * ceil(n / 3) bytes, or fewer without padding), with
 * "+/" or the URL-safe "-_" as the last two letters; returns the length written. */
i64 k_base64_encode_into(const u8 *p, i64 n, u8 *out, bool urlsafe, bool pad);
