"""Files for services, booted: the platform calls of kaa/pyrt/file.h (open(), os.listdir,
os.replace ...) over kernel/fs/vfs.py. kernel/platform/host_files.py is the same calls
on the host's C library.

The disk is the first virtio-blk device (`kaa run app.py --disk DIR|IMG`); its ext2 file
system is mounted at "/" by the first call that needs it, read-write unless the device
is read-only. "/" is also the working directory, so "data/a.json" is "/data/a.json".
Without a disk every call fails with ENODEV; a disk that does not mount fails them with
the mount's error (and says why on the console, once).

Durability. What is written sits in the block cache (memory) until a sync writes it and
flushes the disk's own cache. A sync happens:
- when a handle that wrote (or truncated) is closed: close() returns after it;
- on fsync(fd) (it syncs everything, not only that file);
- before mkdir, rmdir, unlink and rename return: a replace() is on the disk when it
  returns, so "write a temporary file, close it, os.replace() it over the old one" is
  an update that a power cut leaves either old or new;
- when the machine ends normally (the program returns, sys.exit()): vfs.unmount also
  marks the file system clean.
A write() not followed by one of these can be lost by a power cut (kaa run stops QEMU
with one when its time is up).

Results are negated errno numbers: kernel/fs/error.py numbers vfs's errors as errno.
Handles are vfs's (at most vfs.MAX_FILES files and directories open at once).
"""

from kaa.lang import *
import kernel.arch.x86_64.power as power
import kernel.clock as clock
import kernel.drivers.virtio_blk as virtio_blk
import kernel.fs.error as error
import kernel.fs.vfs as vfs
import kernel.threads as threads
from kernel.fs.error import Error
from kernel.fs.ext2_dir import Entry

ENODEV: Final = 19
NS_PER_SEC: Final = 1000000000

MOUNTED: Final = 1
state: i64 = 0                      # 0 not tried yet, MOUNTED, or -errno: why there is no file system
mount_lock: threads.Mutex
wrote: Array[bool, 64]              # by handle: written since opened (close() syncs then)


def now() -> u32:
    """Timestamps for what the service changes: the wall clock (kernel/clock.py)."""
    return u32(clock.wall_ns() // NS_PER_SEC)


def unmount_at_exit() -> None:
    vfs.unmount()


def mount_disk() -> i64:
    if vfs.fs.mounted:
        return MOUNTED              # the program's own kernel code mounted it: share it
    dev = virtio_blk.probe(0)
    if dev is None:
        return -ENODEV
    r = vfs.mount(dev, now)
    if r < 0:
        print(f"files: cannot mount the disk: {error.name(r)}: {vfs.mount_error()}")
        return r
    if not vfs.read_only():
        power.on_exit(unmount_at_exit)
    return MOUNTED


def ready(path: Str) -> i64:
    """0 when the file system is there (mounted now if need be) and path names something
    possible, else -errno."""
    global state
    if state == 0:
        threads.acquire(addr(mount_lock))
        if state == 0:
            state = mount_disk()
        threads.release(addr(mount_lock))
    if state != MOUNTED:
        return state
    if len(path) == 0:
        return -Error.NOT_FOUND      # vfs reads "" as the root; POSIX names nothing by it
    return 0


def synced(r: i64) -> i64:
    """r, with what it changed on the disk when it succeeded."""
    if r < 0:
        return r
    s = vfs.sync()
    return s if s < 0 else r


@export("k_fs_open")
def open_file(path: Str, flags: i64) -> i64:
    r = ready(path)
    if r < 0:
        return r
    fd = vfs.open(path, u32(flags))
    if fd >= 0:
        wrote[fd] = False
    return fd


@export("k_fs_close")
def close_file(fd: i64) -> i64:
    dirty = fd >= 0 and fd < vfs.MAX_FILES and wrote[fd]
    r = vfs.close(fd)
    if r == 0 and dirty:
        wrote[fd] = False
        r = vfs.sync()
    return r


@export("k_fs_read")
def read_file(fd: i64, buf: Ptr[u8], n: i64) -> i64:
    return vfs.read(fd, Slice[u8](ptr=buf, len=n))


@export("k_fs_write")
def write_file(fd: i64, buf: Ptr[u8], n: i64) -> i64:
    r = vfs.write(fd, Slice[u8](ptr=buf, len=n))
    if r > 0:
        wrote[fd] = True
    return r


@export("k_fs_seek")
def seek_file(fd: i64, offset: i64, whence: i64) -> i64:
    f = vfs.handle(fd)
    if f is None or f.is_dir:
        return -Error.BAD_HANDLE
    base: i64 = 0
    if whence == 1:
        base = i64(f.pos)
    elif whence == 2:
        st: vfs.Stat
        r = vfs.fstat(fd, addr(st))
        if r < 0:
            return r
        base = i64(st.size)
    pos = base + offset
    if pos < 0:
        return -Error.INVALID
    r = vfs.seek(fd, u64(pos))
    return r if r < 0 else pos


@export("k_fs_truncate")
def truncate_file(fd: i64, size: i64) -> i64:
    if size < 0:
        return -Error.INVALID
    r = vfs.truncate(fd, u64(size))
    if r == 0:
        wrote[fd] = True
    return r


@export("k_fs_sync")
def sync_file(fd: i64) -> i64:
    if vfs.handle(fd) is None:
        return -Error.BAD_HANDLE
    return vfs.sync()


@export("k_fs_stat")
def stat(path: Str, fd: i64, out: Ptr[i64]) -> i64:
    st: vfs.Stat
    r: i64 = 0
    if fd >= 0:
        r = vfs.fstat(fd, addr(st))
    else:
        r = ready(path)
        if r == 0:
            r = vfs.stat(path, addr(st))
    if r < 0:
        return r
    out[0] = i64(st.mode)
    out[1] = i64(st.ino)
    out[2] = i64(st.links)
    out[3] = i64(st.size)
    out[4] = i64(st.atime) * NS_PER_SEC
    out[5] = i64(st.mtime) * NS_PER_SEC
    out[6] = i64(st.ctime) * NS_PER_SEC
    return 0


@export("k_fs_mkdir")
def make_dir(path: Str, mode: i64) -> i64:
    r = ready(path)
    return r if r < 0 else synced(vfs.mkdir(path))


@export("k_fs_rmdir")
def remove_dir(path: Str) -> i64:
    r = ready(path)
    return r if r < 0 else synced(vfs.rmdir(path))


@export("k_fs_unlink")
def unlink(path: Str) -> i64:
    r = ready(path)
    return r if r < 0 else synced(vfs.unlink(path))


@export("k_fs_rename")
def rename(old_path: Str, new_path: Str) -> i64:
    r = ready(old_path)
    if r == 0:
        r = ready(new_path)
    return r if r < 0 else synced(vfs.rename(old_path, new_path))


@export("k_fs_opendir")
def open_dir(path: Str) -> i64:
    r = ready(path)
    return r if r < 0 else vfs.opendir(path)


@export("k_fs_readdir")
def read_dir(fd: i64, name: Ptr[u8], cap: i64) -> i64:
    e: Entry
    r = vfs.readdir(fd, addr(e))
    if r <= 0:
        return r
    t = e.text()
    if i64(len(t)) > cap:
        return -Error.NAME_TOO_LONG
    for i in range(len(t)):
        name[i] = t[i]
    return i64(len(t))


@export("k_fs_closedir")
def close_dir(fd: i64) -> i64:
    return vfs.close(fd)
