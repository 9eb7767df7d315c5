"""A BlockDevice over memory: a disk image held in a buffer the caller owns.

Host tests read an image file into one and save it back after the file system wrote
to it; a service can use one as a scratch disk. `fail_after` injects I/O errors: once
that many more sectors have been written, every further request fails with IO (0 is
off), which is how tests see what ext2 does when the disk goes away mid-operation.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.block_device as block_device
from kernel.fs.block_device import SECTOR, BlockDevice, BlockError


@struct
class RamDisk:
    dev: BlockDevice                # first: a Ptr[BlockDevice] is a Ptr[RamDisk]
    data: Ptr[u8]
    fail_after: u64                 # sectors still to be written before requests fail (0: never)
    failing: bool


def init(r: Ptr[RamDisk], data: Ptr[u8], size: u64) -> Ptr[BlockDevice]:
    """Serve the size bytes at data (whole sectors) as a disk."""
    r.data = data
    r.fail_after = 0
    r.failing = False
    d = addr(r.dev)
    d.name = "ram"
    d.sectors = size // SECTOR
    d.block_size = SECTOR
    d.read_only = False
    d.driver = cast(Ptr[None], r)
    d.read = read
    d.write = write
    d.flush = flush
    return d


def copy(dst: Ptr[u8], src: Ptr[u8], n: u64) -> None:
    for i in range(n):
        dst[i] = src[i]


def read(d: Ptr[BlockDevice], sector: u64, count: u32, buf: Ptr[u8]) -> i32:
    r = cast(Ptr[RamDisk], d)
    if r.failing:
        d.stats.errors += 1
        return BlockError.IO
    if not block_device.in_range(d, sector, count):
        d.stats.errors += 1
        return BlockError.RANGE
    copy(buf, r.data + sector * SECTOR, u64(count) * SECTOR)
    d.stats.reads += 1
    d.stats.sectors_read += count
    return BlockError.OK


def write(d: Ptr[BlockDevice], sector: u64, count: u32, buf: Ptr[u8]) -> i32:
    r = cast(Ptr[RamDisk], d)
    if r.failing:
        d.stats.errors += 1
        return BlockError.IO
    if d.read_only:
        return BlockError.READ_ONLY
    if not block_device.in_range(d, sector, count):
        d.stats.errors += 1
        return BlockError.RANGE
    if r.fail_after > 0:
        if u64(count) >= r.fail_after:
            r.failing = True
            d.stats.errors += 1
            return BlockError.IO
        r.fail_after -= count
    copy(r.data + sector * SECTOR, buf, u64(count) * SECTOR)
    d.stats.writes += 1
    d.stats.sectors_written += count
    return BlockError.OK


def flush(d: Ptr[BlockDevice]) -> i32:
    r = cast(Ptr[RamDisk], d)
    d.stats.flushes += 1
    return BlockError.IO if r.failing else BlockError.OK
