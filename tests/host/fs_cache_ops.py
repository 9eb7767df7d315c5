# The block cache (kernel/fs/block_cache.py) over a RAM disk of 64 blocks of 1 KiB, with
# 8 buffers, driven by the command line; a shadow copy holds what each block should
# read as. Operations:
#   gB     get block B, check its bytes against the shadow, unpin it
#   wB:V   get block B, fill it with V, mark it dirty, unpin it
#   nB:V   get_new block B (no read), fill it with V, unpin it
#   pB     get block B and keep it pinned (fails, as it must, when all 8 are pinned)
#   u      unpin everything pinned
#   rB:N   read_through N blocks from B and check them
#   s      sync: afterwards the disk must equal the shadow
# At the end: unpin, sync, compare the whole disk. Prints one summary line.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.fs.block_cache as block_cache
import kernel.fs.ram_disk as ram_disk
from kernel.fs.block_cache import Buf, Cache
from kernel.fs.ram_disk import RamDisk

BLOCKS: Final = 64
BS: Final = 1024
BUFFERS: Final = 8

image: Array[u8, 65536]
shadow: Array[u8, 65536]
scratch: Array[u8, 65536]
disk: RamDisk
pinned: Array[Ptr[Buf], 64]
npinned: i32 = 0
mismatches: i32 = 0
refused: i32 = 0
wrong_refusals: i32 = 0
c: Ptr[Cache] = None


def number(s: Str, start: i64, end: Ptr[i64]) -> u64:
    n: u64 = 0
    i = start
    while i < len(s) and 48 <= s[i] <= 57:
        n = n * 10 + u64(s[i] - 48)
        i += 1
    end[0] = i
    return n


def same(a: Ptr[u8], b: Ptr[u8], n: u64) -> bool:
    for i in range(n):
        if a[i] != b[i]:
            return False
    return True


def cached(block: u64) -> bool:
    return block_cache.lookup(c, block) is not None


def get(block: u64) -> Ptr[Buf]:
    """get(), counting a refusal as right only when every buffer was pinned."""
    global refused, wrong_refusals
    was_cached = cached(block)
    b = block_cache.get(c, block)
    if b is None:
        refused += 1
        if was_cached or npinned < BUFFERS:
            wrong_refusals += 1
    return b


def apply(op: Str) -> None:
    global mismatches, npinned
    end: i64 = 0
    block = number(op, 1, addr(end)) % BLOCKS
    value: u64 = 0
    if end < len(op) and op[end] == 58:            # ':'
        value = number(op, end + 1, addr(end))
    k = op[0]
    if k == 103 or k == 119 or k == 112:            # g w p
        b = get(block)
        if b is None:
            return
        if not same(b.data, addr(shadow[block * BS]), BS):
            mismatches += 1
        if k == 119:
            for i in range(BS):
                b.data[i] = u8(value)
                shadow[block * BS + u64(i)] = u8(value)
            block_cache.mark_dirty(c, b)
        if k == 112 and npinned < 64:
            pinned[npinned] = b
            npinned += 1
        else:
            block_cache.put(c, b)
    elif k == 110:                                  # n
        was = cached(block)
        b = block_cache.get_new(c, block)
        if b is None:
            if was or npinned < BUFFERS:
                mismatches += 1
            return
        for i in range(BS):
            b.data[i] = u8(value)
            shadow[block * BS + u64(i)] = u8(value)
        block_cache.put(c, b)
    elif k == 117:                                  # u
        unpin()
    elif k == 114:                                  # r
        n = value if value > 0 else 1
        if block + n > BLOCKS:
            n = BLOCKS - block
        if block_cache.read_through(c, block, u32(n), addr(scratch[0])) != 0 or \
                not same(addr(scratch[0]), addr(shadow[block * BS]), n * BS):
            mismatches += 1
    elif k == 115:                                  # s
        if block_cache.sync(c) != 0 or not same(addr(image[0]), addr(shadow[0]), BLOCKS * BS):
            mismatches += 1


def unpin() -> None:
    global npinned
    for i in range(npinned):
        block_cache.put(c, pinned[i])
    npinned = 0


def main() -> i32:
    global c, mismatches
    for i in range(BLOCKS * BS):
        image[i] = u8(i * 13 + i // BS)
        shadow[i] = image[i]
    dev = ram_disk.init(addr(disk), addr(image[0]), BLOCKS * BS)
    c = block_cache.create(dev, BS, BUFFERS)
    args = cmdline.args()
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or args[i] == 32:
            if i > start:
                apply(args[start:i])
            start = i + 1
    unpin()
    if block_cache.sync(c) != 0 or not same(addr(image[0]), addr(shadow[0]), BLOCKS * BS):
        mismatches += 1
    dirty = 0
    for i in range(BUFFERS):
        if c.bufs[i].dirty:
            dirty += 1
    print(f"mismatches {mismatches} wrong_refusals {wrong_refusals} dirty {dirty} dirty_count {c.dirty_count}")
    print(f"requests {c.stats.write_requests} blocks {c.stats.blocks_written} refused {refused}")
    return 0
