"""What memory the machine has and what it could not do: the rows `netstat` prints.

Page allocator and heaps, summed over every CPU: what is free and in use, the
allocations that failed (the service saw a None, or new() panicked) and the RAM the
allocator could not take. Read without locks: each counter is one aligned u64, and a
row may be a moment older than the next.
"""

from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.mm.pages as pages


def row(name: Str, v: u64) -> None:
    print(f"  {name:<22}{v:>12}")


def dump() -> None:
    in_use: u64 = 0
    failed: u64 = 0
    for i in range(cpu.count):
        h = addr(cpu.percpu[i].heap)
        in_use += h.in_use          # a block freed on another CPU counts off there: only the sum is right
        failed += h.failed
    print("memory:")
    row("ram_kib", pages.ram_total >> 10)
    row("pages_free_kib", pages.free_bytes() >> 10)
    row("pages_failed", pages.failed)
    row("pages_lost_kib", pages.lost >> 10)
    row("heap_in_use_kib", in_use >> 10)
    row("heap_failed", failed)
