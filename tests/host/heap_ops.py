# The kernel heap (kernel/mm/heap.py over kernel/mm/pages.py), built for the host and
# driven by the command line: "+N" allocates N bytes into the next slot, "-K" frees
# slot K. Every live block is filled with its slot's pattern and checked when freed;
# each new block is checked against every live block for overlap. After freeing all,
# every byte of the arena must be free again: in the page allocator or on the heap's
# free lists. Prints a summary.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.mm.heap as heap
import kernel.mm.pages as pages

ARENA: Final = 8 << 20
SLOTS: Final = 4096

arena: Array[u8, 8388608]
live: Array[Bytes, 4096]
h: heap.Heap
overlaps: i64 = 0
corrupted: i64 = 0
failed: i64 = 0


def number(s: Str, start: i64) -> i64:
    n = 0
    for i in range(start, len(s)):
        n = n * 10 + i64(s[i] - 48)
    return n


def fill(b: Bytes, slot: i64) -> None:
    for j in range(len(b)):
        b[j] = u8(slot * 7 + 1)


def check_overlap(b: Bytes) -> None:
    global overlaps
    lo = cast(u64, b.ptr)
    hi = lo + u64(len(b))
    for k in range(SLOTS):
        o = live[k]
        if o.ptr is None or cast(u64, o.ptr) == lo:
            continue
        olo = cast(u64, o.ptr)
        if olo < hi and lo < olo + u64(len(o)) and len(b) > 0 and len(o) > 0:
            overlaps += 1


def release(slot: i64) -> None:
    global corrupted
    b = live[slot]
    if b.ptr is None:
        return
    for x in b:
        if x != u8(slot * 7 + 1):
            corrupted += 1
    heap.release(addr(h), cast(Ptr[None], b.ptr))
    live[slot] = Bytes(ptr=None, len=0)


def apply(op: Str, slot: i64) -> i64:
    global failed
    if op[0] == 43:                 # '+'
        size = number(op, 1)
        p = heap.alloc(addr(h), u64(size))
        if p is None:
            failed += 1
            return slot
        b = Bytes(ptr=cast(Ptr[u8], p), len=size)
        check_overlap(b)
        fill(b, slot)
        live[slot] = b
        return slot + 1
    release(number(op, 1))
    return slot


def main() -> i32:
    pages.add(cast(u64, addr(arena[0])), cast(u64, addr(arena[0])) + ARENA)
    initial = pages.free_bytes()
    args = cmdline.args()
    slot = 0
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or args[i] == 32:
            if i > start:
                slot = apply(args[start:i], slot)
            start = i + 1
    for k in range(slot):
        release(k)
    print(f"overlaps {overlaps} corrupted {corrupted} failed {failed} in_use {h.in_use}")
    print(f"accounted {pages.free_bytes() + heap.held_bytes(addr(h)) == initial}")
    return 0
