"""The kernel heap behind new, try_new, new_array and free.

Small blocks come in power-of-two size classes (16 B .. 4 KiB), each with a free list;
larger blocks are whole pages kept on one first-fit list when freed. Fresh memory is
carved from the largest RAM region of the PVH memory map above the kernel image. Every
block starts with a 16-byte header holding its size, so free needs no size argument.
Blocks are zeroed on allocation.

One heap for the machine; interrupts never allocate.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.pvh as pvh

HEADER: Final = 16
MIN_SHIFT: Final = 4            # 16-byte class
CLASSES: Final = 9              # 16 .. 4096
PAGE: Final = 4096
MAPPED_LIMIT: Final = 0x100000000   # boot.S maps the first 4 GiB


@struct
class Block:
    size: u64                   # bytes after the header
    next: Ptr[Block]            # free-list link while free


@extern
def __kernel_end() -> None: ...


free_small: Array[Ptr[Block], 9]
free_large: Ptr[Block] = None
cursor: u64 = 0
limit: u64 = 0
in_use: u64 = 0


def init(info: Ptr[pvh.StartInfo]) -> None:
    global cursor, limit
    image_end = (cast(u64, __kernel_end) + PAGE - 1) & ~u64(PAGE - 1)
    for e in pvh.memmap(info):
        if e.type != pvh.MEMMAP_RAM:
            continue
        start = e.addr if e.addr > image_end else image_end
        end = e.addr + e.size
        if end > MAPPED_LIMIT:
            end = MAPPED_LIMIT
        if end > start and end - start > limit - cursor:
            cursor = start
            limit = end


def free_bytes() -> u64:
    return limit - cursor


def size_class(size: u64) -> i32:
    c = 0
    while (u64(1) << (c + MIN_SHIFT)) < size:
        c += 1
    return i32(c)


def carve(size: u64) -> Ptr[Block]:
    global cursor
    if limit - cursor < size + HEADER:
        return None
    b = cast(Ptr[Block], cursor)
    cursor += size + HEADER
    b.size = size
    return b


def take_large(size: u64) -> Ptr[Block]:
    global free_large
    prev: Ptr[Block] = None
    b = free_large
    while b is not None:
        if b.size >= size:
            if prev is None:
                free_large = b.next
            else:
                prev.next = b.next
            return b
        prev = b
        b = b.next
    return carve(size)


@export("kaa_alloc")
def alloc(size: u64) -> Ptr[None]:
    global in_use
    b: Ptr[Block] = None
    if size + HEADER <= PAGE:
        c = size_class(size)
        b = free_small[c]
        if b is not None:
            free_small[c] = b.next
        else:
            b = carve(u64(1) << (c + MIN_SHIFT))
    else:
        b = take_large((size + HEADER + PAGE - 1) & ~u64(PAGE - 1))
    if b is None:
        return None
    in_use += b.size
    data = cast(Ptr[u64], b) + HEADER // 8
    for i in range(b.size // 8):
        data[i] = 0
    return cast(Ptr[None], data)


@export("kaa_free")
def release(p: Ptr[None]) -> None:
    global free_large, in_use
    if p is None:
        return
    b = cast(Ptr[Block], cast(u64, p) - HEADER)
    in_use -= b.size
    if b.size + HEADER <= PAGE:
        c = size_class(b.size)
        b.next = free_small[c]
        free_small[c] = b
    else:
        b.next = free_large
        free_large = b
