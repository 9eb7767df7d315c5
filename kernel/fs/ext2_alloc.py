"""ext2 block and inode allocation: each group's bitmaps and the free counts.

A set bit in a group's block bitmap means its block is in use; in the inode bitmap,
its inode (bit i of group g is inode g * inodes_per_group + i + 1). Every allocation
and release changes the bit and the counts together: the group descriptor's and the
superblock's (kept in memory, written by ext2.sync). Blocks are looked for from a
goal (the block after the file's last one) so files stay contiguous; inodes of files
near their directory, directories in the group with the fewest directories.

A bitmap that says a metadata block is free is damage: the block is skipped and
counted, never handed out. Freeing a block or inode that is already free is counted
the same way and changes nothing.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.block_cache as block_cache
import kernel.fs.ext2 as ext2
from kernel.fs.error import Error
from kernel.fs.ext2 import Fs

NONE: Final = 0xFFFFFFFF


def find_zero(bits: Ptr[u8], start: u32, n: u32) -> u32:
    """The first clear bit at or after start and below n, wrapping to 0; NONE if none."""
    i = start
    for k in range(2):
        while i < n:
            if i & 7 == 0 and bits[i >> 3] == 0xFF:
                i += 8
                continue
            if bits[i >> 3] & (1 << (i & 7)) == 0:
                return i
            i += 1
        i = 0
        n = start if start < n else n
    return NONE


def take_bit(fs: Ptr[Fs], bitmap: u64, start: u32, n: u32, skip_meta: bool, base: u64) -> i64:
    """Set the first clear bit of a bitmap block from start (wrapping) below n; its
    index, -1 if there is none, or -Error."""
    b = block_cache.get(fs.cache, bitmap)
    if b is None:
        return -Error.IO
    i = find_zero(b.data, start, n)
    while i != NONE and skip_meta and ext2.is_metadata(fs, base + i):
        b.data[i >> 3] |= u8(1 << (i & 7))          # the bitmap lied; keep it off limits
        block_cache.mark_dirty(fs.cache, b)
        ext2.corrupt(fs, "block bitmap marks metadata free")
        i = find_zero(b.data, i, n)
    if i == NONE:
        block_cache.put(fs.cache, b)
        return -1
    b.data[i >> 3] |= u8(1 << (i & 7))
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    return i64(i)


def clear_bit(fs: Ptr[Fs], bitmap: u64, i: u32) -> i64:
    """Clear bit i; 1 if it was set, 0 if it was already clear, or -Error."""
    b = block_cache.get(fs.cache, bitmap)
    if b is None:
        return -Error.IO
    mask = u8(1 << (i & 7))
    was = b.data[i >> 3] & mask != 0
    if was:
        b.data[i >> 3] &= ~mask
        block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    return 1 if was else 0


def alloc_block(fs: Ptr[Fs], goal: u64) -> i64:
    """A free block, marked used (its contents are whatever the disk holds), or -Error."""
    if fs.read_only:
        return -Error.READ_ONLY
    sb = addr(fs.sb)
    g0: u32 = 0
    bit0: u32 = 0
    if sb.first_data_block <= goal < sb.blocks_count:
        g0 = u32((goal - sb.first_data_block) // sb.blocks_per_group)
        bit0 = u32((goal - sb.first_data_block) % sb.blocks_per_group)
    for k in range(fs.groups):
        g = u32((g0 + k) % fs.groups)
        d = addr(fs.gd[g])
        if d.free_blocks_count == 0:
            continue
        base = ext2.group_start(fs, g)
        i = take_bit(fs, d.block_bitmap, bit0 if k == 0 else 0, ext2.group_blocks(fs, g), True, base)
        if i < -1:
            return i
        if i == -1:
            continue                # the count was wrong: try further
        d.free_blocks_count -= 1
        if sb.free_blocks_count > 0:
            sb.free_blocks_count -= 1
        fs.meta_dirty = True
        return i64(base) + i
    return -Error.NO_SPACE


def free_block(fs: Ptr[Fs], block: u64) -> i64:
    if not ext2.block_ok(fs, block):
        return ext2.corrupt(fs, "freeing a block outside the data area")
    sb = addr(fs.sb)
    g = u32((block - sb.first_data_block) // sb.blocks_per_group)
    d = addr(fs.gd[g])
    block_cache.forget(fs.cache, block)
    r = clear_bit(fs, d.block_bitmap, u32((block - sb.first_data_block) % sb.blocks_per_group))
    if r < 0:
        return r
    if r == 0:
        return ext2.corrupt(fs, "freeing a free block")
    if d.free_blocks_count < ext2.group_blocks(fs, g):
        d.free_blocks_count += 1
    if sb.free_blocks_count < sb.blocks_count:
        sb.free_blocks_count += 1
    fs.meta_dirty = True
    return 0


def pick_group(fs: Ptr[Fs], parent_group: u32, is_dir: bool) -> u32:
    """Where to look for an inode first: a directory goes to the group with free inodes
    and blocks that holds the fewest directories, a file next to its directory."""
    if not is_dir:
        return parent_group
    best = parent_group
    fewest: u32 = NONE
    for g in range(fs.groups):
        d = addr(fs.gd[g])
        if d.free_inodes_count > 0 and d.free_blocks_count > 0 and d.used_dirs_count < fewest:
            fewest = d.used_dirs_count
            best = u32(g)
    return best


def alloc_inode(fs: Ptr[Fs], parent: u32, is_dir: bool) -> i64:
    """A free inode number, marked used, or -Error. The caller writes the inode."""
    if fs.read_only:
        return -Error.READ_ONLY
    sb = addr(fs.sb)
    ipg = sb.inodes_per_group
    g0 = pick_group(fs, (parent - 1) // ipg if 1 <= parent <= sb.inodes_count else 0, is_dir)
    for k in range(fs.groups):
        g = u32((g0 + k) % fs.groups)
        d = addr(fs.gd[g])
        if d.free_inodes_count == 0:
            continue
        first: u32 = 0
        base = u64(g) * ipg
        if base + 1 < fs.first_ino:
            first = u32(fs.first_ino - 1 - base) if fs.first_ino - 1 - base < ipg else ipg
        i = take_bit(fs, d.inode_bitmap, first, ipg, False, 0)
        if i < -1:
            return i
        if i == -1 or u64(i) < first:
            continue
        d.free_inodes_count -= 1
        if is_dir:
            d.used_dirs_count += 1
        if sb.free_inodes_count > 0:
            sb.free_inodes_count -= 1
        fs.meta_dirty = True
        return i64(base) + i + 1
    return -Error.NO_SPACE


def free_inode(fs: Ptr[Fs], ino: u32, is_dir: bool) -> i64:
    sb = addr(fs.sb)
    if ino < fs.first_ino or ino > sb.inodes_count:
        return ext2.corrupt(fs, "freeing a reserved or out-of-range inode")
    g = (ino - 1) // sb.inodes_per_group
    d = addr(fs.gd[g])
    r = clear_bit(fs, d.inode_bitmap, (ino - 1) % sb.inodes_per_group)
    if r < 0:
        return r
    if r == 0:
        return ext2.corrupt(fs, "freeing a free inode")
    if d.free_inodes_count < sb.inodes_per_group:
        d.free_inodes_count += 1
    if is_dir and d.used_dirs_count > 0:
        d.used_dirs_count -= 1
    if sb.free_inodes_count < sb.inodes_count:
        sb.free_inodes_count += 1
    fs.meta_dirty = True
    return 0
