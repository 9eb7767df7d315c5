"""ext2 directories: blocks of variable-length entries (inode, rec_len, name_len, type, name).

Entries chain through rec_len and tile each block exactly; an entry with inode 0 is
free space. Every entry is checked before it is used (rec_len at least 8, 4-aligned,
inside the block and holding the name; inode number in range), so a damaged block is
CORRUPT, never a wild read. A directory's size is a whole number of blocks, without
holes; block 0 starts with "." and "..".

Adding an entry takes the first free entry or the slack after a live one that is big
enough, else appends a block. Removing one merges it into the entry before it (the
first of a block just gets inode 0). Either change clears the directory's INDEX flag:
a hash-indexed (dir_index) directory is also a valid plain one, and without the flag
e2fsck and Linux treat it as plain, so we never have to maintain the hash tree.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.block_cache as block_cache
import kernel.fs.ext2 as ext2
import kernel.fs.ext2_inode as ext2_inode
import kernel.fs.ext2_layout as layout
from kernel.fs.error import Error
from kernel.fs.ext2 import Fs
from kernel.fs.ext2_inode import Mapped, Node
from kernel.fs.ext2_layout import DirEntry

NO_ENTRY: Final = 0xFFFFFFFF


@struct
class Entry:
    ino: u32
    file_type: u8                   # FT_*, FT_UNKNOWN without the filetype feature
    name_len: u32
    name: Array[u8, 256]

    def text(self) -> Str:
        return Str(ptr=addr(self.name[0]), len=self.name_len)


def check(fs: Ptr[Fs], data: Ptr[u8], off: u32) -> i64:
    """The rec_len of the entry at off in a directory block, or -CORRUPT."""
    bs = fs.block_size
    if off + layout.DIRENT_HEADER > bs:
        return ext2.corrupt(fs, "directory entry crosses its block")
    de = cast(Ptr[DirEntry], data + off)
    rl = u32(de.rec_len)
    if rl < layout.DIRENT_HEADER or rl % 4 != 0 or off + rl > bs:
        return ext2.corrupt(fs, "bad directory entry length")
    if de.inode != 0 and (layout.DIRENT_HEADER + u32(de.name_len) > rl or de.inode > fs.sb.inodes_count):
        return ext2.corrupt(fs, "bad directory entry")
    return i64(rl)


def same_name(de: Ptr[DirEntry], name: Str) -> bool:
    if i64(de.name_len) != len(name):
        return False
    p = cast(Ptr[u8], de) + layout.DIRENT_HEADER
    for k in range(len(name)):
        if p[k] != name[k]:
            return False
    return True


def block_of(fs: Ptr[Fs], d: Ptr[Node], lb: u64) -> Ptr[block_cache.Buf]:
    """Directory block lb, pinned; None on error (a hole is damage)."""
    m: Mapped
    if ext2_inode.bmap(fs, d, lb, False, addr(m)) < 0:
        return None
    if m.block == 0:
        ext2.corrupt(fs, "directory has a hole")
        return None
    return block_cache.get(fs.cache, m.block)


def blocks(fs: Ptr[Fs], d: Ptr[Node]) -> u64:
    return ext2_inode.size(fs, d) // fs.block_size


def next_entry(fs: Ptr[Fs], d: Ptr[Node], pos: Ptr[u64], out: Ptr[Entry]) -> i64:
    """The live entry at or after byte *pos of directory d, advancing *pos past it:
    1 with *out filled, 0 at the end, or -Error."""
    bs = u64(fs.block_size)
    end = blocks(fs, d) * bs
    while pos[0] < end:
        b = block_of(fs, d, pos[0] // bs)
        if b is None:
            return -Error.IO if fs.corruptions == 0 else -Error.CORRUPT
        while pos[0] < end:
            off = u32(pos[0] % bs)
            rl = check(fs, b.data, off)
            if rl < 0:
                block_cache.put(fs.cache, b)
                return rl
            de = cast(Ptr[DirEntry], b.data + off)
            pos[0] += u64(rl)
            if de.inode != 0:
                out.ino = de.inode
                out.file_type = de.file_type if fs.filetype else layout.FT_UNKNOWN
                out.name_len = de.name_len
                block_cache.copy(addr(out.name[0]), b.data + off + layout.DIRENT_HEADER, de.name_len)
                block_cache.put(fs.cache, b)
                return 1
            if pos[0] % bs == 0:
                break
        block_cache.put(fs.cache, b)
    return 0


def find(fs: Ptr[Fs], d: Ptr[Node], name: Str, lb_out: Ptr[u64], off_out: Ptr[u32], prev_out: Ptr[u32]) -> i64:
    """Where entry `name` lies: its inode number (> 0), 0 when absent, or -Error."""
    for lb in range(blocks(fs, d)):
        b = block_of(fs, d, lb)
        if b is None:
            return -Error.CORRUPT if fs.corruptions > 0 else -Error.IO
        off: u32 = 0
        prev: u32 = NO_ENTRY
        while off < fs.block_size:
            rl = check(fs, b.data, off)
            if rl < 0:
                block_cache.put(fs.cache, b)
                return rl
            de = cast(Ptr[DirEntry], b.data + off)
            if de.inode != 0 and same_name(de, name):
                lb_out[0] = lb
                off_out[0] = off
                prev_out[0] = prev
                ino = de.inode
                block_cache.put(fs.cache, b)
                return i64(ino)
            prev = off
            off += u32(rl)
        block_cache.put(fs.cache, b)
    return 0


def lookup(fs: Ptr[Fs], d: Ptr[Node], name: Str) -> i64:
    """The inode number of `name` in d, or -Error (NOT_FOUND)."""
    lb: u64 = 0
    off: u32 = 0
    prev: u32 = 0
    r = find(fs, d, name, addr(lb), addr(off), addr(prev))
    return r if r != 0 else -Error.NOT_FOUND


def changed(fs: Ptr[Fs], d: Ptr[Node]) -> None:
    d.i.flags &= ~u32(layout.INDEX_FL)
    ext2_inode.touch(fs, d)


def fill(fs: Ptr[Fs], de: Ptr[DirEntry], name: Str, ino: u32, file_type: u8) -> None:
    de.inode = ino
    de.name_len = u8(len(name))
    de.file_type = file_type if fs.filetype else 0
    p = cast(Ptr[u8], de) + layout.DIRENT_HEADER
    for k in range(len(name)):
        p[k] = name[k]


def add(fs: Ptr[Fs], d: Ptr[Node], name: Str, ino: u32, file_type: u8) -> i64:
    """Add entry name -> ino (the caller checked it is not there); d is written back."""
    need = layout.rec_len_for(u32(len(name)))
    for lb in range(blocks(fs, d)):
        b = block_of(fs, d, lb)
        if b is None:
            return -Error.CORRUPT if fs.corruptions > 0 else -Error.IO
        off: u32 = 0
        while off < fs.block_size:
            rl = check(fs, b.data, off)
            if rl < 0:
                block_cache.put(fs.cache, b)
                return rl
            de = cast(Ptr[DirEntry], b.data + off)
            used = layout.rec_len_for(de.name_len) if de.inode != 0 else 0
            if u64(rl) >= u64(used) + need:
                if used > 0:        # split: the live entry keeps what it needs
                    de.rec_len = u16(used)
                    de = cast(Ptr[DirEntry], b.data + off + used)
                    de.rec_len = u16(u32(rl) - used)
                fill(fs, de, name, ino, file_type)
                block_cache.mark_dirty(fs.cache, b)
                block_cache.put(fs.cache, b)
                changed(fs, d)
                return ext2_inode.write_inode(fs, d)
            off += u32(rl)
        block_cache.put(fs.cache, b)
    return append_block(fs, d, name, ino, file_type)


def append_block(fs: Ptr[Fs], d: Ptr[Node], name: Str, ino: u32, file_type: u8) -> i64:
    lb = blocks(fs, d)
    if (lb + 1) * fs.block_size > 0xFFFFFFFF:
        return -Error.NO_SPACE
    m: Mapped
    r = ext2_inode.bmap(fs, d, lb, True, addr(m))
    if r < 0:
        ext2_inode.write_inode(fs, d)
        return r
    b = block_cache.get_new(fs.cache, m.block)
    if b is None:
        ext2_inode.write_inode(fs, d)
        return -Error.IO
    de = cast(Ptr[DirEntry], b.data)
    de.rec_len = u16(fs.block_size)
    fill(fs, de, name, ino, file_type)
    block_cache.put(fs.cache, b)
    ext2_inode.set_size(fs, d, (lb + 1) * fs.block_size)
    changed(fs, d)
    return ext2_inode.write_inode(fs, d)


def remove(fs: Ptr[Fs], d: Ptr[Node], name: Str) -> i64:
    """Remove entry name; the inode number it held, or -Error. d is written back."""
    lb: u64 = 0
    off: u32 = 0
    prev: u32 = 0
    ino = find(fs, d, name, addr(lb), addr(off), addr(prev))
    if ino <= 0:
        return ino if ino < 0 else -Error.NOT_FOUND
    b = block_of(fs, d, lb)
    if b is None:
        return -Error.IO
    de = cast(Ptr[DirEntry], b.data + off)
    de.inode = 0                    # also for a readdir() position resting on it
    if prev != NO_ENTRY:
        p = cast(Ptr[DirEntry], b.data + prev)
        p.rec_len = u16(u32(p.rec_len) + de.rec_len)
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    changed(fs, d)
    r = ext2_inode.write_inode(fs, d)
    return ino if r == 0 else r


def repoint(fs: Ptr[Fs], d: Ptr[Node], name: Str, ino: u32, file_type: u8) -> i64:
    """Make the existing entry name refer to ino (rename over a file, or '..')."""
    lb: u64 = 0
    off: u32 = 0
    prev: u32 = 0
    old = find(fs, d, name, addr(lb), addr(off), addr(prev))
    if old <= 0:
        return old if old < 0 else -Error.NOT_FOUND
    b = block_of(fs, d, lb)
    if b is None:
        return -Error.IO
    de = cast(Ptr[DirEntry], b.data + off)
    de.inode = ino
    if fs.filetype:
        de.file_type = file_type
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    changed(fs, d)
    return ext2_inode.write_inode(fs, d)


def is_empty(fs: Ptr[Fs], d: Ptr[Node]) -> i64:
    """1 if d holds nothing but '.' and '..', 0 if it holds more, or -Error."""
    pos: u64 = 0
    e: Entry
    while True:
        r = next_entry(fs, d, addr(pos), addr(e))
        if r <= 0:
            return 1 if r == 0 else r
        t = e.text()
        if t != "." and t != "..":
            return 0


def init_block(fs: Ptr[Fs], data: Ptr[u8], ino: u32, parent: u32) -> None:
    """The first block of a new directory: '.' and '..' and nothing else."""
    dot = cast(Ptr[DirEntry], data)
    dot.rec_len = 12
    fill(fs, dot, ".", ino, layout.FT_DIR)
    dotdot = cast(Ptr[DirEntry], data + 12)
    dotdot.rec_len = u16(fs.block_size - 12)
    fill(fs, dotdot, "..", parent, layout.FT_DIR)
