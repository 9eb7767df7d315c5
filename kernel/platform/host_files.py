"""Files for services on the host (`kaa build --target host`): the platform calls of
kaa/pyrt/file.h over the C library, so open() and os.* reach the host's files, relative
paths from the process's working directory, as under CPython. kernel/fs/file_bridge.py
is the same calls booted.

Each call returns what its C function returns, or -errno. Handles are file
descriptors; a directory handle is the DIR pointer. Paths get a NUL for the C library
(longer than PATH_MAX: ENAMETOOLONG). open() of a directory fails with EISDIR, as
CPython's FileIO does after its fstat.
"""

from kaa.lang import *


@struct
class LinuxStat:                    # struct stat on x86-64 Linux (asm-generic/stat.h's layout)
    dev: u64
    ino: u64
    nlink: u64
    mode: u32
    uid: u32
    gid: u32
    pad0: u32
    rdev: u64
    size: i64
    blksize: i64
    blocks: i64
    atime_sec: i64
    atime_nsec: i64
    mtime_sec: i64
    mtime_nsec: i64
    ctime_sec: i64
    ctime_nsec: i64
    reserved: Array[i64, 3]


@struct
class Dirent:                       # struct dirent (glibc, x86-64)
    ino: u64
    off: i64
    reclen: u16
    kind: u8
    name: Array[u8, 256]


@extern
def open(path: Ptr[u8], flags: i32, mode: u32) -> i32: ...


@extern
def close(fd: i32) -> i32: ...


@extern
def read(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


@extern
def write(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


@extern
def lseek(fd: i32, offset: i64, whence: i32) -> i64: ...


@extern
def ftruncate(fd: i32, size: i64) -> i32: ...


@extern
def fsync(fd: i32) -> i32: ...


@extern
def stat(path: Ptr[u8], st: Ptr[LinuxStat]) -> i32: ...


@extern
def fstat(fd: i32, st: Ptr[LinuxStat]) -> i32: ...


@extern
def mkdir(path: Ptr[u8], mode: u32) -> i32: ...


@extern
def rmdir(path: Ptr[u8]) -> i32: ...


@extern
def unlink(path: Ptr[u8]) -> i32: ...


@extern
def rename(old_path: Ptr[u8], new_path: Ptr[u8]) -> i32: ...


@extern
def opendir(path: Ptr[u8]) -> Ptr[None]: ...


@extern
def readdir(d: Ptr[None]) -> Ptr[Dirent]: ...


@extern
def closedir(d: Ptr[None]) -> i32: ...


@extern
def __errno_location() -> Ptr[i32]: ...


PATH_MAX: Final = 4096
ENAMETOOLONG: Final = 36
EISDIR: Final = 21
S_IFMT: Final = 0o170000
S_IFDIR: Final = 0o040000
O_RDONLY: Final = 0
O_WRONLY: Final = 1
O_RDWR: Final = 2
O_CREAT: Final = 0o100
O_EXCL: Final = 0o200
O_TRUNC: Final = 0o1000
O_APPEND: Final = 0o2000
O_CLOEXEC: Final = 0o2000000
NEW_FILE_MODE: Final = 0o666        # less the umask, as CPython creates files

# kaa/pyrt/file.h's open flags
READ: Final = 1
WRITE: Final = 2
CREATE: Final = 4
TRUNCATE: Final = 8
APPEND: Final = 16
EXCLUSIVE: Final = 32

path_a: Array[u8, 4097]             # the paths of the call being made, NUL-terminated
path_b: Array[u8, 4097]


def failed() -> i64:
    return -i64(__errno_location()[0])


def c_path(path: Str, buf: Ptr[u8]) -> bool:
    if len(path) > PATH_MAX:
        return False
    for i in range(len(path)):
        buf[i] = path[i]
    buf[len(path)] = 0
    return True


def checked(r: i64) -> i64:
    return failed() if r < 0 else r


@export("k_fs_open")
def open_file(path: Str, flags: i64) -> i64:
    if not c_path(path, addr(path_a[0])):
        return -ENAMETOOLONG
    how: i32 = O_RDWR if flags & READ and flags & WRITE else O_WRONLY if flags & WRITE else O_RDONLY
    if flags & CREATE:
        how |= O_CREAT
    if flags & TRUNCATE:
        how |= O_TRUNC
    if flags & APPEND:
        how |= O_APPEND
    if flags & EXCLUSIVE:
        how |= O_EXCL
    fd = open(addr(path_a[0]), how | O_CLOEXEC, NEW_FILE_MODE)
    if fd < 0:
        return failed()
    st: LinuxStat
    if fstat(fd, addr(st)) == 0 and st.mode & S_IFMT == S_IFDIR:
        close(fd)
        return -EISDIR
    return i64(fd)


@export("k_fs_close")
def close_file(fd: i64) -> i64:
    return checked(i64(close(i32(fd))))


@export("k_fs_read")
def read_file(fd: i64, buf: Ptr[u8], n: i64) -> i64:
    return checked(i64(read(i32(fd), buf, u64(n))))


@export("k_fs_write")
def write_file(fd: i64, buf: Ptr[u8], n: i64) -> i64:
    return checked(i64(write(i32(fd), buf, u64(n))))


@export("k_fs_seek")
def seek_file(fd: i64, offset: i64, whence: i64) -> i64:
    return checked(lseek(i32(fd), offset, i32(whence)))


@export("k_fs_truncate")
def truncate_file(fd: i64, size: i64) -> i64:
    return checked(i64(ftruncate(i32(fd), size)))


@export("k_fs_sync")
def sync_file(fd: i64) -> i64:
    return checked(i64(fsync(i32(fd))))


@export("k_fs_stat")
def stat_path(path: Str, fd: i64, out: Ptr[i64]) -> i64:
    st: LinuxStat
    r: i32 = 0
    if fd >= 0:
        r = fstat(i32(fd), addr(st))
    elif not c_path(path, addr(path_a[0])):
        return -ENAMETOOLONG
    else:
        r = stat(addr(path_a[0]), addr(st))
    if r < 0:
        return failed()
    out[0] = i64(st.mode)
    out[1] = i64(st.ino)
    out[2] = i64(st.nlink)
    out[3] = st.size
    out[4] = st.atime_sec * 1000000000 + st.atime_nsec
    out[5] = st.mtime_sec * 1000000000 + st.mtime_nsec
    out[6] = st.ctime_sec * 1000000000 + st.ctime_nsec
    return 0


@export("k_fs_mkdir")
def make_dir(path: Str, mode: i64) -> i64:
    if not c_path(path, addr(path_a[0])):
        return -ENAMETOOLONG
    return checked(i64(mkdir(addr(path_a[0]), u32(mode & 0o7777))))


@export("k_fs_rmdir")
def remove_dir(path: Str) -> i64:
    if not c_path(path, addr(path_a[0])):
        return -ENAMETOOLONG
    return checked(i64(rmdir(addr(path_a[0]))))


@export("k_fs_unlink")
def unlink_path(path: Str) -> i64:
    if not c_path(path, addr(path_a[0])):
        return -ENAMETOOLONG
    return checked(i64(unlink(addr(path_a[0]))))


@export("k_fs_rename")
def rename_path(old_path: Str, new_path: Str) -> i64:
    if not c_path(old_path, addr(path_a[0])) or not c_path(new_path, addr(path_b[0])):
        return -ENAMETOOLONG
    return checked(i64(rename(addr(path_a[0]), addr(path_b[0]))))


@export("k_fs_opendir")
def open_dir(path: Str) -> i64:
    if not c_path(path, addr(path_a[0])):
        return -ENAMETOOLONG
    d = opendir(addr(path_a[0]))
    if d is None:
        return failed()
    return i64(cast(u64, d))


@export("k_fs_readdir")
def read_dir(d: i64, name: Ptr[u8], cap: i64) -> i64:
    while True:
        __errno_location()[0] = 0
        e = readdir(cast(Ptr[None], u64(d)))
        if e is None:
            return failed()         # 0 at the end: errno untouched
        n: i64 = 0
        while e.name[n] != 0:
            n += 1
        dots = e.name[0] == 46 and (n == 1 or n == 2 and e.name[1] == 46)
        if dots:
            continue
        if n > cap:
            return -ENAMETOOLONG
        for i in range(n):
            name[i] = e.name[i]
        return n


@export("k_fs_closedir")
def close_dir(d: i64) -> i64:
    return checked(i64(closedir(cast(Ptr[None], u64(d)))))
