"""hashlib: the FIPS 180 example messages (and RFC 1321's for MD5) through every
algorithm, fed whole, byte by byte, and in pieces across block boundaries; copy(),
digest() in the middle of a stream, hashlib.new() names, hashlib.sha256 as a value,
and the TypeError for str data."""

from __future__ import annotations

import hashlib
from typing import Any, Callable

ALGORITHMS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
ABC = b"abc"
M448 = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
M896 = (b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        b"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")

# FIPS 180-2 appendix B: SHA-256 of "abc", the 448-bit message and a million 'a's.
SHA256_PUBLISHED = {
    ABC: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    M448: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
}
MILLION_A_SHA256 = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
# RFC 1321 appendix A.5
MD5_PUBLISHED = {
    b"": "d41d8cd98f00b204e9800998ecf8427e",
    b"a": "0cc175b9c0f1b6a831c399e269772661",
    b"message digest": "f96b697d7cb7938d525a2f31aaf161d0",
    b"abcdefghijklmnopqrstuvwxyz": "c3fcd3d76192e4007dfb496cca67e13b",
}


def whole(name: str, data: bytes) -> str:
    return hashlib.new(name, data).hexdigest()


def in_pieces(name: str, data: bytes, size: int) -> str:
    h = hashlib.new(name)
    for i in range(0, len(data), size):
        h.update(data[i:i + size])
    return h.hexdigest()


def main() -> None:
    for name in ALGORITHMS:
        for msg in (b"", ABC, M448, M896):
            d = whole(name, msg)
            same = all(in_pieces(name, msg, k) == d for k in (1, 3, 55, 64, 100))
            print(name, len(msg), d, same)
    for msg, expect in SHA256_PUBLISHED.items():
        print("sha256 published", hashlib.sha256(msg).hexdigest() == expect)
    for msg, expect in MD5_PUBLISHED.items():
        print("md5", msg, hashlib.md5(msg).hexdigest(), hashlib.md5(msg).hexdigest() == expect)

    # a million 'a's, in uneven pieces
    million = b"a" * 1000000
    for name in ALGORITHMS:
        h = hashlib.new(name)
        h.update(million[:1])
        h.update(million[1:70001])
        h.update(bytearray(million[70001:]))
        print(name, "million", h.hexdigest())
    print("sha256 million published", hashlib.sha256(million).hexdigest() == MILLION_A_SHA256)

    # reading a digest does not end the hash; copy() forks it
    h = hashlib.sha256(b"ab")
    first = h.digest()
    h.update(b"c")
    fork = h.copy()
    fork.update(b"d")
    print(first.hex(), h.hexdigest(), fork.hexdigest(), hashlib.sha256(b"abcd").hexdigest() == fork.hexdigest())
    print(len(hashlib.sha512(b"x").digest()), len(hashlib.sha224().digest()), len(hashlib.sha1().hexdigest()))
    print(hashlib.md5(b"x", usedforsecurity=False).hexdigest(), hashlib.new("sha1", usedforsecurity=False).hexdigest())

    # names as hashlib.new (OpenSSL) accepts them
    for n in ("SHA256", "sha-256", "SHA2-384", "Md5", "sha-1", "sha512"):
        print(n, hashlib.new(n, ABC).hexdigest()[:16])
    for bad in ("sha_256", "sha2-1", "nope"):
        try:
            hashlib.new(bad)
        except ValueError as e:
            print("ValueError:", e)

    # the constructors as values
    ctors: list[Callable[[], hashlib._Hash]] = [hashlib.md5, hashlib.sha1, hashlib.sha256]
    for ctor in ctors:
        print(ctor().hexdigest()[:12])

    text: Any = "abc"
    try:
        hashlib.sha256(text)
    except TypeError as e:
        print("TypeError:", e)
    h = hashlib.sha1()
    try:
        h.update(text)
    except TypeError as e:
        print("TypeError:", e)


main()
