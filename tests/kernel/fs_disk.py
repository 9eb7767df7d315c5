# ext2 on virtio-blk, booted: mount the disk (kaa run --disk DIR), read the script the
# test put at /kaa-script on it, run it (tests/host/fs_script.py: walk, writes, renames,
# removals, ...), unmount and exit. Timestamps come from `now=SECONDS` on the command
# line plus the time since boot. With `threads=N`, N threads (spread over the CPUs) then
# each append 20 pieces of 10,000 bytes to /thread-K at once and read the file back.
# The host checks the console against its model and the image with e2fsck and
# debugfs (tests/test_fs_booted.py).
from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.cmdline as cmdline
import kernel.drivers.virtio_blk as virtio_blk
import kernel.fs.error as error
import kernel.fs.vfs as vfs
import kernel.threads as threads
import tests.host.fs_script as script

SCRIPT: Str = "/kaa-script"
MAX_SCRIPT: Final = 65536

PIECES: Final = 20
PIECE: Final = 10000
MAX_THREADS: Final = 8

base_time: u32 = 0
sizes: Array[i64, 8]
crcs: Array[u32, 8]


def clock() -> u32:
    return base_time + u32(threads.now_ns() // 1000000000)


def appender(k: u64) -> i64:
    """Append PIECES pieces to /thread-K, each its own open and close, then read it back."""
    name: Array[u8, 16]
    w = Writer(buf=addr(name[0]), cap=len(name))
    w.write(f"/thread-{k}")
    path = w.text()
    buf = new_array(u8, PIECES * PIECE)
    for j in range(PIECES):
        script.fill_into(buf.ptr, k * 100 + u64(j), PIECE)
        fd = vfs.open(path, vfs.WRITE | vfs.CREATE | vfs.APPEND)
        if fd < 0 or vfs.write(fd, buf[0:PIECE]) != PIECE:
            sizes[k] = -1
        vfs.close(fd)
    fd = vfs.open(path, vfs.READ)
    n = vfs.read(fd, buf)
    vfs.close(fd)
    if sizes[k] == 0:
        sizes[k] = n
    crcs[k] = script.crc_update(0, buf.ptr, u64(n) if n > 0 else 0)
    free(buf)
    return 0


def run_threads(n: i64) -> None:
    workers: Array[Ptr[threads.Thread], 8]
    for k in range(n):
        workers[k] = threads.spawn(appender, u64(k), i32(k % cpu.count))
    for k in range(n):
        threads.join(workers[k])
    for k in range(n):
        print(f"thread {k} {sizes[k]} {crcs[k]:08x}")


def main() -> i32:
    global base_time
    base_time = u32(cmdline.int_value("now", 0))
    dev = virtio_blk.probe(0)
    if dev is None:
        print("no disk")
        return 1
    r = vfs.mount(dev, clock)
    if r < 0:
        print(f"mount failed: {error.name(r)}: {vfs.mount_error()}")
        return 2
    print(f"mounted {dev.sectors * 512 // 1048576} MiB")
    text = new_array(u8, MAX_SCRIPT)
    fd = vfs.open(SCRIPT, vfs.READ)
    n = vfs.read(fd, text) if fd >= 0 else fd
    vfs.close(fd)
    if n < 0:
        print(f"no script: {error.name(n)}")
        return 3
    start = threads.now_ns()
    script.run(text.ptr, u64(n))
    workers = cmdline.int_value("threads", 0)
    run_threads(workers if workers <= MAX_THREADS else MAX_THREADS)
    r = vfs.unmount()
    ms = (threads.now_ns() - start) // 1000000
    st = addr(dev.stats)
    print(f"unmount {r}")
    print(f"stats: {ms} ms, {st.reads} reads ({st.sectors_read} sectors), {st.writes} writes "
          f"({st.sectors_written} sectors), {st.flushes} flushes, {st.interrupts} interrupts")
    return 0 if r == 0 else 4
