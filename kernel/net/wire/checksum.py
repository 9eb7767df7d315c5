"""The Internet checksum (RFC 1071): the one's-complement of the one's-complement sum.

The sum is kept in a u64 accumulator of 16-bit big-endian words and folded only at
the end (RFC 1071 section 2(C), "deferred carries"): a u64 cannot overflow for any
frame. Sums are incremental: start from 0, add() each piece (the IPv4 pseudo-header,
the transport header, the payload), then finish(). Every piece but the last must
have an even length, because an odd piece would shift the bytes after it by one.

A message whose checksum field is filled in sums, checksum included, to 0xFFFF, so
verify() is finish(...) == 0 (RFC 1071 section 1, step (3)).
"""

from kaa.lang import *


def add(acc: u64, data: Bytes) -> u64:
    """acc plus the words of data; an odd last byte is padded with a zero byte."""
    n = len(data)
    i = 0
    while i + 1 < n:
        acc += (u64(data[i]) << 8) | u64(data[i + 1])
        i += 2
    if i < n:
        acc += u64(data[i]) << 8
    return acc


def add16(acc: u64, v: u16) -> u64:
    return acc + u64(v)


def add32(acc: u64, v: u32) -> u64:
    return acc + u64(v >> 16) + u64(v & 0xFFFF)


def fold(acc: u64) -> u16:
    """End-around carry: add the carries back in until the sum fits 16 bits."""
    while acc >> 16 != 0:
        acc = (acc & 0xFFFF) + (acc >> 16)
    return u16(acc)


def finish(acc: u64) -> u16:
    """The checksum to write into the field (or 0 when verifying a correct message)."""
    return ~fold(acc)


def of(data: Bytes) -> u16:
    return finish(add(0, data))


def verify(data: Bytes) -> bool:
    return of(data) == 0


def pseudo_header(src: u32, dst: u32, protocol: u8, length: u16) -> u64:
    """The IPv4 pseudo-header's sum (RFC 768, RFC 793 section 3.1): addresses,
    a zero byte and the protocol, and the transport length."""
    acc = add32(add32(0, src), dst)
    return add16(add16(acc, u16(protocol)), length)


def update16(check: u16, old: u16, new: u16) -> u16:
    """The checksum after one 16-bit field changes from old to new, without summing
    the message again (RFC 1624 section 3, equation 3: HC' = ~(~HC + ~m + m'))."""
    acc = u64(~check) + u64(~old) + u64(new)
    return ~fold(acc)
