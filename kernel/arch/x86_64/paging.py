"""The identity map: boot.S's first 4 GiB, RAM above it mapped at start-up, and guard pages.

boot.S maps the first 4 GiB with 2 MiB pages (RAM below 4 GiB, the devices' MMIO, the
APIC). map_ram() extends the identity map over RAM above that, also with 2 MiB pages,
its page tables taken from mm/pages.py (start.py adds the RAM below 4 GiB to the
allocator first, so the tables always come from memory that is mapped already). Four
KiB of page directory map a GiB, so even large machines map in a blink.

unmap_page() takes one 4 KiB page out of the map, splitting its 2 MiB page into a table
of 4 KiB pages the first time; map_page() puts it back. The guards: page 0 (a
null-pointer access faults instead of reading the real-mode interrupt table), the page
below the boot stack, and the page below every thread stack (kernel/mm/stack.py), so a
stack overflow faults instead of overwriting what lies below.

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
ADDR_MASK: Final = 0x000FFFFFFFFFF000
BOOT_MAPPED: Final = 0x100000000    # boot.S maps the first 4 GiB
LARGE_PAGE: Final = 0x200000        # what a PD entry with HUGE maps
LOWER_HALF: Final = 0x800000000000  # the identity map lives below this (the lower half)

lock: SpinLock                      # CPUs may split or unmap at once (spawns on each CPU)


def table(entry: u64) -> Ptr[u64]:
    return cast(Ptr[u64], entry & ADDR_MASK)


def mapped(a: u64) -> bool:
    """Whether the page tables CR3 points at map address a (they are identity-mapped, so
    a table's physical address is its pointer). Guard pages and page 0 are not mapped."""
    if a >= LOWER_HALF:
        return False
    e = read_cr3()
    for level in range(4):
        e = table(e)[index(a, i32(level))]
        if e & PRESENT == 0:
            return False
        if level > 0 and e & HUGE != 0:
            return True
    return True


def map_ram(start: u64, end: u64) -> u64:
    """Identity-map [start, end) with 2 MiB pages (rounded out to them), at start-up,
    before other CPUs run. The end of what is mapped: end, or less when the lower half
    ends first or no page is left for a page table."""
    a = start & ~u64(LARGE_PAGE - 1)
    with lock:
        while a < end:
            if a >= LOWER_HALF:
                return a
            pde = entry(a, 2, True)
            if pde is None:
                return a
            while True:                 # the rest of this page directory, without walking again
                if pde[0] & PRESENT == 0:
                    pde[0] = a | PRESENT | WRITABLE | HUGE
                a += LARGE_PAGE
                pde += 1
                if a >= end or index(a, 2) == 0:
                    break
    return end


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
    pte = entry(va, 3, False) if va & (pages.PAGE - 1) == 0 and va < LOWER_HALF else None
    if pte is None:
        panic(f"paging: {va:#x} is not a page of the identity map")
    return pte


def entry(va: u64, depth: i32, create: bool) -> Ptr[u64]:
    """The entry for va in the table at depth 0 (the PML4) .. 3 (a page table), under
    lock. A 2 MiB page on the way is split; a missing table is made (zeroed) when
    create, else (or with no page left for it) the answer is None."""
    e = table(read_cr3()) + index(va, 0)
    for level in range(1, depth + 1):
        if e[0] & PRESENT == 0:
            if not create:
                return None
            p = pages.alloc(1)
            if p == 0:
                return None
            t = cast(Ptr[u64], p)
            for i in range(512):
                t[i] = 0
            e[0] = p | PRESENT | WRITABLE
        elif e[0] & HUGE != 0:
            if level != 3:
                panic(f"paging: {va:#x} lies in a 1 GiB page, which this map never uses")
            split(e)
        e = table(e[0]) + index(va, level)
    return e


def index(va: u64, level: i32) -> u64:
    """va's slot in a table at depth level (0: the PML4)."""
    return (va >> u64(39 - 9 * level)) & 511


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
