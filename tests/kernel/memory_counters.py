# netstat's memory rows count what failed (kernel/mm/usage.py): with the network up,
# ask the page allocator for 8 GiB (more than the machine has) and the heap for 4 GiB
# (which asks the page allocator in turn); boot with `netstat` on the command line and
# the exit hook prints the rows.
from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.mm.heap as heap
import kernel.mm.pages as pages
import kernel.net.net as net


def main() -> i32:
    if not net.up():
        return 1
    p = pages.alloc(u64(1) << 21)
    b = heap.alloc(addr(cpu.this().heap), u64(1) << 32)
    print(f"8 GiB of pages: {p}; 4 GiB from the heap: {b is None}")
    return 0
