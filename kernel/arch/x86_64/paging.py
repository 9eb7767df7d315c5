"""Unmapped pages in boot.S's identity map of the first 4 GiB: guards that fault.

boot.S maps everything with 2 MiB pages. unmap_page() takes one 4 KiB page out of the
map, splitting its 2 MiB page into a table of 4 KiB pages the first time; map_page()
puts it back. The guards: page 0 (a null-pointer access faults instead of reading the
real-mode interrupt table), the page below the boot stack, and the page below every
thread stack (kernel/mm/stack.py), so a stack overflow faults instead of overwriting
what lies below.

Every CPU uses these tables. A split keeps every translation as it was (same frames,
same rights), so no CPU's TLB goes wrong. unmap_page() flushes only the calling CPU's
TLB: another CPU may still cache a translation of the page (through its 2 MiB page,
say) and would not fault there. No shootdown IPI is needed because a guard only has to
fault on the CPU whose stack it guards, and that CPU unmaps it itself before the stack
is used (stack.arm; a thread stays on its CPU); no other CPU touches a guard page.
map_page() needs no flush at all: x86 TLBs never cache a not-present entry.
"""

from kaa.lang import *
import kernel.mm.pages as pages

PRESENT: Final = 1
WRITABLE: Final = 2
HUGE: Final = 0x80                  # a PD (PDPT) entry that maps 2 MiB (1 GiB) itself
LOW_HALF_BITS: Final = 47           # the identity map lives in the lower half
ADDR_MASK: Final = 0x000FFFFFFFFFF000
MAPPED_LIMIT: Final = 0x100000000   # boot.S maps the first 4 GiB

lock: SpinLock                      # CPUs may split or unmap at once (spawns on each CPU)


def table(entry: u64) -> Ptr[u64]:
    return cast(Ptr[u64], entry & ADDR_MASK)


def mapped(a: u64) -> bool:
    """Whether the page tables CR3 points at map address a (they are identity-mapped, so
    a table's physical address is its pointer). Guard pages and page 0 are not mapped."""
    if a >> LOW_HALF_BITS != 0:
        return False
    entry = read_cr3()
    for level in range(4):
        e = table(entry)[(a >> u64(39 - 9 * level)) & 511]
        if e & PRESENT == 0:
            return False
        if level > 0 and e & HUGE != 0:
            return True
        entry = e
    return True


def unmap_page(va: u64) -> None:
    """Make the 4 KiB page at va fault on every access (from this CPU at once; see above)."""
    with lock:
        pte = page_entry(va)
        pte[0] = pte[0] & ~u64(PRESENT)
    invalidate(va)


def map_page(va: u64) -> None:
    """Undo unmap_page(va): the page is plain identity-mapped memory again."""
    with lock:
        pte = page_entry(va)
        pte[0] = pte[0] | PRESENT


def invalidate(va: u64) -> None:
    """Drop this CPU's cached translation of va (and its cached page-table entries)."""
    asm("invlpg (%0)", ins=[("r", va)], clobbers=["memory"])


def page_entry(va: u64) -> Ptr[u64]:
    """The 4 KiB page-table entry for va (under lock), splitting its 2 MiB page if needed."""
    if va >= MAPPED_LIMIT or va & (pages.PAGE - 1) != 0:
        panic(f"paging: {va:#x} is not a page of the identity map")
    pml4 = table(read_cr3())
    pd = table(table(pml4[0])[va >> 30])
    pde = pd + ((va >> 21) & 511)
    if pde[0] & HUGE != 0:
        split(pde)
    return table(pde[0]) + ((va >> 12) & 511)


def split(pde: Ptr[u64]) -> None:
    """Replace a 2 MiB mapping by a table of 512 4 KiB pages with the same frames and rights."""
    p = pages.alloc(1)
    if p == 0:
        panic("paging: out of memory for a page table")
    pt = cast(Ptr[u64], p)
    base = pde[0] & ADDR_MASK & ~u64(0x1FFFFF)
    flags = pde[0] & 0xFFF & ~u64(HUGE)
    for i in range(512):
        pt[i] = (base + u64(i) * pages.PAGE) | flags
    atomic_store(pde, p | PRESENT | WRITABLE)      # one store: other CPUs see old or new, both right
