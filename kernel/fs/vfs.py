"""The file API for services: one ext2 file system, mounted over a BlockDevice.

    dev = virtio_blk.probe(0)
    if vfs.mount(dev, clock) < 0: print(vfs.mount_error())
    fd = vfs.open("/logs/today", vfs.WRITE | vfs.CREATE | vfs.APPEND)
    vfs.write(fd, b"hello\\n")
    vfs.close(fd)
    n = vfs.listdir("/logs", entries)   # or opendir() and readdir() one by one
    vfs.unmount()                   # or vfs.sync(): nothing is on the disk before

Every call returns a count or 0 on success and a negated kernel.fs.error.Error on
failure (`error.name(r)` says which). Handles are small integers from a fixed table;
a handle keeps its inode number and position, and each call reads the inode afresh, so
two handles on one file see each other's writes. A handle opened with NO_CMTIME
writes without touching the inode's times: overwriting blocks the file already has
then changes those blocks and nothing else on the disk (no inode write), which a log
kept in a preallocated file needs so that a power cut during its sync can only hit
the blocks being written (examples/kv_store.py). A file or directory that is open
cannot be unlinked, removed or replaced by rename (BUSY). Writes are cached until
sync(), unmount() or the cache needs room: a service syncs before it exits.

One lock (a flag and a wait queue) serialises every call, so threads on any CPU may
use the file system; a call that waits for the disk lets other threads run meanwhile.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.ext2 as ext2
import kernel.fs.ext2_dir as ext2_dir
import kernel.fs.ext2_inode as ext2_inode
import kernel.fs.ext2_layout as layout
import kernel.fs.ext2_namei as ext2_namei
import kernel.threads as threads
from kernel.fs.block_device import BlockDevice
from kernel.fs.error import Error
from kernel.fs.ext2 import Fs
from kernel.fs.ext2_dir import Entry
from kernel.fs.ext2_inode import Node

READ: Final = 1
WRITE: Final = 2
CREATE: Final = 4                   # make the file if it is missing
TRUNCATE: Final = 8                 # empty it on open
APPEND: Final = 16                  # every write goes to the end
EXCLUSIVE: Final = 32               # with CREATE: fail if it exists
NO_CMTIME: Final = 64               # writes leave mtime and ctime alone (Linux's FMODE_NOCMTIME)

KIND_FILE: Final = 1                # Stat.kind and Entry.file_type: ext2's FT_* numbers
KIND_DIR: Final = 2
KIND_SYMLINK: Final = 7

MAX_FILES: Final = 64
FILE_MODE: Final = 0o644
DIR_MODE: Final = 0o755


@struct
class File:
    used: bool
    is_dir: bool
    ino: u32
    flags: u32
    pos: u64                        # byte offset (a directory: of the next entry)


@struct
class Stat:
    ino: u32
    kind: u8
    mode: u16                       # type and permission bits, as on disk
    links: u16
    size: u64
    blocks: u64                     # 512-byte sectors held
    atime: u32
    mtime: u32
    ctime: u32


fs: Fs
files: Array[File, 64]
mutex: threads.Mutex


def lock() -> None:
    threads.acquire(addr(mutex))


def unlock() -> None:
    threads.release(addr(mutex))


def mount(dev: Ptr[BlockDevice], clock: Fn[[], u32]) -> i64:
    """Mount dev read-write with the default cache; see mount_with."""
    return mount_with(dev, clock, 0, False)


def mount_with(dev: Ptr[BlockDevice], clock: Fn[[], u32], cache_blocks: u32, read_only: bool) -> i64:
    """Mount the ext2 file system on dev (clock gives timestamps; None: 0). 0, or
    -Error with mount_error() saying why."""
    lock()
    r: i64 = -Error.BUSY
    if not fs.mounted:
        r = ext2.mount(addr(fs), dev, clock, cache_blocks, read_only)
    unlock()
    return r


def mount_error() -> Str:
    """Why the last mount failed, or the last damage found since."""
    return fs.why


def read_only() -> bool:
    return fs.read_only


def free_bytes() -> i64:
    """The bytes of the free blocks (0 when nothing is mounted)."""
    lock()
    r: i64 = i64(fs.sb.free_blocks_count) * fs.block_size if fs.mounted else 0
    unlock()
    return r


def unmount() -> i64:
    """Close every handle, write everything back, mark the file system clean."""
    lock()
    r: i64 = -Error.NOT_MOUNTED
    if fs.mounted:
        for i in range(MAX_FILES):
            files[i].used = False
        r = ext2.unmount(addr(fs))
    unlock()
    return r


def sync() -> i64:
    lock()
    r: i64 = ext2.sync(addr(fs)) if fs.mounted else -Error.NOT_MOUNTED
    unlock()
    return r


def handle(fd: i64) -> Ptr[File]:
    if not fs.mounted or fd < 0 or fd >= MAX_FILES or not files[fd].used:
        return None
    return addr(files[fd])


def is_open(ino: u32) -> bool:
    for i in range(MAX_FILES):
        if files[i].used and files[i].ino == ino:
            return True
    return False


def new_handle(ino: u32, flags: u32, is_dir: bool) -> i64:
    for i in range(MAX_FILES):
        f = addr(files[i])
        if not f.used:
            f.used = True
            f.ino = ino
            f.flags = flags
            f.is_dir = is_dir
            f.pos = 0
            return i64(i)
    return -Error.TOO_MANY_OPEN


# --- files ---

def open(path: Str, flags: u32) -> i64:
    """A handle on the file at path (READ and/or WRITE, CREATE, TRUNCATE, APPEND,
    EXCLUSIVE), or -Error."""
    lock()
    r = do_open(path, flags)
    unlock()
    return r


def do_open(path: Str, flags: u32) -> i64:
    if not fs.mounted:
        return -Error.NOT_MOUNTED
    if flags & (READ | WRITE) == 0:
        return -Error.INVALID
    if flags & (WRITE | CREATE | TRUNCATE) and fs.read_only:
        return -Error.READ_ONLY
    ino = ext2_namei.resolve(addr(fs), path)
    if ino == -Error.NOT_FOUND and flags & CREATE:
        ino = ext2_namei.create(addr(fs), path, FILE_MODE)
    elif ino > 0 and flags & CREATE and flags & EXCLUSIVE:
        return -Error.EXISTS
    if ino < 0:
        return ino
    n: Node
    r = ext2_inode.read_inode(addr(fs), u32(ino), addr(n))
    if r < 0:
        return r
    if layout.is_dir(n.i.mode):
        return -Error.IS_DIR
    if not layout.is_reg(n.i.mode):
        return -Error.NOT_SUPPORTED
    if flags & TRUNCATE and flags & WRITE and ext2_inode.size(addr(fs), addr(n)) > 0:
        r = ext2_inode.truncate(addr(fs), addr(n), 0)
        if r < 0:
            return r
    return new_handle(u32(ino), flags, False)


def close(fd: i64) -> i64:
    lock()
    f = handle(fd)
    r: i64 = -Error.BAD_HANDLE
    if f is not None:
        f.used = False
        r = 0
    unlock()
    return r


def read(fd: i64, buf: Bytes) -> i64:
    """Read into buf from the handle's position; the byte count (0 at the end), or -Error."""
    lock()
    r = do_read(fd, buf)
    unlock()
    return r


def load_file(fd: i64, need: u32, n: Ptr[Node]) -> i64:
    """Read the inode of fd's file into n: 0, or -Error (BAD_HANDLE unless fd is a
    regular file opened for `need`, READ or WRITE)."""
    f = handle(fd)
    if f is None or f.is_dir or f.flags & need == 0:
        return -Error.BAD_HANDLE
    return ext2_inode.read_inode(addr(fs), f.ino, n)


def do_read(fd: i64, buf: Bytes) -> i64:
    n: Node
    r = load_file(fd, READ, addr(n))
    if r < 0:
        return r
    f = handle(fd)
    r = ext2_inode.read(addr(fs), addr(n), f.pos, buf.ptr, u64(len(buf)))
    if r > 0:
        f.pos += u64(r)
    return r


def write(fd: i64, data: Bytes) -> i64:
    """Write data at the handle's position (the end with APPEND); the byte count, or -Error."""
    lock()
    r = do_write(fd, data)
    unlock()
    return r


def do_write(fd: i64, data: Bytes) -> i64:
    n: Node
    r = load_file(fd, WRITE, addr(n))
    if r < 0:
        return r
    f = handle(fd)
    if f.flags & APPEND:
        f.pos = ext2_inode.size(addr(fs), addr(n))
    if len(data) == 0:
        return 0
    r = ext2_inode.write(addr(fs), addr(n), f.pos, data.ptr, u64(len(data)), f.flags & NO_CMTIME != 0)
    if r > 0:
        f.pos += u64(r)
    return r


def seek(fd: i64, pos: u64) -> i64:
    """Move the handle's position (past the end is allowed: a write there leaves a hole)."""
    lock()
    f = handle(fd)
    r: i64 = -Error.BAD_HANDLE
    if f is not None and not f.is_dir:
        f.pos = pos
        r = 0
    unlock()
    return r


def truncate(fd: i64, size: u64) -> i64:
    """Cut or extend (with a hole) the handle's file to size bytes."""
    lock()
    r = do_truncate(fd, size)
    unlock()
    return r


def do_truncate(fd: i64, size: u64) -> i64:
    n: Node
    r = load_file(fd, WRITE, addr(n))
    if r < 0:
        return r
    return ext2_inode.truncate(addr(fs), addr(n), size)


# --- metadata and directories ---

def fill_stat(n: Ptr[Node], st: Ptr[Stat]) -> None:
    st.ino = n.ino
    st.kind = layout.file_type(n.i.mode)
    st.mode = n.i.mode
    st.links = n.i.links_count
    st.size = ext2_inode.size(addr(fs), n)
    st.blocks = n.i.blocks
    st.atime = n.i.atime
    st.mtime = n.i.mtime
    st.ctime = n.i.ctime


def stat_ino(ino: i64, st: Ptr[Stat]) -> i64:
    if ino < 0:
        return ino
    n: Node
    r = ext2_inode.read_inode(addr(fs), u32(ino), addr(n))
    if r == 0:
        fill_stat(addr(n), st)
    return r


def stat(path: Str, st: Ptr[Stat]) -> i64:
    lock()
    r: i64 = -Error.NOT_MOUNTED
    if fs.mounted:
        r = stat_ino(ext2_namei.resolve(addr(fs), path), st)
    unlock()
    return r


def fstat(fd: i64, st: Ptr[Stat]) -> i64:
    lock()
    f = handle(fd)
    r: i64 = -Error.BAD_HANDLE
    if f is not None:
        r = stat_ino(i64(f.ino), st)
    unlock()
    return r


def opendir(path: Str) -> i64:
    """A handle for readdir() on the directory at path, or -Error; close() it after."""
    lock()
    r: i64 = -Error.NOT_MOUNTED
    if fs.mounted:
        r = ext2_namei.resolve(addr(fs), path)
        st: Stat
        if r > 0:
            ino = r
            r = stat_ino(ino, addr(st))
            if r == 0:
                r = new_handle(u32(ino), READ, True) if st.kind == KIND_DIR else -Error.NOT_DIR
    unlock()
    return r


def readdir(fd: i64, e: Ptr[Entry]) -> i64:
    """The directory's next entry ('.' and '..' skipped): 1 with *e filled, 0 at the end,
    or -Error. e.file_type is a KIND_*/FT_* number."""
    lock()
    r = do_readdir(fd, e)
    unlock()
    return r


def do_readdir(fd: i64, e: Ptr[Entry]) -> i64:
    f = handle(fd)
    if f is None or not f.is_dir:
        return -Error.BAD_HANDLE
    d: Node
    r = ext2_inode.read_inode(addr(fs), f.ino, addr(d))
    if r < 0:
        return r
    while True:
        r = ext2_dir.next_entry(addr(fs), addr(d), addr(f.pos), e)
        if r <= 0:
            return r
        t = e.text()
        if t == "." or t == "..":
            continue
        if e.file_type == layout.FT_UNKNOWN:
            n: Node
            if ext2_inode.read_inode(addr(fs), e.ino, addr(n)) == 0:
                e.file_type = layout.file_type(n.i.mode)
        return 1


def listdir(path: Str, entries: Slice[Entry]) -> i64:
    """Fill entries with the directory's entries (as readdir gives them); how many were
    filled (at most len(entries): list again with a bigger slice if it is full), or -Error."""
    fd = opendir(path)
    if fd < 0:
        return fd
    n: i64 = 0
    while n < len(entries):
        r = readdir(fd, addr(entries[n]))
        if r <= 0:
            close(fd)
            return n if r == 0 else r
        n += 1
    close(fd)
    return n


def mkdir(path: Str) -> i64:
    lock()
    r: i64 = -Error.NOT_MOUNTED
    if fs.mounted:
        r = ext2_namei.mkdir(addr(fs), path, DIR_MODE)
        if r > 0:
            r = 0
    unlock()
    return r


def remove(path: Str, directory: bool) -> i64:
    if not fs.mounted:
        return -Error.NOT_MOUNTED
    ino = ext2_namei.resolve(addr(fs), path)
    if ino < 0:
        return ino
    if is_open(u32(ino)):
        return -Error.BUSY
    if directory:
        return ext2_namei.rmdir(addr(fs), path)
    return ext2_namei.unlink(addr(fs), path)


def unlink(path: Str) -> i64:
    """Remove a file's name (the file goes with its last name)."""
    lock()
    r = remove(path, False)
    unlock()
    return r


def rmdir(path: Str) -> i64:
    """Remove an empty directory."""
    lock()
    r = remove(path, True)
    unlock()
    return r


def rename(old_path: Str, new_path: Str) -> i64:
    """Move a file or directory; a file (or an empty directory) at new_path is replaced."""
    lock()
    r = do_rename(old_path, new_path)
    unlock()
    return r


def do_rename(old_path: Str, new_path: Str) -> i64:
    if not fs.mounted:
        return -Error.NOT_MOUNTED
    target = ext2_namei.resolve(addr(fs), new_path)
    if target > 0 and is_open(u32(target)):
        source = ext2_namei.resolve(addr(fs), old_path)
        if source != target:
            return -Error.BUSY
    return ext2_namei.rename(addr(fs), old_path, new_path)
