"""Byte rings for TCP's send and receive buffers.

A Ring holds `len` bytes starting at index `head` of a power-of-two buffer from the
heap (new_array), so an index wraps with a mask and no byte ever moves. Besides the
bytes it holds, a ring can be written ahead of its end (write_at(), then commit()):
the receive side keeps an out-of-order range there, at the very place in-order data
will reach it, so filling the hole needs no copy. Capacity 0 (no buffer) is allowed:
such a ring holds nothing and takes nothing.
"""

from kaa.lang import *
import kernel.net.wire.field as field


@struct
class Ring:
    buf: Bytes                         # new_array(u8, capacity); empty when released
    mask: u32                          # capacity - 1
    head: u32                          # index of the first byte held (below capacity)
    len: u32                           # bytes held

    def capacity(self) -> u32:
        return u32(len(self.buf))

    def space(self) -> u32:
        return self.capacity() - self.len


def is_power_of_two(n: u32) -> bool:
    return n != 0 and n & (n - 1) == 0


def init(r: Ptr[Ring], capacity: u32) -> bool:
    """A ring of capacity bytes (a power of two); False when out of memory."""
    assert is_power_of_two(capacity), "tcp_ring.init: capacity must be a power of two"
    p = try_new_bytes(capacity)
    if p.ptr is None:
        return False
    r[0] = Ring(buf=p, mask=capacity - 1)
    return True


@extern
def kaa_alloc(size: usize) -> Ptr[None]: ...


def try_new_bytes(n: u32) -> Bytes:
    """new_array(u8, n), but empty instead of a panic when memory is exhausted: a
    connection that cannot get its buffers is refused, not fatal. kaa_alloc is the
    runtime's allocator (kaa/compiler/runtime.h: zeroed, NULL when exhausted), the one
    new_array and try_new call; free() gives the block back."""
    p = cast(Ptr[u8], kaa_alloc(u64(n)))
    if p is None:
        return Bytes(ptr=None, len=0)
    return Bytes(ptr=p, len=u64(n))


def release(r: Ptr[Ring]) -> None:
    if r.buf.ptr is not None:
        free(r.buf)
    r[0] = Ring()


def clear(r: Ptr[Ring]) -> None:
    r.head = 0
    r.len = 0


def copy_in(r: Ptr[Ring], index: u32, data: Bytes) -> None:
    """data into the buffer from index (masked), in at most two pieces."""
    n = u32(len(data))
    i = index & r.mask
    first = r.capacity() - i
    if first > n:
        first = n
    field.copy(r.buf[i:i + first], data[0:first])
    field.copy(r.buf[0:n - first], data[first:n])


def copy_out(r: Ptr[Ring], index: u32, out: Bytes) -> None:
    n = u32(len(out))
    i = index & r.mask
    first = r.capacity() - i
    if first > n:
        first = n
    field.copy(out[0:first], r.buf[i:i + first])
    field.copy(out[first:n], r.buf[0:n - first])


def write(r: Ptr[Ring], data: Bytes) -> u32:
    """Append as much of data as fits; how many bytes went in."""
    n = u32(len(data))
    if n > r.space():
        n = r.space()
    if n == 0:
        return 0
    copy_in(r, r.head + r.len, data[0:n])
    r.len += n
    return n


def write_at(r: Ptr[Ring], offset: u32, data: Bytes) -> None:
    """Store data offset bytes past the end of what the ring holds, without holding
    it yet (commit() does). The caller checks offset + len(data) <= space()."""
    assert offset + u32(len(data)) <= r.space(), "tcp_ring.write_at: past the free space"
    if len(data) > 0:
        copy_in(r, r.head + r.len + offset, data)


def commit(r: Ptr[Ring], n: u32) -> None:
    """Hold n more bytes: the ones write_at() stored right after the end."""
    assert n <= r.space(), "tcp_ring.commit: past the free space"
    r.len += n


def peek(r: Ptr[Ring], offset: u32, out: Bytes) -> u32:
    """Copy up to len(out) bytes held from offset on, without consuming them."""
    if offset >= r.len:
        return 0
    n = u32(len(out))
    if n > r.len - offset:
        n = r.len - offset
    copy_out(r, r.head + offset, out[0:n])
    return n


def consume(r: Ptr[Ring], n: u32) -> None:
    """Drop the first n bytes held."""
    assert n <= r.len, "tcp_ring.consume: more than held"
    r.head = (r.head + n) & r.mask if r.capacity() != 0 else 0
    r.len -= n


def read(r: Ptr[Ring], out: Bytes) -> u32:
    n = peek(r, 0, out)
    consume(r, n)
    return n
