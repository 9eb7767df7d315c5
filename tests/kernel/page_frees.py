# Freeing in a fragmenting pattern loses nothing (kernel/mm/pages.py): 2,000 runs of 1
# to 9 pages, every other one freed first (1,000 free runs with a live run between
# each two: far more than any fixed table of free ranges holds), then heap blocks of a
# few KiB interleaved the same way, then the rest in another order. Free memory must
# come back to the byte, nothing counted lost or failed, and the allocator must be back
# where it started: a 16 MiB run comes from the very address it came from at first.
from kaa.lang import *
import kernel.mm.pages as pages

RUNS: Final = 2000
BLOCKS: Final = 600

runs: Array[u64, 2000]
sizes: Array[u64, 2000]
blocks: Array[Bytes, 600]


def main() -> i32:
    big_pages: u64 = 4096                   # 16 MiB
    first = pages.alloc(big_pages)
    pages.release(first, big_pages)
    start = pages.free_bytes()
    taken: u64 = 0
    for i in range(RUNS):
        sizes[i] = u64(i % 9 + 1)
        runs[i] = pages.alloc(sizes[i])
        if runs[i] == 0:
            print(f"run {i} failed")
            return 1
        cast(Ptr[u64], runs[i])[0] = u64(i)           # the runs are really ours: written, read back below
        taken += sizes[i] * pages.PAGE
    print(f"taken exactly: {start - pages.free_bytes() == taken}")
    for i in range(0, RUNS, 2):
        pages.release(runs[i], sizes[i])
        taken -= sizes[i] * pages.PAGE
    print(f"half freed, every free counted: {start - pages.free_bytes() == taken}")
    for i in range(BLOCKS):
        blocks[i] = new_array(u8, u64(4097 + (i % 7) * 3000))     # large heap blocks: pages underneath
    for i in range(0, BLOCKS, 2):
        free(blocks[i])
    corrupted = 0
    for i in range(1, RUNS, 2):
        if cast(Ptr[u64], runs[i])[0] != u64(i):
            corrupted += 1
    for i in range(RUNS - 1, 0, -2):
        pages.release(runs[i], sizes[i])
    for i in range(1, BLOCKS, 2):
        free(blocks[i])
    print(f"corrupted {corrupted} lost {pages.lost} failed {pages.failed}")
    print(f"all back: {pages.free_bytes() == start}")
    again = pages.alloc(big_pages)
    print(f"16 MiB from the same address: {again == first}")
    return 0
