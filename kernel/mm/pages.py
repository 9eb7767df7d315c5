"""Physical pages: the free RAM of the machine as a sorted list of free ranges.

The kernel adds every RAM range of the PVH memory map (less the image and the first
MiB), then hands out runs of whole 4 KiB pages first-fit. Freed runs are merged with
their neighbours, so the list stays short. Memory is identity-mapped, so a physical
address is also a pointer. Every CPU's heap takes runs from here, so alloc() and
free() hold a spin lock (the list is short and the critical sections are brief).
"""

from kaa.lang import *

PAGE: Final = 4096
MAX_RANGES: Final = 128


@struct
class Range:
    start: u64
    end: u64


free_ranges: Array[Range, 128]
count: i32 = 0
free_total: u64 = 0
ram_total: u64 = 0              # RAM in the machine's memory map, given to the allocator or not
lost: u64 = 0                   # bytes dropped because the range table was full
lock: SpinLock


def add(start: u64, end: u64) -> None:
    """Give [start, end) to the allocator; partial pages at either end are left out."""
    global count, free_total, lost
    s = (start + PAGE - 1) & ~u64(PAGE - 1)
    e = end & ~u64(PAGE - 1)
    if e <= s:
        return
    i: i32 = 0
    while i < count and free_ranges[i].start < s:
        i += 1
    if i > 0 and free_ranges[i - 1].end == s:           # grows the range before it
        free_ranges[i - 1].end = e
        if i < count and free_ranges[i].start == e:     # and closes the gap to the next
            free_ranges[i - 1].end = free_ranges[i].end
            remove(i)
    elif i < count and free_ranges[i].start == e:       # grows the range after it
        free_ranges[i].start = s
    else:
        if count == MAX_RANGES:
            lost += e - s
            return
        for j in range(count, i, -1):
            free_ranges[j] = free_ranges[j - 1]
        free_ranges[i] = Range(start=s, end=e)
        count += 1
    free_total += e - s


def remove(i: i32) -> None:
    global count
    for j in range(i, count - 1):
        free_ranges[j] = free_ranges[j + 1]
    count -= 1


def alloc(n: u64) -> u64:
    """The address of n contiguous free pages, or 0 when no run is long enough."""
    with lock:
        return take(n * PAGE)


def take(size: u64) -> u64:
    global free_total
    for i in range(count):
        r = addr(free_ranges[i])
        if r.end - r.start >= size:
            p = r.start
            r.start += size
            if r.start == r.end:
                remove(i32(i))
            free_total -= size
            return p
    return 0


def release(p: u64, n: u64) -> None:
    with lock:
        add(p, p + n * PAGE)


def free_bytes() -> u64:
    return free_total
