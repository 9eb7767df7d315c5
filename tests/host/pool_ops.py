# kernel/mm/pool.py on the host: take every buffer, check they are distinct, aligned and
# inside the pool; an empty pool says None; given back, the same buffers come out again.
from kaa.lang import *
import kernel.mm.pages as pages
import kernel.mm.pool as pool

arena: Array[u8, 1048576]
p: pool.Pool
taken: Array[Ptr[None], 300]


def main() -> i32:
    pages.add(cast(u64, addr(arena[0])), cast(u64, addr(arena[0])) + len(arena))
    print("init:", pool.init(addr(p), 1500, 300), "size", p.size, "available", p.available)
    bad = 0
    for i in range(300):
        taken[i] = pool.take(addr(p))
        if taken[i] is None or not pool.owns(addr(p), taken[i]) or cast(u64, taken[i]) % 64 != 0:
            bad += 1
        cast(Ptr[u64], taken[i])[0] = u64(i)            # the buffer is ours: write it
    for i in range(300):
        if cast(Ptr[u64], taken[i])[0] != u64(i):
            bad += 1
    print("bad buffers:", bad, "empty pool gives None:", pool.take(addr(p)) is None, "misses", p.misses)
    for i in range(300):
        pool.give(addr(p), taken[i])
    again = 0
    for i in range(300):
        if pool.owns(addr(p), pool.take(addr(p))):
            again += 1
    print("taken again:", again, "too big for memory:", pool.init(addr(p), 4096, 1000))
    return 0
