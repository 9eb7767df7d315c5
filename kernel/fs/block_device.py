"""BlockDevice: what the block cache needs from a disk driver, and nothing more.

virtio-blk fills one in on the machine; kernel/fs/ram_disk.py fills one in over memory,
so the cache and ext2 above run on the host as well (tests load a disk image file into
a RAM disk). I/O is in 512-byte sectors whatever the device's preferred block size.
The operations block the calling thread until the device is done and return OK or
one BlockError; the buffer must stay put meanwhile (on the machine, memory is
identity-mapped, so any kernel buffer can be handed to a device).
"""

from __future__ import annotations

from kaa.lang import *

SECTOR: Final = 512


class BlockError(IntEnum):
    OK = 0
    IO = 1                          # the device reported an I/O error
    RANGE = 2                       # the request reaches past the end of the device
    UNSUPPORTED = 3                 # the device does not do this request
    READ_ONLY = 4                   # a write to a read-only device
    NO_MEMORY = 5


@struct
class BlockStats:
    reads: u64                      # requests, as submitted to the device
    writes: u64
    flushes: u64
    sectors_read: u64
    sectors_written: u64
    errors: u64
    interrupts: u64


@struct
class BlockDevice:
    name: Str
    sectors: u64                    # capacity in 512-byte sectors
    block_size: u32                 # the device's preferred I/O unit (bytes, >= 512)
    read_only: bool
    driver: Ptr[None]
    # Read `count` sectors from `sector` into buf (count * 512 bytes).
    read: Fn[[Ptr[BlockDevice], u64, u32, Ptr[u8]], i32]
    # Write `count` sectors at `sector` from buf.
    write: Fn[[Ptr[BlockDevice], u64, u32, Ptr[u8]], i32]
    # Make every completed write durable (a no-op where the device has no write cache).
    flush: Fn[[Ptr[BlockDevice]], i32]
    stats: BlockStats


def error_name(e: i32) -> Str:
    if e == BlockError.OK:
        return "ok"
    if e == BlockError.IO:
        return "I/O error"
    if e == BlockError.RANGE:
        return "out of range"
    if e == BlockError.UNSUPPORTED:
        return "unsupported"
    if e == BlockError.READ_ONLY:
        return "read-only"
    if e == BlockError.NO_MEMORY:
        return "out of memory"
    return "unknown error"


def in_range(d: Ptr[BlockDevice], sector: u64, count: u32) -> bool:
    return sector <= d.sectors and u64(count) <= d.sectors - sector
