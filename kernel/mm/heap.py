"""The heap behind new, try_new, new_array and free: size classes over whole pages.

Blocks up to 4 KiB (header included) come in power-of-two classes from 16 B, each
class with a free list; fresh small blocks are carved from 64 KiB chunks of pages.
Larger blocks are runs of pages taken from and returned to mm/pages.py. Every block
starts with a 16-byte header holding its usable size, so free needs no size. Blocks
are zeroed when handed out.

Each CPU has its own Heap (DESIGN.md section 4: no locks on per-CPU data); a block
freed on another CPU joins that CPU's free list. The same code runs on the host
target, over an arena, for property tests.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.mm.pages as pages

HEADER: Final = 16
MIN_SHIFT: Final = 4            # the 16-byte class
CLASSES: Final = 9              # 16 B .. 4 KiB
SMALL_MAX: Final = 4096         # largest small block, header included
CHUNK_PAGES: Final = 16


@struct
class Block:
    size: u64                   # usable bytes after the header
    next: Ptr[Block]            # free-list link while the block is free


@struct
class Heap:
    free_small: Array[Ptr[Block], 9]
    cursor: u64                 # fresh memory of the current chunk
    limit: u64
    in_use: u64                 # usable bytes handed out, less those freed on this CPU
    failed: u64                 # alloc() calls that found no memory (try_new's None, new's panic)


def class_of(total: u64) -> i32:
    """The smallest class whose blocks (header included) hold `total` bytes."""
    c = 0
    while (u64(1) << (c + MIN_SHIFT)) < total:
        c += 1
    return i32(c)


def alloc(h: Ptr[Heap], size: u64) -> Ptr[None]:
    """size zeroed bytes, or None when memory is exhausted."""
    b: Ptr[Block] = None
    if size > SMALL_MAX - HEADER:
        n = (size + HEADER + pages.PAGE - 1) // pages.PAGE
        p = pages.alloc(n)
        if p == 0:
            h.failed += 1
            return None
        b = cast(Ptr[Block], p)
        b.size = n * pages.PAGE - HEADER
    else:
        c = class_of(size + HEADER)
        b = h.free_small[c]
        if b is not None:
            h.free_small[c] = b.next
        else:
            b = carve(h, u64(1) << (c + MIN_SHIFT))
            if b is None:
                h.failed += 1
                return None
    h.in_use += b.size
    data = cast(Ptr[u64], b) + HEADER // 8
    for i in range(b.size // 8):
        data[i] = 0
    return cast(Ptr[None], data)


def carve(h: Ptr[Heap], total: u64) -> Ptr[Block]:
    if h.limit - h.cursor < total:
        recycle(h)
        p = pages.alloc(CHUNK_PAGES)
        if p == 0:
            return None
        h.cursor = p
        h.limit = p + CHUNK_PAGES * pages.PAGE
    b = cast(Ptr[Block], h.cursor)
    h.cursor += total
    b.size = total - HEADER
    return b


def recycle(h: Ptr[Heap]) -> None:
    """Put what is left of the current chunk on the free lists, largest classes first."""
    c = CLASSES - 1
    while h.limit - h.cursor >= (u64(1) << MIN_SHIFT):
        size = u64(1) << (c + MIN_SHIFT)
        if size > h.limit - h.cursor:
            c -= 1
            continue
        b = cast(Ptr[Block], h.cursor)
        h.cursor += size
        b.size = size - HEADER
        b.next = h.free_small[c]
        h.free_small[c] = b


def held_bytes(h: Ptr[Heap]) -> u64:
    """Bytes this heap holds but has not handed out: its free lists and fresh chunk space."""
    total = h.limit - h.cursor
    for c in range(CLASSES):
        b = h.free_small[c]
        while b is not None:
            total += b.size + HEADER
            b = b.next
    return total


def release(h: Ptr[Heap], p: Ptr[None]) -> None:
    if p is None:
        return
    b = cast(Ptr[Block], cast(u64, p) - HEADER)
    h.in_use -= b.size
    if b.size + HEADER > SMALL_MAX:
        pages.release(cast(u64, b), (b.size + HEADER) // pages.PAGE)
        return
    c = class_of(b.size + HEADER)
    b.next = h.free_small[c]
    h.free_small[c] = b
