"""A write-back cache of file-system blocks over a BlockDevice.

A fixed number of buffers of one block size, found by block number through a hash
table and kept on an LRU list (most recently used first). get() returns a buffer
pinned (refs > 0) with the block's contents, reading it on a miss into the least
recently used unpinned buffer; get_new() does the same for a block about to be
overwritten whole, without reading it. Writers call mark_dirty(); nothing reaches the
disk until a dirty buffer is evicted or sync() runs. Either way every dirty buffer is
written, in block order, consecutive blocks gathered into one request through a bounce
buffer, so eviction under a stream of writes costs few device requests. sync() then
flushes the device's own write cache.

Invariants: a buffer is in the hash table exactly when `valid`; a pinned buffer is
never evicted; `dirty` implies `valid`. The cache is not thread-safe: its user
serialises calls (vfs.py holds one lock around every file-system operation), and a
call may block in the device meanwhile.
"""

from __future__ import annotations

from kaa.lang import *
from kernel.fs.block_device import SECTOR, BlockDevice, BlockError

MIN_BUFFERS: Final = 8
BOUNCE_BYTES: Final = 65536         # largest write request when gathering a run


@struct
class Buf:
    block: u64
    data: Ptr[u8]
    refs: i32
    valid: bool
    dirty: bool
    hash_next: Ptr[Buf]
    newer: Ptr[Buf]                 # LRU links
    older: Ptr[Buf]


@struct
class CacheStats:
    hits: u64
    misses: u64
    evictions: u64
    blocks_written: u64
    write_requests: u64
    direct_reads: u64               # blocks read_through() took straight from the device


@struct
class Cache:
    dev: Ptr[BlockDevice]
    block_size: u32
    sectors_per_block: u32
    blocks: u64                     # the device's capacity in blocks
    bufs: Slice[Buf]
    memory: Slice[u8]
    buckets: Slice[Ptr[Buf]]
    mask: u64
    newest: Ptr[Buf]
    oldest: Ptr[Buf]
    dirty_count: u32
    order: Slice[Ptr[Buf]]          # scratch for writeback: dirty buffers by block
    bounce: Slice[u8]
    error: i32                      # the BlockError of the last failed call
    stats: CacheStats


def create(dev: Ptr[BlockDevice], block_size: u32, count: u32) -> Ptr[Cache]:
    """A cache of count buffers (at least MIN_BUFFERS) of block_size bytes (a multiple of
    512), or None without memory."""
    if block_size < SECTOR or block_size % SECTOR != 0:
        return None
    n = count if count >= MIN_BUFFERS else MIN_BUFFERS
    c = try_new(Cache)
    if c is None:
        return None
    c.dev = dev
    c.block_size = block_size
    c.sectors_per_block = block_size // SECTOR
    c.blocks = dev.sectors // c.sectors_per_block
    c.bufs = new_array(Buf, n)
    c.memory = new_array(u8, u64(n) * block_size)
    nb: u64 = 1
    while nb < u64(n):
        nb *= 2
    c.buckets = new_array(Ptr[Buf], nb)
    c.mask = nb - 1
    c.order = new_array(Ptr[Buf], n)
    bounce = u64(BOUNCE_BYTES) if block_size <= BOUNCE_BYTES else u64(block_size)
    c.bounce = new_array(u8, bounce)
    for i in range(n):
        b = addr(c.bufs[i])
        b.data = addr(c.memory[u64(i) * block_size])
        link_newest(c, b)
    return c


def destroy(c: Ptr[Cache]) -> None:
    """Free the cache (dirty buffers are lost: sync first)."""
    free(c.bufs)
    free(c.memory)
    free(c.buckets)
    free(c.order)
    free(c.bounce)
    free(c)


# --- the LRU list and the hash table ---

def unlink(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    if b.newer is not None:
        b.newer.older = b.older
    else:
        c.newest = b.older
    if b.older is not None:
        b.older.newer = b.newer
    else:
        c.oldest = b.newer
    b.newer = None
    b.older = None


def link_newest(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    b.older = c.newest
    b.newer = None
    if c.newest is not None:
        c.newest.newer = b
    else:
        c.oldest = b
    c.newest = b


def touch(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    if c.newest != b:
        unlink(c, b)
        link_newest(c, b)


def lookup(c: Ptr[Cache], block: u64) -> Ptr[Buf]:
    b = c.buckets[block & c.mask]
    while b is not None and b.block != block:
        b = b.hash_next
    return b


def hash_in(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    slot = addr(c.buckets[b.block & c.mask])
    b.hash_next = slot[0]
    slot[0] = b
    b.valid = True


def hash_out(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    if not b.valid:
        return
    slot = addr(c.buckets[b.block & c.mask])
    while slot[0] != b:
        slot = addr(slot[0].hash_next)
    slot[0] = b.hash_next
    b.hash_next = None
    b.valid = False


# --- getting and releasing buffers ---

def victim(c: Ptr[Cache]) -> Ptr[Buf]:
    """The least recently used unpinned buffer, made clean and unhashed; None if every
    buffer is pinned or writing back failed (c.error says which)."""
    b = c.oldest
    while b is not None and b.refs > 0:
        b = b.newer
    if b is None:
        c.error = BlockError.NO_MEMORY
        return None
    if b.dirty and writeback(c) != BlockError.OK:
        return None
    if b.valid:
        c.stats.evictions += 1
    hash_out(c, b)
    return b


def get(c: Ptr[Cache], block: u64) -> Ptr[Buf]:
    """The buffer holding block, pinned; None on a device error or when every buffer is
    pinned (c.error)."""
    if block >= c.blocks:
        c.error = BlockError.RANGE
        return None
    b = lookup(c, block)
    if b is not None:
        c.stats.hits += 1
    else:
        b = victim(c)
        if b is None:
            return None
        err = c.dev.read(c.dev, block * c.sectors_per_block, c.sectors_per_block, b.data)
        if err != BlockError.OK:
            c.error = err
            return None
        c.stats.misses += 1
        b.block = block
        hash_in(c, b)
    b.refs += 1
    touch(c, b)
    return b


def get_new(c: Ptr[Cache], block: u64) -> Ptr[Buf]:
    """The buffer for block, pinned, zeroed and dirty: for a block the caller fills."""
    if block >= c.blocks:
        c.error = BlockError.RANGE
        return None
    b = lookup(c, block)
    if b is None:
        b = victim(c)
        if b is None:
            return None
        b.block = block
        hash_in(c, b)
    p = cast(Ptr[u64], b.data)
    for i in range(c.block_size // 8):
        p[i] = 0
    b.refs += 1
    touch(c, b)
    mark_dirty(c, b)
    return b


def put(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    """Unpin a buffer from get() or get_new()."""
    if b is not None and b.refs > 0:
        b.refs -= 1


def mark_dirty(c: Ptr[Cache], b: Ptr[Buf]) -> None:
    if not b.dirty:
        b.dirty = True
        c.dirty_count += 1


def forget(c: Ptr[Cache], block: u64) -> None:
    """Drop block's buffer without writing it (the block was freed)."""
    b = lookup(c, block)
    if b is None or b.refs > 0:
        return
    if b.dirty:
        b.dirty = False
        c.dirty_count -= 1
    hash_out(c, b)


# --- reading around the cache, writing back ---

def read_through(c: Ptr[Cache], block: u64, count: u32, dest: Ptr[u8]) -> i32:
    """Copy count consecutive blocks into dest: cached ones from their buffers (they may
    be newer than the disk), runs of the others straight from the device, without
    filling the cache (a large sequential read would only flush it)."""
    if block >= c.blocks or u64(count) > c.blocks - block:
        c.error = BlockError.RANGE
        return BlockError.RANGE
    bs = u64(c.block_size)
    i: u32 = 0
    while i < count:
        b = lookup(c, block + i)
        if b is not None:
            copy(dest + u64(i) * bs, b.data, bs)
            c.stats.hits += 1
            i += 1
            continue
        j = i + 1
        while j < count and lookup(c, block + j) is None:
            j += 1
        err = c.dev.read(c.dev, (block + i) * c.sectors_per_block, (j - i) * c.sectors_per_block,
                         dest + u64(i) * bs)
        if err != BlockError.OK:
            c.error = err
            return err
        c.stats.direct_reads += j - i
        i = j
    return BlockError.OK


def writeback(c: Ptr[Cache]) -> i32:
    """Write every dirty buffer, in block order, runs of consecutive blocks together."""
    n = 0
    for i in range(len(c.bufs)):
        b = addr(c.bufs[i])
        if b.dirty:
            j = n
            while j > 0 and c.order[j - 1].block > b.block:      # insertion sort
                c.order[j] = c.order[j - 1]
                j -= 1
            c.order[j] = b
            n += 1
    first: i32 = BlockError.OK
    per_run = len(c.bounce) // c.block_size
    i = 0
    while i < n:
        j = i + 1
        while j < n and j - i < per_run and c.order[j].block == c.order[j - 1].block + 1:
            j += 1
        err = write_run(c, i, j)
        if err != BlockError.OK and first == BlockError.OK:
            first = err
        i = j
    if first != BlockError.OK:
        c.error = first
    return first


def write_run(c: Ptr[Cache], i: i64, j: i64) -> i32:
    """Write order[i:j] (consecutive blocks) in one request; mark them clean on success."""
    bs = u64(c.block_size)
    src = c.order[i].data
    if j - i > 1:
        src = c.bounce.ptr
        for k in range(i, j):
            copy(src + u64(k - i) * bs, c.order[k].data, bs)
    count = u32(j - i)
    err = c.dev.write(c.dev, c.order[i].block * c.sectors_per_block, count * c.sectors_per_block, src)
    if err != BlockError.OK:
        return err
    c.stats.write_requests += 1
    c.stats.blocks_written += count
    for k in range(i, j):
        c.order[k].dirty = False
        c.dirty_count -= 1
    return BlockError.OK


def sync(c: Ptr[Cache]) -> i32:
    """Write every dirty buffer, then flush the device: after OK, all is on the disk."""
    err = writeback(c)
    if err != BlockError.OK:
        return err
    err = c.dev.flush(c.dev)
    if err != BlockError.OK and err != BlockError.UNSUPPORTED:
        c.error = err
        return err
    return BlockError.OK


def copy(dst: Ptr[u8], src: Ptr[u8], n: u64) -> None:
    if (cast(u64, dst) | cast(u64, src) | n) & 7 == 0:
        d = cast(Ptr[u64], dst)
        s = cast(Ptr[u64], src)
        for i in range(n // 8):
            d[i] = s[i]
        return
    for i in range(n):
        dst[i] = src[i]
