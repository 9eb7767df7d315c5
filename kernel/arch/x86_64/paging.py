"""Changes to boot.S's identity map of the first 4 GiB.

boot.S maps everything with 2 MiB pages. The first 2 MiB are remapped with 4 KiB
pages less page 0, so that a null-pointer access faults instead of reading the
real-mode interrupt table.
"""

from kaa.lang import *
import kernel.mm.pages as pages

PRESENT: Final = 1
WRITABLE: Final = 2
ADDR_MASK: Final = 0x000FFFFFFFFFF000


def table(entry: u64) -> Ptr[u64]:
    return cast(Ptr[u64], entry & ADDR_MASK)


def guard_null_page() -> None:
    pml4 = table(read_cr3())
    pd = table(table(pml4[0])[0])
    p = pages.alloc(1)
    if p == 0:
        panic("guard_null_page: no page for a page table")
    pt = cast(Ptr[u64], p)
    for i in range(512):
        pt[i] = u64(i) * pages.PAGE | PRESENT | WRITABLE
    pt[0] = 0
    pd[0] = p | PRESENT | WRITABLE
    write_cr3(read_cr3())           # flush the TLB
