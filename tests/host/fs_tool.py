# ext2 (kernel/fs) on the host: load a disk image file into a RAM disk, mount it through
# kernel/fs/vfs.py, run a script of file operations (tests/host/fs_script.py), unmount
# and save the image.
#
#   fs_tool img=IMAGE ops=SCRIPT [out=IMAGE] [buffers=N] [ro] [maxread=BYTES] [failafter=SECTORS]
#
# failafter makes the RAM disk fail every request once that many sectors were written.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.fs.error as error
import kernel.fs.ram_disk as ram_disk
import kernel.fs.vfs as vfs
import tests.host.fs_script as script
from kernel.fs.ram_disk import RamDisk


@extern
def open(path: Ptr[u8], flags: i32, mode: i32) -> i32: ...


@extern
def read(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


@extern
def write(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


@extern
def lseek(fd: i32, offset: i64, whence: i32) -> i64: ...


@extern
def close(fd: i32) -> i32: ...


O_WRONLY: Final = 1
O_CREAT: Final = 0o100
O_TRUNC: Final = 0o1000

disk: RamDisk
path_buf: Array[u8, 4096]


def c_path(s: Str) -> Ptr[u8]:
    n = len(s) if len(s) < 4095 else 4095
    for i in range(n):
        path_buf[i] = s[i]
    path_buf[n] = 0
    return addr(path_buf[0])


def load(path: Str, size: Ptr[u64]) -> Ptr[u8]:
    fd = open(c_path(path), 0, 0)
    if fd < 0:
        return None
    n = lseek(fd, 0, 2)
    lseek(fd, 0, 0)
    data = new_array(u8, u64(n))
    done: i64 = 0
    while done < n:
        got = read(fd, data.ptr + done, u64(n - done))
        if got <= 0:
            break
        done += got
    close(fd)
    size[0] = u64(n)
    return data.ptr


def save(path: Str, data: Ptr[u8], size: u64) -> bool:
    fd = open(c_path(path), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0:
        return False
    done: u64 = 0
    while done < size:
        got = write(fd, data + done, size - done)
        if got <= 0:
            close(fd)
            return False
        done += u64(got)
    close(fd)
    return True


def main() -> i32:
    img = cmdline.get("img")
    size: u64 = 0
    data = load(img, addr(size))
    if data is None:
        print("cannot read the image")
        return 2
    script_size: u64 = 0
    ops = load(cmdline.get("ops"), addr(script_size))
    if ops is None:
        print("cannot read the script")
        return 2
    script.max_read = u64(cmdline.int_value("maxread", 1 << 40))
    dev = ram_disk.init(addr(disk), data, size)
    disk.fail_after = u64(cmdline.int_value("failafter", 0))
    r = vfs.mount_with(dev, None, u32(cmdline.int_value("buffers", 0)), cmdline.has("ro"))
    if r < 0:
        print(f"mount failed: {error.name(r)}: {vfs.mount_error()}")
        return 3
    print(f"mounted{' read-only' if vfs.read_only() else ''}")
    script.run(ops, script_size)
    r = vfs.unmount()
    print(f"unmount {r}")
    if vfs.mount_error() != "":
        print(f"damage: {vfs.mount_error()}")
    out = cmdline.get("out")
    if len(out) > 0 and not save(out, data, size):
        print("cannot write the image")
        return 2
    return 0
