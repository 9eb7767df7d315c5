"""Byte rings for TCP's send and receive buffers.

A Ring holds `len` bytes starting at index `head` of a power-of-two buffer from the
heap, so an index wraps with a mask and no byte ever moves. Besides the bytes it
holds, a ring can be written ahead of its end (write_at(), then commit()): the receive
side keeps an out-of-order range there, at the very place in-order data will reach it,
so filling the hole needs no copy. Capacity 0 is allowed: such a ring holds nothing
and takes nothing.

The buffer is taken when the first bytes need it (ensure()), not when the ring is
made: a connection that never sends, or a half-open one, costs no buffer, and a SYN
flood no memory beyond the connections. When the heap cannot give the whole capacity,
ensure() takes the largest power of two down to MIN_CAPACITY it can get (the ring's
capacity shrinks to it), and reports failure only below that: the caller then drops
or refuses, it does not panic. release() gives the buffer back (the capacity is kept,
so the window arithmetic does not change); a released ring is empty. A buffer of a page
or more is whole pages from the page allocator (a power of two of them: no header
rounds it up to the next size, and nothing needs zeroing), a smaller one a heap block.
buffer_bytes counts the bytes the rings hold, for netstat and the tests.
"""

from kaa.lang import *
import kernel.mm.pages as pages
import kernel.net.wire.field as field


MIN_CAPACITY: Final = 1024            # ensure() settles for a buffer this small at least

buffer_bytes: u64 = 0                  # bytes of buffers the rings hold now


@struct
class Ring:
    buf: Bytes                         # size bytes from the heap; empty until ensure(), and after release()
    size: u32                          # capacity (a power of two, or 0)
    mask: u32                          # size - 1
    head: u32                          # index of the first byte held (below capacity)
    len: u32                           # bytes held

    def capacity(self) -> u32:
        return self.size

    def space(self) -> u32:
        return self.size - self.len


def is_power_of_two(n: u32) -> bool:
    return n != 0 and n & (n - 1) == 0


def init(r: Ptr[Ring], capacity: u32) -> None:
    """An empty ring of capacity bytes (a power of two); no buffer yet."""
    assert is_power_of_two(capacity), "tcp_ring.init: capacity must be a power of two"
    r[0] = Ring(size=capacity, mask=capacity - 1)


def ensure(r: Ptr[Ring]) -> bool:
    """The ring has its buffer (taken now if need be, maybe smaller: see above); False
    when not even MIN_CAPACITY bytes are free. Call it before the first write."""
    return ensure_at_most(r, r.size)


def ensure_at_most(r: Ptr[Ring], most: u32) -> bool:
    """ensure(), taking at most `most` bytes (a power of two, MIN_CAPACITY or more) if
    the buffer is taken now: the ring's capacity is then that."""
    global buffer_bytes
    if r.buf.ptr is not None or r.size == 0:
        return True
    n = r.size if r.size < most else most
    while True:
        p = take_buffer(n)
        if p.ptr is not None:
            buffer_bytes += u64(n)
            r.buf = p
            r.size = n
            r.mask = n - 1
            return True
        if n <= MIN_CAPACITY:
            return False
        n = n // 2


def has_buffer(r: Ptr[Ring]) -> bool:
    return r.buf.ptr is not None


def take_buffer(n: u32) -> Bytes:
    """n bytes, not zeroed, empty when memory is short; give_buffer() gives them back.
    From a page up they are whole pages from the page allocator, rounded up to pages but
    with no header: a 64 KiB buffer takes 16 pages (the heap, with its header, takes 17,
    which a buddy allocator rounds up to 32). Below a page, a heap block, and always on a
    host program that gave the page allocator no memory. For buffers a network peer
    makes us take (rings, HTTP connections): they may fail, never panic."""
    if n >= pages.PAGE and pages.region_count > 0:
        p = pages.alloc(page_count(u64(n)))
        if p == 0:
            return Bytes(ptr=None, len=0)
        return Bytes(ptr=cast(Ptr[u8], p), len=u64(n))
    return try_new_bytes(n)


def give_buffer(b: Bytes) -> None:
    if u64(len(b)) >= pages.PAGE and pages.region_count > 0:
        pages.release(cast(u64, b.ptr), page_count(u64(len(b))))
    elif b.ptr is not None:
        free(b)


def page_count(n: u64) -> u64:
    return (n + pages.PAGE - 1) // pages.PAGE


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
    """Give the buffer back: the ring is empty, its capacity unchanged."""
    global buffer_bytes
    if r.buf.ptr is not None:
        buffer_bytes -= u64(len(r.buf))
        give_buffer(r.buf)
    r.buf = Bytes(ptr=None, len=0)
    r.head = 0
    r.len = 0


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
    """Append as much of data as fits; how many bytes went in (0 as well when no
    buffer could be had: has_buffer() tells)."""
    n = u32(len(data))
    if n > r.space():
        n = r.space()
    if n == 0 or not ensure(r):
        return 0
    if n > r.space():
        n = r.space()                  # ensure() may have settled for less
    copy_in(r, r.head + r.len, data[0:n])
    r.len += n
    return n


def write_at(r: Ptr[Ring], offset: u32, data: Bytes) -> None:
    """Store data offset bytes past the end of what the ring holds, without holding
    it yet (commit() does). The caller checks offset + len(data) <= space()."""
    assert offset + u32(len(data)) <= r.space(), "tcp_ring.write_at: past the free space"
    assert len(data) == 0 or r.buf.ptr is not None, "tcp_ring.write_at: no buffer (ensure() first)"
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
