# RAM above 4 GiB is mapped and used (kernel/arch/x86_64/start.py, paging.map_ram):
# take every free page (64 MiB runs, then smaller ones), write the first and last
# word of each run and read them back, the top of RAM included; then give back part
# of a run above 4 GiB and start a thread there: its stack lies above 4 GiB and its
# guard page is unmapped there (a 2 MiB page of the new map split). Finally every page
# goes back but one: the page table of that split, which stays. Boot with --memory
# above 4 GiB (QEMU puts RAM past its 32-bit window above 4 GiB).
from kaa.lang import *
import kernel.arch.x86_64.paging as paging
import kernel.mm.pages as pages
import kernel.mm.stack as stack
import kernel.threads as threads

FOUR_GIB: Final = 0x100000000
MAX_RUNS: Final = 4096
GIVEN_BACK: Final = 256             # pages of a high run returned for the thread (1 MiB)

runs: Array[u64, 4096]
sizes: Array[u64, 4096]
count: i64 = 0


def take_everything() -> bool:
    """Every free page, in runs as large as come; False if a run does not read back."""
    global count
    k: i32 = 14                     # 64 MiB
    while k >= 0 and count < MAX_RUNS:
        n = u64(1) << u64(k)
        p = pages.alloc(n)
        if p == 0:
            k -= 1
            continue
        first = cast(Ptr[u64], p)
        last = cast(Ptr[u64], p + n * pages.PAGE - 8)
        first[0] = p
        last[0] = ~p
        if first[0] != p or last[0] != ~p:
            return False
        runs[count] = p
        sizes[count] = n
        count += 1
    return True


def where(arg: u64) -> i64:
    """On the new thread: where its stack is, and whether its guard page faults."""
    local: u64 = arg
    me = threads.current()
    unmapped = not paging.mapped(stack.guard(me.stack))
    return i64(cast(u64, addr(local))) if unmapped else 0


def main() -> i32:
    threads.join(threads.spawn(where, 0, 0))    # the heap's first chunk, for Thread structs, is taken now
    start = pages.free_bytes()
    ok = take_everything()
    high = 0
    top: u64 = 0
    for i in range(count):
        if runs[i] >= FOUR_GIB and high == 0:
            high = i
        end = runs[i] + sizes[i] * pages.PAGE
        if end > top:
            top = end
    ram_top = pages.regions[pages.region_count - 1].end
    print(f"every run read back: {ok}; runs above 4 GiB: {high > 0}; top of RAM reached: {top == ram_top}")
    print(f"free left: {pages.free_bytes()} bytes")
    if high == 0 or sizes[high] <= GIVEN_BACK:
        return 1
    sizes[high] -= GIVEN_BACK
    pages.release(runs[high] + sizes[high] * pages.PAGE, GIVEN_BACK)
    t = threads.spawn(where, 1, 0)
    s = u64(threads.join(t))
    print(f"thread stack above 4 GiB with its guard unmapped: {s >= FOUR_GIB}")
    for i in range(count):
        pages.release(runs[i], sizes[i])
    print(f"pages not back: {(start - pages.free_bytes()) // pages.PAGE}")     # the table that split the guard's 2 MiB page
    return 0
