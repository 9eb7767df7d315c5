"""base64: RFC 4648 section 10's test vectors for Base64, Base32, Base32hex and Base16
(encoded and decoded back, from bytes and from str), the URL-safe alphabet and
altchars, MIME line breaks, and CPython's lenient and strict decoding: skipped stray
characters, padding rules, and the messages of binascii.Error (a ValueError, caught as
one here; base64_binascii.py catches it by name)."""

from __future__ import annotations

import base64
from typing import Callable

# RFC 4648 section 10: input, BASE64, BASE32, BASE32-HEX, BASE16
RFC4648 = [
    (b"", "", "", "", ""),
    (b"f", "Zg==", "MY======", "CO======", "66"),
    (b"fo", "Zm8=", "MZXQ====", "CPNG====", "666F"),
    (b"foo", "Zm9v", "MZXW6===", "CPNMU===", "666F6F"),
    (b"foob", "Zm9vYg==", "MZXW6YQ=", "CPNMUOG=", "666F6F62"),
    (b"fooba", "Zm9vYmE=", "MZXW6YTB", "CPNMUOJ1", "666F6F6261"),
    (b"foobar", "Zm9vYmFy", "MZXW6YTBOI======", "CPNMUOJ1E8======", "666F6F626172"),
]


def attempt(what: str, f: Callable[[], bytes]) -> None:
    try:
        print(what, f())
    except ValueError as e:
        print(what, type(e).__name__, e)
    except TypeError as e:
        print(what, "TypeError:", e)


def main() -> None:
    for raw, b64, b32, b32hex, b16 in RFC4648:
        enc = (base64.b64encode(raw), base64.b32encode(raw), base64.b32hexencode(raw), base64.b16encode(raw))
        print(raw, enc, enc == (b64.encode(), b32.encode(), b32hex.encode(), b16.encode()))
        dec = (base64.b64decode(b64), base64.b32decode(b32), base64.b32hexdecode(b32hex), base64.b16decode(b16),
               base64.b64decode(b64.encode()), base64.b32decode(b32.encode()), base64.b16decode(b16.encode()))
        print(all(d == raw for d in dec), base64.standard_b64decode(b64) == raw, base64.b16decode(b16.lower(), True) == raw)

    data = bytes(range(256))
    pairs = [(base64.b64encode(data), base64.b64decode(base64.b64encode(data))),
             (base64.urlsafe_b64encode(data), base64.urlsafe_b64decode(base64.urlsafe_b64encode(data))),
             (base64.b32encode(data), base64.b32decode(base64.b32encode(data))),
             (base64.b16encode(data), base64.b16decode(base64.b16encode(data))),
             (base64.encodebytes(data), base64.decodebytes(base64.encodebytes(data))),
             (base64.standard_b64encode(data), base64.standard_b64decode(base64.standard_b64encode(data)))]
    for e, d in pairs:
        print(len(e), e[:24], e[-12:], d == data)
    print(base64.urlsafe_b64encode(b"\xfb\xff\xbf"), base64.b64encode(b"\xfb\xff\xbf", b"*!"))
    print(base64.b64decode("-_-_", altchars="-_"), base64.urlsafe_b64decode("+/-_"))
    print(base64.b64encode(bytearray(b"bytearray")), base64.b16decode(bytearray(b"01AB")))
    print(base64.encodebytes(b"x" * 60))
    print(base64.b32decode("mzxw6yq=", casefold=True), base64.b32decode("MZXW6Y1=", map01=b"L"),
          base64.b32decode("M0XW6YQ=", map01="I"))

    # lenient decoding: stray characters are skipped, text after complete padding ignored
    for s in ["Zm9v YmFy", "Zm9v\nYmFy\n", "Zm9!vYm*Fy", "Zm8=Zm8=", "Zm8===", "Zg==trailing", "Z=m8="]:
        attempt(repr(s), lambda: base64.b64decode(s))
    # errors
    for s in ["Zm9", "Zm", "Z", "Zm9vY", "=", "Zg=", "\xe9"]:
        attempt(repr(s), lambda: base64.b64decode(s))
    for s in ["Zm9v YmFy", "Zg==x", "Zg=x", "=Zg==", "Zm8=", "Zm9vYg"]:
        attempt("strict " + repr(s), lambda: base64.b64decode(s, validate=True))
    for s in ["MZXW6YQ", "MZXW6Y==", "mzxw6yq=", "MZXW6YQ1", "M=======", "MZ=W6YQ=", "========"]:
        attempt("b32 " + repr(s), lambda: base64.b32decode(s))
    for s in ["666f", "ABC", "ABCG", "0x"]:
        attempt("b16 " + repr(s), lambda: base64.b16decode(s))
    try:
        base64.b64decode("abc")
    except ValueError as e:
        print("caught as ValueError:", type(e).__name__, e)


main()
