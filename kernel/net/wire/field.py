"""Big-endian fields on byte views, and the one error type every wire parser returns.

Network byte order is big-endian (RFC 791, appendix B); the machine is little-endian,
so fields are read and written a byte at a time: no unaligned loads, no byte swaps,
and in a debug build an offset past the view panics instead of reading a neighbour.
Wire modules check a view's length once, then read fields at constant offsets.
"""

from kaa.lang import *


class Error(IntEnum):
    OK = 0
    TRUNCATED = 1       # shorter than its header, or than its own length field says
    MALFORMED = 2       # a field holds a value the format forbids
    CHECKSUM = 3        # the checksum does not verify
    UNSUPPORTED = 4     # well formed, but a variant this stack does not handle


def error_name(e: Error) -> Str:
    if e == Error.OK:
        return "ok"
    if e == Error.TRUNCATED:
        return "truncated"
    if e == Error.MALFORMED:
        return "malformed"
    if e == Error.CHECKSUM:
        return "checksum"
    return "unsupported"


def get16(b: Bytes, off: int) -> u16:
    return (u16(b[off]) << 8) | u16(b[off + 1])


def get32(b: Bytes, off: int) -> u32:
    return (u32(get16(b, off)) << 16) | u32(get16(b, off + 2))


def get48(b: Bytes, off: int) -> u64:
    """A MAC address: six bytes, the first one in bits 47..40."""
    return (u64(get16(b, off)) << 32) | u64(get32(b, off + 2))


def put16(b: Bytes, off: int, v: u16) -> None:
    b[off] = u8(v >> 8)
    b[off + 1] = u8(v)


def put32(b: Bytes, off: int, v: u32) -> None:
    put16(b, off, u16(v >> 16))
    put16(b, off + 2, u16(v))


def put48(b: Bytes, off: int, v: u64) -> None:
    put16(b, off, u16(v >> 32))
    put32(b, off + 2, u32(v))


def copy(dst: Bytes, src: Bytes) -> None:
    """Copy src to the start of dst (len(dst) >= len(src)); the two may overlap."""
    n = len(src)
    if n == 0 or dst.ptr == src.ptr:
        return
    if cast(u64, dst.ptr) < cast(u64, src.ptr):
        for i in range(n):
            dst[i] = src[i]
    else:
        for i in range(n - 1, -1, -1):
            dst[i] = src[i]


def zero(b: Bytes) -> None:
    for i in range(len(b)):
        b[i] = 0


def same(a: Bytes, b: Bytes) -> bool:
    if len(a) != len(b):
        return False
    for i in range(len(a)):
        if a[i] != b[i]:
            return False
    return True
