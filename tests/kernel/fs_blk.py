# virtio-blk, booted, on a raw disk image the test made (kaa run --disk IMG).
# Prints the device's geometry; four threads then write and read back their own
# regions at once (requests of many sizes in flight together); one transfer of 1 MiB
# is split into several requests; requests past the end fail with RANGE before
# reaching the device; a flush succeeds. The host checks the image afterwards: sector
# s of region k (k = 0..3, 2048 sectors each from sector 8192 * (k + 1)) holds bytes
# (k * 37 + s * 11 + i) & 0xFF, and sectors 65536.. hold the 1 MiB pattern i * 7 + 3.
from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.drivers.virtio_blk as virtio_blk
import kernel.threads as threads
from kernel.fs.block_device import BlockDevice, BlockError

REGION: Final = 2048
BIG: Final = 1 << 20

dev: Ptr[BlockDevice] = None
failures: i32 = 0


def pattern(k: u64, sector: u64, buf: Ptr[u8], n: u64) -> None:
    for s in range(n):
        for i in range(512):
            buf[s * 512 + u64(i)] = u8(k * 37 + (sector + s) * 11 + u64(i))


def worker(k: u64) -> i64:
    """Fill region k in requests of 1, 2, 3, ... sectors, then read it back whole."""
    global failures
    base = 8192 * (k + 1)
    buf = new_array(u8, REGION * 512)
    done: u64 = 0
    size: u64 = 1
    while done < REGION:
        n = size if size < REGION - done else REGION - done
        pattern(k, done, buf.ptr, n)
        err = dev.write(dev, base + done, u32(n), buf.ptr)
        if err != BlockError.OK:
            print(f"worker {k}: write at {done} failed: {err}")
            failures += 1
        done += n
        size = size % 67 + 1
    for i in range(REGION * 512):
        buf[i] = 0
    err = dev.read(dev, base, REGION, buf.ptr)
    check = new_array(u8, REGION * 512)
    pattern(k, 0, check.ptr, REGION)
    bad = 0
    for i in range(REGION * 512):
        if buf[i] != check[i]:
            bad += 1
    if err != BlockError.OK or bad != 0:
        print(f"worker {k}: read back err {err}, {bad} bytes differ")
        failures += 1
    free(buf)
    free(check)
    return i64(k)


def main() -> i32:
    global dev, failures
    dev = virtio_blk.probe(0)
    if dev is None:
        print("no disk")
        return 1
    t = cast(Ptr[virtio_blk.VirtioBlk], dev).t
    kind = "pci" if t.pci is not None else "mmio"
    print(f"disk sectors {dev.sectors} block {dev.block_size} read_only {dev.read_only} "
          f"{kind} {'modern' if t.modern else 'legacy'}")
    workers: Array[Ptr[threads.Thread], 4]
    for k in range(4):
        workers[k] = threads.spawn(worker, u64(k), i32(k % cpu.count))     # across every CPU
    for k in range(4):
        threads.join(workers[k])
    big = new_array(u8, BIG)
    for i in range(BIG):
        big[i] = u8(i * 7 + 3)
    err = dev.write(dev, 65536, BIG // 512, big.ptr)
    for i in range(BIG):
        big[i] = 0
    err2 = dev.read(dev, 65536, BIG // 512, big.ptr)
    bad = 0
    for i in range(BIG):
        if big[i] != u8(i * 7 + 3):
            bad += 1
    print(f"big write {err} read {err2} differ {bad}")
    one: Array[u8, 1024]
    last = dev.sectors - 1
    print(f"range: last {dev.read(dev, last, 1, addr(one[0]))} past {dev.read(dev, last, 2, addr(one[0]))} "
          f"beyond {dev.write(dev, dev.sectors, 1, addr(one[0]))} huge {dev.read(dev, 0xFFFFFFFFFFFFFFF0, 1, addr(one[0]))}")
    print(f"flush {dev.flush(dev)}")
    st = addr(dev.stats)
    print(f"requests {st.reads} reads {st.writes} writes, {st.interrupts > 0} interrupts")
    print(f"failures {failures}")
    return 0 if failures == 0 else 1
