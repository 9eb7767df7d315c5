"""ext2 on disk: the superblock, group descriptors, inodes and directory entries.

Field layouts follow "The Second Extended File System: Internal Layout" (Dave
Poirier, nongnu.org/ext2-doc) and Linux's Documentation/filesystems/ext2; every
number on disk is little-endian, as on x86, so the packed structs below are read and
written in place. Revision 0 images have 128-byte inodes and first_ino 11; revision 1
("dynamic") images say both in the superblock and carry feature flags:
- compat features need nothing from us (dir_index's hash trees are read as the plain
  directories they also are; a directory we change loses its INDEX flag, as the
  kernel's ext2 driver does),
- incompat features we do not know refuse the mount (only filetype is known),
- ro_compat features we do not know make the mount read-only.
"""

from __future__ import annotations

from kaa.lang import *

SUPERBLOCK_OFFSET: Final = 1024     # bytes from the start of the disk, whatever the block size
SUPERBLOCK_SIZE: Final = 1024
MAGIC: Final = 0xEF53

STATE_VALID: Final = 1              # s_state: unmounted cleanly
STATE_ERROR: Final = 2

REV_GOOD_OLD: Final = 0
REV_DYNAMIC: Final = 1
GOOD_OLD_INODE_SIZE: Final = 128
GOOD_OLD_FIRST_INO: Final = 11
EXTRA_ISIZE: Final = 32             # i_extra_isize we give new inodes when there is room

ROOT_INO: Final = 2
RESIZE_INO: Final = 7
DESC_SIZE: Final = 32

COMPAT_DIR_INDEX: Final = 0x20
INCOMPAT_FILETYPE: Final = 0x2
INCOMPAT_SUPPORTED: Final = 0x2
RO_COMPAT_SPARSE_SUPER: Final = 0x1
RO_COMPAT_LARGE_FILE: Final = 0x2
RO_COMPAT_SUPPORTED: Final = 0x3

N_DIRECT: Final = 12
IND: Final = 12                     # i_block slots of the indirect trees
DIND: Final = 13
TIND: Final = 14
N_BLOCKS: Final = 15

# i_mode: the file type in the top four bits, then permissions
S_IFMT: Final = 0xF000
S_IFSOCK: Final = 0xC000
S_IFLNK: Final = 0xA000
S_IFREG: Final = 0x8000
S_IFBLK: Final = 0x6000
S_IFDIR: Final = 0x4000
S_IFCHR: Final = 0x2000
S_IFIFO: Final = 0x1000

# i_flags
INDEX_FL: Final = 0x1000            # a hash-indexed directory
EXTENTS_FL: Final = 0x80000         # ext4 extents: not ours to read

# directory entry file types (with the filetype feature)
FT_UNKNOWN: Final = 0
FT_REG_FILE: Final = 1
FT_DIR: Final = 2
FT_CHRDEV: Final = 3
FT_BLKDEV: Final = 4
FT_FIFO: Final = 5
FT_SOCK: Final = 6
FT_SYMLINK: Final = 7

DIRENT_HEADER: Final = 8
MAX_NAME: Final = 255
LINK_MAX: Final = 32000             # links a directory may have (Linux's EXT2_LINK_MAX)

XATTR_MAGIC: Final = 0xEA020000     # an extended attribute block's header


@struct(packed=True)
class Superblock:
    inodes_count: u32
    blocks_count: u32
    r_blocks_count: u32
    free_blocks_count: u32
    free_inodes_count: u32
    first_data_block: u32
    log_block_size: u32             # block size is 1024 << this
    log_frag_size: u32
    blocks_per_group: u32
    frags_per_group: u32
    inodes_per_group: u32
    mtime: u32                      # last mount
    wtime: u32                      # last write
    mnt_count: u16
    max_mnt_count: u16
    magic: u16
    state: u16
    errors: u16
    minor_rev_level: u16
    lastcheck: u32
    checkinterval: u32
    creator_os: u32
    rev_level: u32
    def_resuid: u16
    def_resgid: u16
    # revision 1 from here
    first_ino: u32
    inode_size: u16
    block_group_nr: u16
    feature_compat: u32
    feature_incompat: u32
    feature_ro_compat: u32
    uuid: Array[u8, 16]
    volume_name: Array[u8, 16]
    last_mounted: Array[u8, 64]
    algo_bitmap: u32
    prealloc_blocks: u8
    prealloc_dir_blocks: u8
    reserved_gdt_blocks: u16
    rest: Array[u8, 816]


@struct(packed=True)
class GroupDesc:
    block_bitmap: u32
    inode_bitmap: u32
    inode_table: u32
    free_blocks_count: u16
    free_inodes_count: u16
    used_dirs_count: u16
    pad: u16
    reserved: Array[u8, 12]


@struct(packed=True)
class Inode:
    mode: u16
    uid: u16
    size: u32
    atime: u32
    ctime: u32
    mtime: u32
    dtime: u32
    gid: u16
    links_count: u16
    blocks: u32                     # 512-byte sectors held, indirect blocks included
    flags: u32
    osd1: u32
    block: Array[u32, 15]
    generation: u32
    file_acl: u32                   # an extended attribute block, or 0
    size_high: u32                  # regular files (revision 1): bits 32..63 of the size
    faddr: u32
    osd2: Array[u8, 12]


@struct(packed=True)
class InodeExtra:
    """The start of the space past 128 bytes in a larger inode (revision 1)."""
    extra_isize: u16
    checksum_hi: u16
    ctime_extra: u32
    mtime_extra: u32
    atime_extra: u32
    crtime: u32
    crtime_extra: u32
    version_hi: u32
    projid: u32


@struct(packed=True)
class DirEntry:
    inode: u32
    rec_len: u16
    name_len: u8
    file_type: u8                   # with INCOMPAT_FILETYPE; else the high byte of name_len


def is_dir(mode: u16) -> bool:
    return mode & S_IFMT == S_IFDIR


def is_reg(mode: u16) -> bool:
    return mode & S_IFMT == S_IFREG


def file_type(mode: u16) -> u8:
    """The directory entry file type for an inode mode."""
    t = mode & S_IFMT
    if t == S_IFREG:
        return FT_REG_FILE
    if t == S_IFDIR:
        return FT_DIR
    if t == S_IFLNK:
        return FT_SYMLINK
    if t == S_IFCHR:
        return FT_CHRDEV
    if t == S_IFBLK:
        return FT_BLKDEV
    if t == S_IFIFO:
        return FT_FIFO
    if t == S_IFSOCK:
        return FT_SOCK
    return FT_UNKNOWN


def rec_len_for(name_len: u32) -> u32:
    """Bytes a directory entry with a name of name_len bytes needs (4-byte aligned)."""
    return (DIRENT_HEADER + name_len + 3) & ~u32(3)


def power_of(n: u32, base: u32) -> bool:
    """n is a power of base (1 included)."""
    while n > 1 and n % base == 0:
        n = n // base
    return n == 1


def group_has_super(sb: Ptr[Superblock], group: u32) -> bool:
    """Whether a group starts with a superblock backup and the descriptor table: every
    group, or with sparse_super only 0, 1 and powers of 3, 5 and 7."""
    if sb.feature_ro_compat & RO_COMPAT_SPARSE_SUPER == 0 or group <= 1:
        return True
    return power_of(group, 3) or power_of(group, 5) or power_of(group, 7)
