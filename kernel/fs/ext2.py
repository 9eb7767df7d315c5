"""ext2: mounting, the superblock and group descriptors, and writing them back.

mount() reads the superblock straight from the device, checks every number the rest
of the code will trust (magic, revision, block size, group geometry, counts against
the disk's size, where each group's bitmaps and inode table lie), then reads the group
descriptor table through a block cache and checks the root directory. Anything wrong
refuses the mount with `fs.why` saying what; nothing is written to an image that did
not pass. Past the mount, block and inode numbers read from the image are still
checked where used (ext2_inode, ext2_dir): damage found then fails that operation
with CORRUPT and is counted in `fs.corruptions`.

The superblock and the descriptors live in memory while mounted: allocation changes
the copies (`meta_dirty`) and sync() copies them into the cache (primary superblock
and descriptor table only, as Linux does) before writing the cache back. A read-write
mount clears STATE_VALID on disk at once and sets it again at unmount, so e2fsck knows
an image the machine did not unmount cleanly.

Power cuts: sync() writes the dirty blocks in block order (so the metadata at the start
of a group goes before the data after it) and then flushes the disk: once it returns
0, everything is on the disk. In the middle of it a cut can leave, as there is no
journal, a bitmap, a descriptor and an inode disagreeing (e2fsck work) and a file's
size covering blocks not written yet (they keep their old contents). A service that
must survive cuts leaves the metadata alone: examples/kv_store.py writes only into
blocks its log already has, through a vfs.NO_CMTIME handle.

The other modules: ext2_alloc (bitmaps), ext2_inode (inodes, block maps, file data),
ext2_dir (directory blocks), ext2_namei (paths, create, mkdir, unlink, rename).
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.block_cache as block_cache
import kernel.fs.ext2_layout as layout
from kernel.fs.block_cache import Cache
from kernel.fs.block_device import SECTOR, BlockDevice, BlockError
from kernel.fs.error import Error
from kernel.fs.ext2_layout import GroupDesc, Inode, Superblock

COMPAT_RESIZE_INODE: Final = 0x10
DEFAULT_BUFFERS: Final = 256


@struct
class Fs:
    dev: Ptr[BlockDevice]
    cache: Ptr[Cache]
    sb: Superblock                  # in-memory copy; written back by sync()
    block_size: u32
    sectors_per_block: u32          # 512-byte units per block (i_blocks counts these)
    addr_per_block: u32             # block numbers in an indirect block
    groups: u32
    gd: Slice[GroupDesc]            # in-memory copy of the descriptor table
    gdt_start: u64                  # first block of the descriptor table
    gdt_blocks: u32
    reserved_gdt: u32               # blocks kept after the table for growing it
    inode_size: u32
    inode_table_blocks: u32         # per group
    first_ino: u32                  # first inode number files may use
    filetype: bool                  # directory entries carry a file type
    read_only: bool
    meta_dirty: bool                # sb or gd changed since the last sync
    mounted: bool
    mount_state: u16                # s_state as found, restored at unmount
    clock: Fn[[], u32]              # seconds since 1970 for timestamps (None: found_time)
    found_time: u32                 # s_wtime as mounted: the time without a clock
    corruptions: u32                # damage found after the mount
    why: Str                        # why mount refused, or the last damage found
    why_buf: Array[u8, 120]


def now(fs: Ptr[Fs]) -> u32:
    return fs.clock() if fs.clock is not None else fs.found_time


def refuse(fs: Ptr[Fs], msg: Str) -> i64:
    fs.why = msg
    return -Error.CORRUPT


def refuse_value(fs: Ptr[Fs], msg: Str, value: u64) -> i64:
    w = Writer(buf=addr(fs.why_buf[0]), cap=len(fs.why_buf))
    w.write(f"{msg} ({value})")
    fs.why = w.text()
    return -Error.CORRUPT


def corrupt(fs: Ptr[Fs], msg: Str) -> i64:
    """Record damage found while running; the caller's operation fails with CORRUPT."""
    fs.corruptions += 1
    fs.why = msg
    return -Error.CORRUPT


def block_ok(fs: Ptr[Fs], b: u64) -> bool:
    """b can hold file data or an indirect block: inside the file system, not metadata."""
    if b < fs.sb.first_data_block or b >= fs.sb.blocks_count:
        return False
    return not is_metadata(fs, b)


def group_start(fs: Ptr[Fs], g: u32) -> u64:
    return u64(fs.sb.first_data_block) + u64(g) * fs.sb.blocks_per_group


def group_blocks(fs: Ptr[Fs], g: u32) -> u32:
    """Blocks in group g (the last group may be short)."""
    left = u64(fs.sb.blocks_count) - group_start(fs, g)
    return u32(left) if left < fs.sb.blocks_per_group else fs.sb.blocks_per_group


def is_metadata(fs: Ptr[Fs], b: u64) -> bool:
    """b holds a superblock, the descriptor table (or its reserve), a bitmap or part of
    an inode table: never to be handed out or written as data."""
    g = u32((b - fs.sb.first_data_block) // fs.sb.blocks_per_group)
    if g >= fs.groups:
        return True
    start = group_start(fs, g)
    if layout.group_has_super(addr(fs.sb), g) and b < start + 1 + fs.gdt_blocks + fs.reserved_gdt:
        return True
    d = addr(fs.gd[g])
    if b == d.block_bitmap or b == d.inode_bitmap:
        return True
    return d.inode_table <= b < u64(d.inode_table) + fs.inode_table_blocks


def mount(fs: Ptr[Fs], dev: Ptr[BlockDevice], clock: Fn[[], u32], buffers: u32, read_only: bool) -> i64:
    """Mount the ext2 file system on dev: 0, or -Error with fs.why saying why not."""
    fs.dev = dev
    fs.clock = clock
    fs.mounted = False
    fs.corruptions = 0
    fs.why = ""
    if dev.sectors < (layout.SUPERBLOCK_OFFSET + layout.SUPERBLOCK_SIZE) // SECTOR:
        return refuse(fs, "disk too small for a superblock")
    err = dev.read(dev, layout.SUPERBLOCK_OFFSET // SECTOR, layout.SUPERBLOCK_SIZE // SECTOR,
                   cast(Ptr[u8], addr(fs.sb)))
    if err != BlockError.OK:
        fs.why = "cannot read the superblock"
        return -Error.IO
    r = check_superblock(fs)
    if r < 0:
        return r
    fs.found_time = fs.sb.wtime
    fs.read_only = read_only or dev.read_only or fs.sb.feature_ro_compat & ~u32(layout.RO_COMPAT_SUPPORTED) != 0
    fs.cache = block_cache.create(dev, fs.block_size, buffers if buffers > 0 else DEFAULT_BUFFERS)
    if fs.cache is None:
        fs.why = "no memory for the block cache"
        return -Error.NO_MEMORY
    r = load_descriptors(fs)
    if r == 0:
        r = check_root(fs)
    if r < 0:
        block_cache.destroy(fs.cache)
        free(fs.gd)
        return r
    fs.mounted = True
    fs.meta_dirty = False
    fs.mount_state = fs.sb.state
    if not fs.read_only:
        fs.sb.state = fs.sb.state & ~u16(layout.STATE_VALID)
        fs.sb.mnt_count += 1
        fs.sb.mtime = now(fs)
        fs.meta_dirty = True
        r = sync(fs)
        if r < 0:
            fs.why = "cannot write the superblock"
            unmount(fs)
            return r
    return 0


def check_superblock(fs: Ptr[Fs]) -> i64:
    sb = addr(fs.sb)
    if sb.magic != layout.MAGIC:
        return refuse_value(fs, "not ext2: bad magic", sb.magic)
    if sb.rev_level > layout.REV_DYNAMIC:
        return refuse_value(fs, "unknown revision", sb.rev_level)
    if sb.log_block_size > 2:
        return refuse_value(fs, "block size is not 1, 2 or 4 KiB: log", sb.log_block_size)
    bs = u32(1024) << sb.log_block_size
    fs.block_size = bs
    fs.sectors_per_block = bs // SECTOR
    fs.addr_per_block = bs // 4
    if sb.first_data_block != (1 if bs == 1024 else 0):
        return refuse_value(fs, "bad first data block", sb.first_data_block)
    if sb.blocks_per_group < 8 or sb.blocks_per_group > 8 * bs or sb.blocks_per_group % 8 != 0:
        return refuse_value(fs, "bad blocks per group", sb.blocks_per_group)
    if sb.inodes_per_group < 1 or sb.inodes_per_group > 8 * bs:
        return refuse_value(fs, "bad inodes per group", sb.inodes_per_group)
    fs.inode_size = layout.GOOD_OLD_INODE_SIZE
    fs.first_ino = layout.GOOD_OLD_FIRST_INO
    fs.reserved_gdt = 0
    fs.filetype = False
    if sb.rev_level == layout.REV_DYNAMIC:
        r = check_dynamic(fs)
        if r < 0:
            return r
    if sb.blocks_count <= sb.first_data_block:
        return refuse_value(fs, "bad block count", sb.blocks_count)
    if u64(sb.blocks_count) > fs.dev.sectors // fs.sectors_per_block:
        return refuse_value(fs, "file system larger than the disk: blocks", sb.blocks_count)
    fs.groups = u32((u64(sb.blocks_count) - sb.first_data_block + sb.blocks_per_group - 1) // sb.blocks_per_group)
    if u64(sb.inodes_count) != u64(fs.groups) * sb.inodes_per_group:
        return refuse_value(fs, "inode count does not match the groups", sb.inodes_count)
    if sb.first_ino >= sb.inodes_count and sb.rev_level == layout.REV_DYNAMIC:
        return refuse_value(fs, "first inode past the inode count", sb.first_ino)
    fs.inode_table_blocks = u32((u64(sb.inodes_per_group) * fs.inode_size + bs - 1) // bs)
    if fs.inode_table_blocks >= sb.blocks_per_group:
        return refuse(fs, "inode table larger than a group")
    fs.gdt_start = u64(sb.first_data_block) + 1
    fs.gdt_blocks = u32((u64(fs.groups) * layout.DESC_SIZE + bs - 1) // bs)
    if u64(1) + fs.gdt_blocks + fs.reserved_gdt >= sb.blocks_per_group or \
            fs.gdt_start + fs.gdt_blocks > sb.blocks_count:
        return refuse(fs, "group descriptor table does not fit")
    if sb.free_blocks_count > sb.blocks_count or sb.free_inodes_count > sb.inodes_count:
        return refuse(fs, "free counts larger than the totals")
    return 0


def check_dynamic(fs: Ptr[Fs]) -> i64:
    """The revision 1 fields: features, inode size, first inode, reserved GDT blocks."""
    sb = addr(fs.sb)
    unknown = sb.feature_incompat & ~u32(layout.INCOMPAT_SUPPORTED)
    if unknown != 0:
        return refuse_value(fs, "unsupported incompatible features", unknown)
    fs.filetype = sb.feature_incompat & layout.INCOMPAT_FILETYPE != 0
    isz = u32(sb.inode_size)
    if isz < layout.GOOD_OLD_INODE_SIZE or isz > fs.block_size or isz & (isz - 1) != 0:
        return refuse_value(fs, "bad inode size", isz)
    fs.inode_size = isz
    if sb.first_ino < layout.GOOD_OLD_FIRST_INO:
        return refuse_value(fs, "bad first inode", sb.first_ino)
    fs.first_ino = sb.first_ino
    if sb.feature_compat & COMPAT_RESIZE_INODE:
        if u32(sb.reserved_gdt_blocks) > fs.addr_per_block:
            return refuse_value(fs, "too many reserved GDT blocks", sb.reserved_gdt_blocks)
        fs.reserved_gdt = sb.reserved_gdt_blocks
    return 0


def load_descriptors(fs: Ptr[Fs]) -> i64:
    """Read the descriptor table and check where every group's metadata lies."""
    fs.gd = new_array(GroupDesc, fs.groups)
    per_block = fs.block_size // layout.DESC_SIZE
    for i in range(fs.gdt_blocks):
        b = block_cache.get(fs.cache, fs.gdt_start + i)
        if b is None:
            fs.why = "cannot read the group descriptors"
            return -Error.IO
        src = cast(Ptr[GroupDesc], b.data)
        for j in range(per_block):
            g = u64(i) * per_block + j
            if g < fs.groups:
                fs.gd[g] = src[j]
        block_cache.put(fs.cache, b)
    free_blocks: u64 = 0
    free_inodes: u64 = 0
    for g in range(fs.groups):
        r = check_group(fs, u32(g))
        if r < 0:
            return r
        free_blocks += fs.gd[g].free_blocks_count
        free_inodes += fs.gd[g].free_inodes_count
    # As Linux does, the totals are the groups' sums (the superblock's may be stale).
    fs.sb.free_blocks_count = u32(free_blocks)
    fs.sb.free_inodes_count = u32(free_inodes)
    return 0


def check_group(fs: Ptr[Fs], g: u32) -> i64:
    d = addr(fs.gd[g])
    start = group_start(fs, g)
    end = start + group_blocks(fs, g)
    meta_end = start
    if layout.group_has_super(addr(fs.sb), g):
        meta_end = start + 1 + fs.gdt_blocks + fs.reserved_gdt
    table_end = u64(d.inode_table) + fs.inode_table_blocks
    if not (meta_end <= d.block_bitmap < end and meta_end <= d.inode_bitmap < end):
        return refuse_value(fs, "group's bitmap outside the group: group", g)
    if d.block_bitmap == d.inode_bitmap:
        return refuse_value(fs, "group's bitmaps share a block: group", g)
    if d.inode_table < meta_end or table_end > end:
        return refuse_value(fs, "group's inode table outside the group: group", g)
    if d.inode_table <= d.block_bitmap < table_end or d.inode_table <= d.inode_bitmap < table_end:
        return refuse_value(fs, "group's bitmap inside its inode table: group", g)
    if d.free_blocks_count > group_blocks(fs, g) or d.free_inodes_count > fs.sb.inodes_per_group or \
            d.used_dirs_count > fs.sb.inodes_per_group:
        return refuse_value(fs, "group's counts larger than the group: group", g)
    return 0


def check_root(fs: Ptr[Fs]) -> i64:
    """Inode 2 must be a directory of at least one block (read here directly: the inode
    code in ext2_inode builds on this module)."""
    byte = u64(layout.ROOT_INO - 1) * fs.inode_size
    b = block_cache.get(fs.cache, u64(fs.gd[0].inode_table) + byte // fs.block_size)
    if b is None:
        fs.why = "cannot read the root directory"
        return -Error.IO
    root = cast(Ptr[Inode], b.data + byte % fs.block_size)[0]
    block_cache.put(fs.cache, b)
    if not layout.is_dir(root.mode) or root.links_count < 2:
        return refuse(fs, "the root inode is not a directory")
    if root.size < fs.block_size:
        return refuse(fs, "the root directory is empty")
    return 0


def write_metadata(fs: Ptr[Fs]) -> i64:
    """Copy the superblock and the descriptor table into their cache buffers."""
    if not fs.meta_dirty or fs.read_only:
        return 0
    fs.sb.wtime = now(fs)
    b = block_cache.get(fs.cache, layout.SUPERBLOCK_OFFSET // fs.block_size)
    if b is None:
        return -Error.IO
    block_cache.copy(b.data + layout.SUPERBLOCK_OFFSET % fs.block_size, cast(Ptr[u8], addr(fs.sb)),
                     layout.SUPERBLOCK_SIZE)
    block_cache.mark_dirty(fs.cache, b)
    block_cache.put(fs.cache, b)
    per_block = fs.block_size // layout.DESC_SIZE
    for i in range(fs.gdt_blocks):
        b = block_cache.get(fs.cache, fs.gdt_start + i)
        if b is None:
            return -Error.IO
        dst = cast(Ptr[GroupDesc], b.data)
        for j in range(per_block):
            g = u64(i) * per_block + j
            if g < fs.groups:
                dst[j] = fs.gd[g]
        block_cache.mark_dirty(fs.cache, b)
        block_cache.put(fs.cache, b)
    fs.meta_dirty = False
    return 0


def sync(fs: Ptr[Fs]) -> i64:
    """Write everything changed so far to the disk and flush it."""
    if fs.cache is None:
        return -Error.NOT_MOUNTED
    if fs.read_only:
        return 0
    r = write_metadata(fs)
    if r < 0:
        return r
    err = block_cache.sync(fs.cache)
    if err != BlockError.OK:
        fs.meta_dirty = True
        return -Error.IO
    return 0


def unmount(fs: Ptr[Fs]) -> i64:
    """Sync, mark the file system clean (if it was when mounted) and let go of it."""
    r: i64 = 0
    if fs.mounted and not fs.read_only:
        fs.sb.state = fs.mount_state
        if fs.corruptions > 0:
            fs.sb.state = (fs.sb.state & ~u16(layout.STATE_VALID)) | layout.STATE_ERROR
        fs.meta_dirty = True
        r = sync(fs)
    fs.mounted = False
    block_cache.destroy(fs.cache)
    fs.cache = None
    free(fs.gd)
    return r
