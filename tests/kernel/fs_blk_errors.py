# virtio-blk errors, booted: the test attaches the disk through QEMU's blkdebug driver,
# which fails reads of sector 4096 with EIO (the device reports IOERR), or read-only
# (the device offers VIRTIO_BLK_F_RO). Prints each request's BlockError.
from kaa.lang import *
import kernel.drivers.virtio_blk as virtio_blk
from kernel.fs.block_device import BlockDevice

buf: Array[u8, 131072]


def main() -> i32:
    d = virtio_blk.probe(0)
    if d is None:
        print("no disk")
        return 1
    print(f"read_only {d.read_only}")
    print(f"read 0: {d.read(d, 0, 8, addr(buf[0]))}")
    print(f"read 4096: {d.read(d, 4096, 8, addr(buf[0]))}")
    print(f"read 4000..4200: {d.read(d, 4000, 200, addr(buf[0]))}")
    print(f"write 0: {d.write(d, 0, 8, addr(buf[0]))}")
    print(f"flush: {d.flush(d)}")
    print(f"errors {d.stats.errors}")
    return 0
