"""Thread stacks: whole pages with an unmapped guard page below.

A stack grows down, so an overflow runs off its low end into the guard page and
faults there (a double fault, since the CPU cannot push the page fault's frame on the
overflowed stack; gdt.py gives double faults their own stack) instead of overwriting
whatever memory lies below. Stacks come straight from mm/pages.py, page-aligned, not
from the heap. The guard is unmapped by the CPU that will run on the stack, when the
thread starts (arm()): unmap_page flushes only that CPU's TLB, and paging.py explains
why that is enough.
"""

from kaa.lang import *
import kernel.arch.x86_64.paging as paging
import kernel.mm.pages as pages


def alloc(size: u64) -> Bytes:
    """size bytes (a whole number of pages) of stack above a guard page; ptr None when out of memory."""
    n = size // pages.PAGE
    base = pages.alloc(n + 1)
    if base == 0:
        return Bytes(ptr=None, len=0)
    return Bytes(ptr=cast(Ptr[u8], base + pages.PAGE), len=size)


def arm(stack: Bytes) -> None:
    """Unmap the guard: call it on the CPU that runs on the stack, before it grows."""
    paging.unmap_page(guard(stack))


def release(stack: Bytes) -> None:
    """Map the guard back and return the stack and its guard to the page allocator."""
    g = guard(stack)
    paging.map_page(g)
    pages.release(g, u64(len(stack)) // pages.PAGE + 1)


def guard(stack: Bytes) -> u64:
    return cast(u64, stack.ptr) - pages.PAGE
