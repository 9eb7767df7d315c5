"""Fixed-size buffer pools: what the data path allocates from (packet buffers).

A pool carves `count` buffers of one size out of contiguous pages at set-up and keeps
the free ones on a list threaded through them. take() and give() are a few
instructions under an uncontended spin lock (a buffer may be freed on another CPU),
never call the general allocator, and take() returns None when the pool is empty, so
a burst degrades into drops instead of exhausting memory.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.mm.pages as pages

ALIGN: Final = 64               # a cache line: buffers never share one


@struct
class FreeBuffer:
    next: Ptr[FreeBuffer]


@struct
class Pool:
    lock: SpinLock
    free: Ptr[FreeBuffer]
    size: u64                   # bytes per buffer, rounded up to ALIGN
    count: u64
    available: u64
    base: u64                   # the pages holding every buffer
    misses: u64                 # take() calls that found the pool empty


def init(p: Ptr[Pool], size: u64, count: u64) -> bool:
    """Set up count buffers of size bytes; False when there is not enough memory."""
    p.size = (size + ALIGN - 1) & ~u64(ALIGN - 1)
    n = (p.size * count + pages.PAGE - 1) // pages.PAGE
    p.base = pages.alloc(n)
    if p.base == 0:
        return False
    p.count = count
    p.available = 0
    p.free = None
    for i in range(count):
        give(p, cast(Ptr[None], p.base + (count - 1 - i) * p.size))
    return True


def take(p: Ptr[Pool]) -> Ptr[None]:
    with p.lock:
        b = p.free
        if b is None:
            p.misses += 1
            return None
        p.free = b.next
        p.available -= 1
        return cast(Ptr[None], b)


def give(p: Ptr[Pool], buffer: Ptr[None]) -> None:
    b = cast(Ptr[FreeBuffer], buffer)
    with p.lock:
        b.next = p.free
        p.free = b
        p.available += 1


def owns(p: Ptr[Pool], buffer: Ptr[None]) -> bool:
    a = cast(u64, buffer)
    return p.base <= a < p.base + p.size * p.count and (a - p.base) % p.size == 0
