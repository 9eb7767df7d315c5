"""SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012).

    k = siphash.Key(k0=a, k1=b)            # 128 bits of secret, from entropy at boot
    h = siphash.hash(addr(k), data)        # any Bytes
    h = siphash.hash12(addr(k), x, y)      # the 12 bytes x (little-endian), then y

A keyed hash whose outputs an observer who does not know the key cannot predict, nor
steer into collisions: TCP's initial sequence numbers (RFC 6528 asks for a PRF) and
its connection table's buckets use it. Two compression rounds per 8-byte block, four
to finalize, as the paper's SipHash-2-4. The message is read in little-endian 64-bit
words; its last word carries the leftover bytes with the length's low byte on top.
hash8() and hash12() are the same function for messages of exactly 8 and 12 bytes
given as integers, without a buffer (the per-segment callers). The key's two words
are the key's bytes 0-7 and 8-15 read little-endian, as in the reference code.
"""

from kaa.lang import *


@struct
class Key:
    k0: u64
    k1: u64


@struct
class State:
    v0: u64
    v1: u64
    v2: u64
    v3: u64

    def round(self) -> None:
        """One SipRound (the paper's section 2)."""
        self.v0 += self.v1
        self.v1 = rotl(self.v1, 13) ^ self.v0
        self.v0 = rotl(self.v0, 32)
        self.v2 += self.v3
        self.v3 = rotl(self.v3, 16) ^ self.v2
        self.v0 += self.v3
        self.v3 = rotl(self.v3, 21) ^ self.v0
        self.v2 += self.v1
        self.v1 = rotl(self.v1, 17) ^ self.v2
        self.v2 = rotl(self.v2, 32)

    def absorb(self, m: u64) -> None:
        """Compression: one message word, two rounds."""
        self.v3 ^= m
        self.round()
        self.round()
        self.v0 ^= m

    def finish(self) -> u64:
        """Finalization: four rounds."""
        self.v2 ^= 0xFF
        for i in range(4):
            self.round()
        return self.v0 ^ self.v1 ^ self.v2 ^ self.v3


@inline
def rotl(x: u64, b: u32) -> u64:
    return (x << b) | (x >> (64 - b))


def start(k: Ptr[Key]) -> State:
    """Initialization: the key XORed into the constants "somepseudorandomlygeneratedbytes"."""
    return State(v0=k.k0 ^ 0x736F6D6570736575, v1=k.k1 ^ 0x646F72616E646F6D,
                 v2=k.k0 ^ 0x6C7967656E657261, v3=k.k1 ^ 0x7465646279746573)


def hash(k: Ptr[Key], data: Bytes) -> u64:
    s = start(k)
    n = u64(len(data))
    whole = n & ~u64(7)
    i: u64 = 0
    while i < whole:
        m: u64 = 0
        for j in range(8):
            m |= u64(data[i + u64(j)]) << u32(8 * j)
        s.absorb(m)
        i += 8
    last = (n & 0xFF) << 56
    for j in range(i64(n - whole)):
        last |= u64(data[whole + u64(j)]) << u32(8 * j)
    s.absorb(last)
    return s.finish()


def hash8(k: Ptr[Key], x: u64) -> u64:
    """hash() of x's 8 bytes, little-endian."""
    s = start(k)
    s.absorb(x)
    s.absorb(u64(8) << 56)
    return s.finish()


def hash12(k: Ptr[Key], x: u64, y: u32) -> u64:
    """hash() of x's 8 bytes then y's 4, little-endian."""
    s = start(k)
    s.absorb(x)
    s.absorb((u64(12) << 56) | u64(y))
    return s.finish()
