# The page allocator (kernel/mm/pages.py), built for the host and driven by the command
# line over two arenas (two regions, the second not page-aligned): "+N" allocates N
# pages into the next slot, "-K" frees slot K, "/K" frees the second half of slot K
# first (a partial release, as a caller may). Every live run is filled with its
# slot's pattern and checked when freed; each new run is checked against every live
# run for overlap and for its alignment. After freeing all, the free lists must hold
# exactly the blocks they held at the start (every free merged back) and no byte may
# be missing. Prints a summary.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.mm.pages as pages

SLOTS: Final = 4096
BLOCKS: Final = 256

arena1: Array[u8, 4194304]
arena2: Array[u8, 1200000]
live: Array[Bytes, 4096]
start_blocks: Array[u64, 256]       # address | order, as listed at the start
start_count: i64 = 0
overlaps: i64 = 0
corrupted: i64 = 0
misaligned: i64 = 0
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
        if olo < hi and lo < olo + u64(len(o)):
            overlaps += 1


def check(b: Bytes, slot: i64) -> None:
    global corrupted
    for x in b:
        if x != u8(slot * 7 + 1):
            corrupted += 1


def release(slot: i64, halves: bool) -> None:
    b = live[slot]
    if b.ptr is None:
        return
    check(b, slot)
    n = u64(len(b)) // pages.PAGE
    p = cast(u64, b.ptr)
    if halves and n > 1:
        pages.release(p + n // 2 * pages.PAGE, n - n // 2)
        pages.release(p, n // 2)
    else:
        pages.release(p, n)
    live[slot] = Bytes(ptr=None, len=0)


def apply(op: Str, slot: i64) -> i64:
    global failed, misaligned
    if op[0] == 43:                 # '+'
        n = u64(number(op, 1))
        p = pages.alloc(n)
        if p == 0:
            failed += 1
            return slot
        if p % (pages.size(pages.order_for(n))) != 0:
            misaligned += 1
        b = Bytes(ptr=cast(Ptr[u8], p), len=n * pages.PAGE)
        check_overlap(b)
        fill(b, slot)
        live[slot] = b
        return slot + 1
    release(number(op, 1), op[0] == 47)     # '/'
    return slot


def blocks(out: Ptr[u64], cap: i64) -> i64:
    """Every free block, as address | order, in list order."""
    n: i64 = 0
    for k in range(pages.ORDERS):
        b = pages.free_lists[k]
        while b is not None:
            if n < cap:
                out[n] = cast(u64, b) | u64(k)
            n += 1
            b = b.next
    return n


def same_blocks() -> bool:
    now: Array[u64, 256]
    n = blocks(addr(now[0]), BLOCKS)
    if n != start_count:
        return False
    for i in range(n):
        found = False
        for j in range(n):
            if now[i] == start_blocks[j]:
                found = True
        if not found:
            return False
    return True


def main() -> i32:
    global start_count
    pages.add(cast(u64, addr(arena1[0])), cast(u64, addr(arena1[0])) + len(arena1))
    pages.add(cast(u64, addr(arena2[0])) + 100, cast(u64, addr(arena2[0])) + len(arena2))
    initial = pages.free_bytes()
    start_count = blocks(addr(start_blocks[0]), BLOCKS)
    args = cmdline.args()
    slot = 0
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or args[i] == 32:
            if i > start:
                slot = apply(args[start:i], slot)
            start = i + 1
    print(f"live {initial - pages.free_bytes() == used()}")
    for k in range(slot):
        release(k, False)
    print(f"overlaps {overlaps} corrupted {corrupted} misaligned {misaligned} lost {pages.lost}")
    print(f"all free {pages.free_bytes() == initial} merged {same_blocks()} failed {failed == i64(pages.failed)}")
    return 0


def used() -> u64:
    total: u64 = 0
    for k in range(SLOTS):
        total += u64(len(live[k]))
    return total
