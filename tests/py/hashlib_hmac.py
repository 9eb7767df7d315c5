"""hmac and hashlib.pbkdf2_hmac: RFC 4231's HMAC-SHA-224/256/384/512 test cases (keys
shorter and longer than a block, the truncated case 5), RFC 2202's first HMAC-MD5 and
HMAC-SHA-1 cases, RFC 6070's PBKDF2-HMAC-SHA1 and RFC 7914's PBKDF2-HMAC-SHA256
vectors; update() in pieces, copy(), hmac.digest(), digestmod as a name or as
hashlib.sha256, compare_digest, and the errors for bad arguments."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

# RFC 4231 section 4: (key, data) of test cases 1-7.
RFC4231 = [
    (b"\x0b" * 20, b"Hi There"),
    (b"Jefe", b"what do ya want for nothing?"),
    (b"\xaa" * 20, b"\xdd" * 50),
    (bytes(range(1, 26)), b"\xcd" * 50),
    (b"\x0c" * 20, b"Test With Truncation"),
    (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First"),
    (b"\xaa" * 131, b"This is a test using a larger than block-size key and a larger than block-size data. "
                    b"The key needs to be hashed before being used by the HMAC algorithm."),
]
RFC4231_SHA256 = [
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    "a3b6167473100ee06e0c796c2955552b",
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
]

# RFC 6070: (password, salt, iterations, dklen, derived key); the 16777216-iteration case is left out.
RFC6070 = [
    (b"password", b"salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
    (b"password", b"salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
    (b"password", b"salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1"),
    (b"passwordPASSWORDpassword", b"saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25,
     "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
    (b"pass\x00word", b"sa\x00lt", 4096, 16, "56fa6aa75548099dcc37d7f03425e0c3"),
]


def main() -> None:
    for i, (key, data) in enumerate(RFC4231):
        for name in ("sha224", "sha256", "sha384", "sha512"):
            print(i + 1, name, hmac.new(key, data, name).hexdigest())
        d = hmac.new(key, data, hashlib.sha256).hexdigest()
        print(i + 1, "published", d[:len(RFC4231_SHA256[i])] == RFC4231_SHA256[i])
    print("md5", hmac.new(b"\x0b" * 16, b"Hi There", "md5").hexdigest())
    print("sha1", hmac.new(b"Jefe", b"what do ya want for nothing?", "sha1").hexdigest())

    # in pieces, copy(), digest() mid-stream, hmac.digest()
    key, data = RFC4231[6]
    m = hmac.new(key, digestmod="sha512")
    for k in range(0, len(data), 17):
        m.update(data[k:k + 17])
    c = m.copy()
    c.update(b"!")
    print(m.hexdigest() == hmac.new(key, data, "sha512").hexdigest(), m.digest() == hmac.digest(key, data, "sha512"))
    print(c.hexdigest() == hmac.new(key, data + b"!", "sha512").hexdigest())
    print(hmac.digest(bytearray(b"k"), bytearray(b"m"), "sha1").hex(), hmac.HMAC(b"k", b"m", "md5").hexdigest())

    print(hmac.compare_digest(b"abc", b"abc"), hmac.compare_digest(b"abc", b"abd"), hmac.compare_digest(b"ab", b"abc"))
    print(hmac.compare_digest("token", "token"), hmac.compare_digest(bytearray(b"x"), b"x"))

    for password, salt, n, dklen, expect in RFC6070:
        dk = hashlib.pbkdf2_hmac("sha1", password, salt, n, dklen)
        print("pbkdf2", n, dklen, dk.hex(), dk.hex() == expect)
    print(hashlib.pbkdf2_hmac("sha256", b"passwd", b"salt", 1, 64).hex())
    print(hashlib.pbkdf2_hmac("sha256", b"Password", b"NaCl", 80000, 64).hex())
    print(hashlib.pbkdf2_hmac("sha512", b"pw", b"salt", 3).hex())
    print(hashlib.pbkdf2_hmac("md5", b"pw", b"salt", 3, dklen=40).hex())

    text: Any = "abc"
    tries: list[tuple[str, Any, Any, Any]] = [
        ("str key", text, b"m", "sha256"), ("str msg", b"k", text, "sha256"),
        ("no digestmod", b"k", b"m", None), ("bad digestmod", b"k", b"m", "sha3"),
    ]
    for what, k2, m2, dm in tries:
        try:
            hmac.new(k2, m2, dm)
        except (TypeError, ValueError) as e:
            print(what, type(e).__name__, e)
    pairs: list[tuple[Any, Any]] = [(b"a", text), (text, "\xe9"), (1, 2)]
    for a, b in pairs:
        try:
            hmac.compare_digest(a, b)
        except TypeError as e:
            print("compare_digest:", e)
    bad_counts: list[tuple[int, int | None]] = [(0, None), (1, 0)]
    for n, dk2 in bad_counts:
        try:
            hashlib.pbkdf2_hmac("sha256", b"p", b"s", n, dk2)
        except ValueError as e:
            print("pbkdf2:", e)


main()
