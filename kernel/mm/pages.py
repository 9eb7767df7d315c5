"""Physical pages: a buddy allocator over the free RAM of the machine.

The kernel adds every RAM range of the PVH memory map (less the image and the first
MiB); each range becomes a region. Free memory is kept as blocks of 2**k pages aligned
to their size (k is the block's order), on one list per order, linked through the free
blocks themselves (a FreeBlock header in each block's first bytes). alloc(n) takes the
smallest listed block of at least n pages and gives back at once the pages past n;
release() splits a run into aligned blocks and merges each with its buddy (the block
it was split from) while the buddy is free too. So freeing needs no room of its own
and nothing freed is lost: any pattern of frees merges back into what the memory was
at the start. alloc and release cost a few steps per order.

Memory never handed out stays untouched: a region starts as one frontier [top, end)
that is on no list; alloc carves from the lowest frontier (at the alignment of the
request) only when no listed block is large enough, and a freed block that ends at the
frontier joins it again. So booting writes nothing into free memory (a first touch of
a page is slow in a VM: the host backs it then), and memory is used from low
addresses up.

Whether a buddy is free is told by its region's bitmap (one bit a page: set on the
first page of every listed block), never by the block's contents, which may be anything
while it is in use. The bitmap sits at the start of its region (one page of it covers
128 MiB) and is zeroed as the frontier recedes, not at boot. What cannot be used is
counted: ranges too small for their bitmap, or past the region table (`lost`), and
allocations no free run was large enough for (`failed`).

Memory is identity-mapped, so a physical address is also a pointer. Every CPU's heap
takes pages from here, so alloc() and release() hold a spin lock (brief: they loop
over orders and regions, never over the free memory).
"""

from __future__ import annotations

from kaa.lang import *

PAGE: Final = 4096
PAGE_SHIFT: Final = 12
ORDERS: Final = 27              # blocks of 1 page .. 2**26 pages (256 GiB)
MAX_REGIONS: Final = 32


@struct
class Region:
    start: u64                  # first page given out: the bitmap's pages lie just below
    end: u64
    top: u64                    # [top, end) is free and untouched: the frontier, on no list
    heads: Ptr[u64]             # bit i: the page at start + i * PAGE begins a listed block
    cleared: u64                # the bitmap is initialised for the pages below this (>= top)


@struct
class FreeBlock:                # the first bytes of a listed block
    next: Ptr[FreeBlock]        # its order's list
    prev: Ptr[FreeBlock]        # None: it is the list's first
    order: u64
    region: Ptr[Region]


free_lists: Array[Ptr[FreeBlock], ORDERS]
regions: Array[Region, MAX_REGIONS]
region_count: i32 = 0
free_total: u64 = 0             # bytes free: listed blocks and frontiers
ram_total: u64 = 0              # RAM in the machine's memory map, given to the allocator or not
lost: u64 = 0                   # bytes of RAM no region took
failed: u64 = 0                 # alloc() calls no free run was large enough for
lock: SpinLock


def add(start: u64, end: u64) -> None:
    """Give [start, end) to the allocator (at start-up, in ascending order, overlapping
    no other range); partial pages at either end are left out."""
    global region_count, lost, free_total
    s = (start + PAGE - 1) & ~u64(PAGE - 1)
    e = end & ~u64(PAGE - 1)
    if e <= s:
        return
    n = (e - s) >> PAGE_SHIFT
    bitmap_pages = ((n + 63) // 64 * 8 + PAGE - 1) >> PAGE_SHIFT
    if region_count == MAX_REGIONS or bitmap_pages >= n:
        lost += e - s
        return
    r = addr(regions[region_count])
    r.heads = cast(Ptr[u64], s)
    r.start = s + (bitmap_pages << PAGE_SHIFT)
    r.end = e
    r.top = r.start
    r.cleared = r.start
    with lock:
        region_count += 1
        free_total += r.end - r.start


def alloc(n: u64) -> u64:
    """The address of n contiguous free pages (aligned to the power of two at or above
    n), or 0 when no free run is large enough."""
    global failed, free_total
    if n == 0:
        return 0
    k = order_for(n)
    with lock:
        j = k
        while j < ORDERS and free_lists[j] is None:
            j += 1
        if j < ORDERS:
            b = free_lists[j]
            p = cast(u64, b)
            r = b.region
            unlink(b, j)
            clear_head(r, p)
            free_total -= n << PAGE_SHIFT
            free_run(r, p + (n << PAGE_SHIFT), p + size(j))     # the pages past n go back at once
            return p
        if k < ORDERS:
            for i in range(region_count):
                p = carve(addr(regions[i]), n, k)
                if p != 0:
                    free_total -= n << PAGE_SHIFT
                    return p
        failed += 1
        return 0


def release(p: u64, n: u64) -> None:
    """Give back n pages at p, which alloc() gave out (all of them, or a part)."""
    global free_total
    with lock:
        r = region_of(p)
        if r is None or p & (PAGE - 1) != 0 or p + (n << PAGE_SHIFT) > r.top:
            panic(f"pages.release: {p:#x} (+{n} pages) is not memory the allocator gave out")
        if is_head(r, p):
            panic(f"pages.release: {p:#x} is free already")
        free_total += n << PAGE_SHIFT
        free_run(r, p, p + (n << PAGE_SHIFT))


def free_bytes() -> u64:
    return free_total


def size(k: u64) -> u64:
    """Bytes in a block of order k."""
    return u64(PAGE) << k


def order_for(n: u64) -> u64:
    """The smallest order whose blocks hold n pages (ORDERS if none does)."""
    k: u64 = 0
    while k < ORDERS and (u64(1) << k) < n:
        k += 1
    return k


def carve(r: Ptr[Region], n: u64, k: u64) -> u64:
    """n pages from r's frontier, aligned as a block of order k; 0 if they do not fit.
    The pages skipped to align them go on the lists."""
    a = (r.top + size(k) - 1) & ~(size(k) - 1)      # no overflow: addresses and sizes stay below 2**48
    if a + (n << PAGE_SHIFT) > r.end:
        return 0
    skipped = r.top
    r.top = a + (n << PAGE_SHIFT)
    if r.top > r.cleared:
        clear_bitmap(r)
    if a > skipped:
        free_run(r, skipped, a)
    return a


def clear_bitmap(r: Ptr[Region]) -> None:
    """Zero the bitmap's words up to r.top: only as the frontier recedes, so booting
    costs the same however much RAM there is."""
    first = (r.cleared - r.start) >> (PAGE_SHIFT + 6)
    last = (r.top - r.start + (u64(64) << PAGE_SHIFT) - 1) >> (PAGE_SHIFT + 6)
    for i in range(first, last):
        r.heads[i] = 0
    r.cleared = r.start + (last << (PAGE_SHIFT + 6))


def free_run(r: Ptr[Region], s: u64, e: u64) -> None:
    """List [s, e) (under lock) as the largest aligned blocks that fit, each merged."""
    while s < e:
        k: u64 = 0
        while (k + 1 < ORDERS and ((s >> PAGE_SHIFT) & ((u64(1) << (k + 1)) - 1)) == 0
               and s + size(k + 1) <= e):
            k += 1
        free_block(r, s, k)
        s += size(k)


def free_block(r: Ptr[Region], p: u64, k: u64) -> None:
    """List the free block of order k at p, merged with its buddy while that is listed
    and whole (a listed block of the same order); or give it to the frontier it ends at."""
    while k + 1 < ORDERS:
        buddy = p ^ size(k)
        if buddy < r.start or buddy >= r.top or not is_head(r, buddy):
            break
        b = cast(Ptr[FreeBlock], buddy)
        if b.order != k:
            break
        unlink(b, k)
        clear_head(r, buddy)
        if buddy < p:
            p = buddy
        k += 1
    if p + size(k) == r.top:
        r.top = p
        absorb_below(r)
        return
    b = cast(Ptr[FreeBlock], p)
    b.order = k
    b.region = r
    b.prev = None
    b.next = free_lists[k]
    if b.next is not None:
        b.next.prev = b
    free_lists[k] = b
    set_head(r, p)


def absorb_below(r: Ptr[Region]) -> None:
    """Move the listed blocks that end where r's frontier starts into the frontier."""
    k: u64 = 0
    while k < ORDERS and r.top - r.start >= size(k):
        q = r.top - size(k)
        if is_head(r, q) and cast(Ptr[FreeBlock], q).order == k:
            unlink(cast(Ptr[FreeBlock], q), k)
            clear_head(r, q)
            r.top = q
            k = 0
        else:
            k += 1


def unlink(b: Ptr[FreeBlock], k: u64) -> None:
    if b.prev is None:
        free_lists[k] = b.next
    else:
        b.prev.next = b.next
    if b.next is not None:
        b.next.prev = b.prev


def region_of(p: u64) -> Ptr[Region]:
    for i in range(region_count):
        r = addr(regions[i])
        if r.start <= p < r.end:
            return r
    return None


def is_head(r: Ptr[Region], p: u64) -> bool:
    i = (p - r.start) >> PAGE_SHIFT
    return (r.heads[i >> 6] >> (i & 63)) & 1 != 0


def set_head(r: Ptr[Region], p: u64) -> None:
    i = (p - r.start) >> PAGE_SHIFT
    r.heads[i >> 6] |= u64(1) << (i & 63)


def clear_head(r: Ptr[Region], p: u64) -> None:
    i = (p - r.start) >> PAGE_SHIFT
    r.heads[i >> 6] &= ~(u64(1) << (i & 63))
