"""ext2 inodes: reading and writing them, the block map, file data, truncation.

A Node is the in-memory copy of one inode (the first 128 bytes, which every revision
shares); callers read it, change it, mark it dirty and write it back. The block map is
the classic one: i_block[0..11] point at data, i_block[12] at an indirect block of
block numbers, [13] at a double- and [14] at a triple-indirect one; a zero anywhere is
a hole that reads as zeros. bmap() walks (and with create, grows) that tree; every
block number it meets is checked against the file system before use, so a damaged
inode or indirect block fails with CORRUPT instead of leading the code astray.
i_blocks counts 512-byte sectors of data and indirect blocks (and an extended
attribute block), and e2fsck checks it: every allocation and release here keeps it.

truncate() frees from the end down, an indirect block once it covers nothing kept,
and zeroes the tail of a last partial block so a later extension reads zeros.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.block_cache as block_cache
import kernel.fs.ext2 as ext2
import kernel.fs.ext2_alloc as ext2_alloc
import kernel.fs.ext2_layout as layout
from kernel.fs.error import Error
from kernel.fs.ext2 import Fs
from kernel.fs.ext2_layout import Inode, InodeExtra

MAX_RUN: Final = 256                # blocks read_through() takes in one go


@struct
class Node:
    ino: u32
    i: Inode
    goal: u64                       # where this file's next block should go
    dirty: bool


@struct
class Mapped:
    block: u64                      # 0: a hole
    fresh: bool                     # just allocated: its contents are not the file's yet


def locate(fs: Ptr[Fs], ino: u32, block: Ptr[u64], offset: Ptr[u32]) -> i64:
    if ino < 1 or ino > fs.sb.inodes_count:
        return ext2.corrupt(fs, "inode number out of range")
    ipg = fs.sb.inodes_per_group
    g = (ino - 1) // ipg
    byte = u64((ino - 1) % ipg) * fs.inode_size
    block[0] = u64(fs.gd[g].inode_table) + byte // fs.block_size
    offset[0] = u32(byte % fs.block_size)
    return 0


def read_inode(fs: Ptr[Fs], ino: u32, n: Ptr[Node]) -> i64:
    blk: u64 = 0
    off: u32 = 0
    r = locate(fs, ino, addr(blk), addr(off))
    if r < 0:
        return r
    b = block_cache.get(fs.cache, blk)
    if b is None:
        return -Error.IO
    n.i = cast(Ptr[Inode], b.data + off)[0]
    block_cache.put(fs.cache, b)
    n.ino = ino
    n.goal = 0
    n.dirty = False
    return 0


def write_inode(fs: Ptr[Fs], n: Ptr[Node]) -> i64:
    if not n.dirty:
        return 0
    blk: u64 = 0
    off: u32 = 0
    r = locate(fs, n.ino, addr(blk), addr(off))
    if r < 0:
        return r
    b = block_cache.get(fs.cache, blk)
    if b is None:
        return -Error.IO
    cast(Ptr[Inode], b.data + off)[0] = n.i
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    n.dirty = False
    return 0


def init_new(fs: Ptr[Fs], n: Ptr[Node], ino: u32, mode: u16) -> i64:
    """Make n a fresh inode ino of the given mode (one link, no blocks) and write its
    whole on-disk slot, the space past 128 bytes included."""
    t = ext2.now(fs)
    n.ino = ino
    n.i = Inode(mode=mode, links_count=1, atime=t, ctime=t, mtime=t)
    n.goal = 0
    blk: u64 = 0
    off: u32 = 0
    r = locate(fs, ino, addr(blk), addr(off))
    if r < 0:
        return r
    b = block_cache.get(fs.cache, blk)
    if b is None:
        return -Error.IO
    p = b.data + off
    for k in range(fs.inode_size):
        p[k] = 0
    if fs.inode_size >= layout.GOOD_OLD_INODE_SIZE + layout.EXTRA_ISIZE:
        x = cast(Ptr[InodeExtra], p + layout.GOOD_OLD_INODE_SIZE)
        x.extra_isize = layout.EXTRA_ISIZE
        x.crtime = t
    cast(Ptr[Inode], p)[0] = n.i
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    n.dirty = False
    return 0


def size(fs: Ptr[Fs], n: Ptr[Node]) -> u64:
    s = u64(n.i.size)
    if layout.is_reg(n.i.mode) and fs.sb.rev_level >= layout.REV_DYNAMIC:
        s |= u64(n.i.size_high) << 32
    return s


def max_size(fs: Ptr[Fs], n: Ptr[Node]) -> u64:
    """The largest size n may grow to: the block map's reach, 4 GiB without size_high."""
    apb = u64(fs.addr_per_block)
    blocks = layout.N_DIRECT + apb + apb * apb + apb * apb * apb
    limit = blocks * fs.block_size
    if not layout.is_reg(n.i.mode) or fs.sb.rev_level < layout.REV_DYNAMIC:
        if limit > 0xFFFFFFFF:
            limit = 0xFFFFFFFF
    return limit


def set_size(fs: Ptr[Fs], n: Ptr[Node], s: u64) -> None:
    n.i.size = u32(s & 0xFFFFFFFF)
    if layout.is_reg(n.i.mode) and fs.sb.rev_level >= layout.REV_DYNAMIC:
        n.i.size_high = u32(s >> 32)
        if s > 0x7FFFFFFF and fs.sb.feature_ro_compat & layout.RO_COMPAT_LARGE_FILE == 0:
            fs.sb.feature_ro_compat |= layout.RO_COMPAT_LARGE_FILE
            fs.meta_dirty = True
    n.dirty = True


def touch(fs: Ptr[Fs], n: Ptr[Node]) -> None:
    """The contents changed: mtime and ctime are now."""
    t = ext2.now(fs)
    n.i.mtime = t
    n.i.ctime = t
    n.dirty = True


def has_block_map(fs: Ptr[Fs], n: Ptr[Node]) -> bool:
    """i_block holds block numbers: regular files, directories and symlinks whose target
    did not fit in i_block itself (devices, fifos and fast symlinks keep other data)."""
    t = n.i.mode & layout.S_IFMT
    if t == layout.S_IFREG or t == layout.S_IFDIR:
        return True
    if t != layout.S_IFLNK:
        return False
    xattr = fs.sectors_per_block if n.i.file_acl != 0 else 0
    return n.i.blocks != xattr


def new_block(fs: Ptr[Fs], n: Ptr[Node], zeroed: bool) -> i64:
    """Allocate a block for n near its last one, counted in i_blocks; zeroed in the
    cache if asked (for indirect blocks)."""
    goal = n.goal
    if goal == 0:
        goal = ext2.group_start(fs, (n.ino - 1) // fs.sb.inodes_per_group)
    b = ext2_alloc.alloc_block(fs, goal)
    if b < 0:
        return b
    if zeroed:
        buf = block_cache.get_new(fs.cache, u64(b))
        if buf is None:
            ext2_alloc.free_block(fs, u64(b))
            return -Error.IO
        block_cache.put(fs.cache, buf)
    n.goal = u64(b) + 1
    n.i.blocks += fs.sectors_per_block
    n.dirty = True
    return b


def bmap(fs: Ptr[Fs], n: Ptr[Node], lblock: u64, create: bool, out: Ptr[Mapped]) -> i64:
    """The disk block holding block lblock of n (0 for a hole); with create, holes on
    the way are filled (fresh tells a new data block). 0 or -Error."""
    out.block = 0
    out.fresh = False
    if n.i.flags & layout.EXTENTS_FL:
        return -Error.NOT_SUPPORTED
    apb = u64(fs.addr_per_block)
    idx: Array[u64, 3]
    depth = 0
    slot = lblock
    l = lblock - layout.N_DIRECT
    if lblock < layout.N_DIRECT:
        pass
    elif l < apb:
        slot = layout.IND
        depth = 1
        idx[0] = l
    elif l - apb < apb * apb:
        l -= apb
        slot = layout.DIND
        depth = 2
        idx[0] = l // apb
        idx[1] = l % apb
    elif l - apb - apb * apb < apb * apb * apb:
        l -= apb + apb * apb
        slot = layout.TIND
        depth = 3
        idx[0] = l // (apb * apb)
        idx[1] = (l // apb) % apb
        idx[2] = l % apb
    else:
        return -Error.FILE_TOO_BIG
    blk = u64(n.i.block[slot])
    if blk == 0:
        if not create:
            return 0
        r = new_block(fs, n, depth > 0)
        if r < 0:
            return r
        blk = u64(r)
        n.i.block[slot] = u32(blk)
        out.fresh = depth == 0
    elif not ext2.block_ok(fs, blk):
        return ext2.corrupt(fs, "inode points outside the data area")
    for level in range(depth):
        b = block_cache.get(fs.cache, blk)
        if b is None:
            return -Error.IO
        entries = cast(Ptr[u32], b.data)
        e = u64(entries[idx[level]])
        if e == 0:
            if not create:
                block_cache.put(fs.cache, b)
                return 0
            r = new_block(fs, n, level < depth - 1)
            if r < 0:
                block_cache.put(fs.cache, b)
                return r
            e = u64(r)
            entries[idx[level]] = u32(e)
            block_cache.mark_dirty(fs.cache, b)
            out.fresh = level == depth - 1
        elif not ext2.block_ok(fs, e):
            block_cache.put(fs.cache, b)
            return ext2.corrupt(fs, "indirect block points outside the data area")
        block_cache.put(fs.cache, b)
        blk = e
    out.block = blk
    if blk >= n.goal:
        n.goal = blk + 1
    return 0


def zero(p: Ptr[u8], count: u64) -> None:
    for k in range(count):
        p[k] = 0


def read(fs: Ptr[Fs], n: Ptr[Node], offset: u64, buf: Ptr[u8], count: u64) -> i64:
    """Copy up to count bytes from offset into buf; the count read (0 at the end), or -Error."""
    sz = size(fs, n)
    if offset >= sz:
        return 0
    if count > sz - offset:
        count = sz - offset
    bs = u64(fs.block_size)
    done: u64 = 0
    m: Mapped
    while done < count:
        pos = offset + done
        lb = pos // bs
        within = pos % bs
        chunk = bs - within if bs - within < count - done else count - done
        r = bmap(fs, n, lb, False, addr(m))
        if r < 0:
            return i64(done) if done > 0 else r
        if m.block == 0:
            zero(buf + done, chunk)
        elif chunk == bs:
            run = contiguous(fs, n, lb, m.block, (count - done) // bs)
            err = block_cache.read_through(fs.cache, m.block, u32(run), buf + done)
            if err != 0:
                return i64(done) if done > 0 else -Error.IO
            chunk = run * bs
        else:
            b = block_cache.get(fs.cache, m.block)
            if b is None:
                return i64(done) if done > 0 else -Error.IO
            block_cache.copy(buf + done, b.data + within, chunk)
            block_cache.put(fs.cache, b)
        done += chunk
    return i64(done)


def contiguous(fs: Ptr[Fs], n: Ptr[Node], lb: u64, first: u64, most: u64) -> u64:
    """How many of the blocks from lb (at most `most`) lie one after another from first."""
    run: u64 = 1
    m: Mapped
    while run < most and run < MAX_RUN:
        if bmap(fs, n, lb + run, False, addr(m)) < 0 or m.block != first + run:
            break
        run += 1
    return run


def write(fs: Ptr[Fs], n: Ptr[Node], offset: u64, buf: Ptr[u8], count: u64, keep_times: bool) -> i64:
    """Write count bytes at offset, growing the file; the count written, or -Error when
    nothing could be. The inode is written back if it changed: always, unless keep_times
    (then only when the write allocated blocks or grew the file, so an overwrite of
    allocated blocks dirties nothing but those blocks)."""
    if fs.read_only:
        return -Error.READ_ONLY
    limit = max_size(fs, n)
    if offset > limit or count > limit - offset:
        return -Error.FILE_TOO_BIG
    bs = u64(fs.block_size)
    done: u64 = 0
    err: i64 = 0
    m: Mapped
    while done < count:
        pos = offset + done
        within = pos % bs
        chunk = bs - within if bs - within < count - done else count - done
        err = bmap(fs, n, pos // bs, True, addr(m))
        if err < 0:
            break
        b = block_cache.get_new(fs.cache, m.block) if m.fresh or chunk == bs else block_cache.get(fs.cache, m.block)
        if b is None:
            err = -Error.IO
            break
        block_cache.copy(b.data + within, buf + done, chunk)
        block_cache.mark_dirty(fs.cache, b)
        block_cache.put(fs.cache, b)
        done += chunk
        if pos + chunk > size(fs, n):
            set_size(fs, n, pos + chunk)
    if done > 0 and not keep_times:
        touch(fs, n)
    r = write_inode(fs, n)
    if done == 0:
        return err if err < 0 else r
    return i64(done)


def span(fs: Ptr[Fs], level: u32) -> u64:
    """File blocks under one pointer of a tree level (0: a data block)."""
    s: u64 = 1
    for k in range(level):
        s *= fs.addr_per_block
    return s


def trim(fs: Ptr[Fs], n: Ptr[Node], slot: Ptr[u32], owner: Ptr[block_cache.Buf], level: u32, start: u64,
         cut: u64) -> i64:
    """Free the blocks at and past file block `cut` under *slot, which covers file blocks
    from start at this level; owner is the indirect block holding slot (None: the inode)."""
    blk = u64(slot[0])
    size_here = span(fs, level)
    if blk == 0 or start + size_here <= cut:
        return 0
    if not ext2.block_ok(fs, blk):
        r = ext2.corrupt(fs, "truncating a pointer outside the data area")
        slot[0] = 0                 # drop it: nothing of ours is there
        dirty_slot(fs, n, owner)
        return r
    if level > 0:
        b = block_cache.get(fs.cache, blk)
        if b is None:
            return -Error.IO
        entries = cast(Ptr[u32], b.data)
        child = size_here // fs.addr_per_block
        for j in range(fs.addr_per_block):
            r = trim(fs, n, addr(entries[j]), b, level - 1, start + u64(j) * child, cut)
            if r < 0 and r != -Error.CORRUPT:
                block_cache.put(fs.cache, b)
                return r
        block_cache.put(fs.cache, b)
    if start >= cut:
        slot[0] = 0
        dirty_slot(fs, n, owner)
        if n.i.blocks >= fs.sectors_per_block:
            n.i.blocks -= fs.sectors_per_block
        n.dirty = True
        return ext2_alloc.free_block(fs, blk)
    return 0


def dirty_slot(fs: Ptr[Fs], n: Ptr[Node], owner: Ptr[block_cache.Buf]) -> None:
    if owner is None:
        n.dirty = True
    else:
        block_cache.mark_dirty(fs.cache, owner)


def free_from(fs: Ptr[Fs], n: Ptr[Node], cut: u64) -> i64:
    """Free every block of n at file block cut and after."""
    if not has_block_map(fs, n):
        return 0
    apb = u64(fs.addr_per_block)
    first: i64 = 0
    for k in range(layout.N_BLOCKS):
        start = u64(k)
        level: u32 = 0
        if k == layout.IND:
            level = 1
        elif k == layout.DIND:
            start = layout.N_DIRECT + apb
            level = 2
        elif k == layout.TIND:
            start = layout.N_DIRECT + apb + apb * apb
            level = 3
        r = trim(fs, n, addr(n.i.block[k]), None, level, start, cut)
        if r < 0 and first == 0:
            first = r
    return first


def truncate(fs: Ptr[Fs], n: Ptr[Node], new_size: u64) -> i64:
    """Set n's size, freeing blocks past it; the inode is written back."""
    if fs.read_only:
        return -Error.READ_ONLY
    if new_size > max_size(fs, n):
        return -Error.FILE_TOO_BIG
    bs = u64(fs.block_size)
    old = size(fs, n)
    r: i64 = 0
    if new_size < old and has_block_map(fs, n):
        if new_size % bs != 0:
            r = zero_tail(fs, n, new_size)
        if r == 0:
            r = free_from(fs, n, (new_size + bs - 1) // bs)
    if r < 0 and r != -Error.CORRUPT:
        return r
    set_size(fs, n, new_size)
    touch(fs, n)
    w = write_inode(fs, n)
    return r if r < 0 else w


def zero_tail(fs: Ptr[Fs], n: Ptr[Node], at: u64) -> i64:
    """Zero the last block's bytes from `at` on, so growing the file again reads zeros."""
    bs = u64(fs.block_size)
    m: Mapped
    r = bmap(fs, n, at // bs, False, addr(m))
    if r < 0 or m.block == 0:
        return r
    b = block_cache.get(fs.cache, m.block)
    if b is None:
        return -Error.IO
    zero(b.data + at % bs, bs - at % bs)
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    return 0


def release(fs: Ptr[Fs], n: Ptr[Node]) -> i64:
    """n has no links left: free its blocks, its attribute block and the inode itself."""
    is_dir = layout.is_dir(n.i.mode)
    r = free_from(fs, n, 0)
    if n.i.file_acl != 0:
        x = release_xattr(fs, n)
        if r == 0:
            r = x
    n.i.links_count = 0
    # A deleted inode has a dtime, and e2fsck reads one below the inode count as a link
    # in ext3's orphan list: without a sensible clock, say the inode count.
    n.i.dtime = ext2.now(fs)
    if n.i.dtime < fs.sb.inodes_count:
        n.i.dtime = fs.sb.inodes_count
    set_size(fs, n, 0)
    w = write_inode(fs, n)
    f = ext2_alloc.free_inode(fs, n.ino, is_dir)
    if r < 0:
        return r
    return w if w < 0 else f


def release_xattr(fs: Ptr[Fs], n: Ptr[Node]) -> i64:
    """Drop n's reference to its extended attribute block (shared blocks are counted)."""
    blk = u64(n.i.file_acl)
    n.i.file_acl = 0
    n.dirty = True
    if not ext2.block_ok(fs, blk):
        return ext2.corrupt(fs, "attribute block outside the data area")
    b = block_cache.get(fs.cache, blk)
    if b is None:
        return -Error.IO
    header = cast(Ptr[u32], b.data)
    if header[0] != layout.XATTR_MAGIC:
        block_cache.put(fs.cache, b)
        return ext2.corrupt(fs, "bad attribute block")
    if n.i.blocks >= fs.sectors_per_block:
        n.i.blocks -= fs.sectors_per_block
    if header[1] > 1:
        header[1] -= 1              # h_refcount: others still use it
        block_cache.mark_dirty(fs.cache, b)
        block_cache.put(fs.cache, b)
        return 0
    block_cache.put(fs.cache, b)
    return ext2_alloc.free_block(fs, blk)
