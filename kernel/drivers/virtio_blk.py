"""virtio-blk (virtio 1.x section 5.2): the BlockDevice of QEMU's virtio disks.

Attach with `-drive file=IMG,if=none,id=d0,format=raw -device virtio-blk-device,drive=d0`
on `-M microvm` (virtio-mmio; legacy unless `-global virtio-mmio.force-legacy=false`,
both driven), or `-device virtio-blk-pci,drive=d0,disable-legacy=on` on q35/pc
(`kaa run --disk DIR|IMG` does this).

One request queue (queue 0). A request is a chain of three descriptors (5.2.6): the
header {type, reserved, sector} the device reads, the data (the device writes it for
IN), and one status byte the device writes (OK, IOERR, UNSUPP); a flush has no data.
Requests live in slots, each holding its header and status so the device can reach
them; there are as many slots as the ring has room for chains (at most 32), so adding
a chain never finds the ring full. A transfer larger than one request (the device's
size_max, else 128 KiB) is split, and up to WINDOW of its requests are in flight
together; other threads' requests share the ring meanwhile.

Completion: the interrupt handler only acknowledges the device and wakes every thread
waiting on a request (it sets the slot's `signal` first, so a wake-up cannot be lost
between a waiter's check and its sleep). A woken thread harvests the used ring under
the device lock, marks each finished slot `done`, and wakes that slot's owner if it
is another thread. Chains are built and returned by the virtqueue module
(virtqueue.add_chain, virtqueue.take), as virtio-net's are.

Every call blocks the calling thread (it must be a thread, not an interrupt handler)
and returns a BlockError: RANGE before anything reaches the device, IO or UNSUPPORTED
as the device reported.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.traps as traps
import kernel.drivers.virtio.transport as transport
import kernel.drivers.virtio.transport_mmio as transport_mmio
import kernel.drivers.virtio.transport_pci as transport_pci
import kernel.drivers.virtio.virtqueue as virtqueue
import kernel.fs.block_device as block_device
import kernel.threads as threads
from kernel.drivers.virtio.transport import Transport
from kernel.drivers.virtio.virtqueue import Virtqueue
from kernel.fs.block_device import SECTOR, BlockDevice, BlockError

# Feature bits (5.2.3)
F_SIZE_MAX: Final = 1               # size_max: largest data segment
F_SEG_MAX: Final = 2
F_RO: Final = 5                     # read-only device
F_BLK_SIZE: Final = 6               # blk_size: the preferred block size
F_FLUSH: Final = 9                  # the device has a write cache: FLUSH requests work

# Configuration space (5.2.4): read-only to the driver.
CONFIG_CAPACITY: Final = 0          # le64, in 512-byte sectors
CONFIG_SIZE_MAX: Final = 8          # le32
CONFIG_BLK_SIZE: Final = 20         # le32

# Request types and status (5.2.6)
T_IN: Final = 0
T_OUT: Final = 1
T_FLUSH: Final = 4
S_OK: Final = 0
S_IOERR: Final = 1
S_UNSUPP: Final = 2
S_PENDING: Final = 0xFF             # what we put there: the device has not answered

QUEUE: Final = 0
MAX_QUEUE: Final = 256
MAX_SLOTS: Final = 32
WINDOW: Final = 8                   # requests of one transfer in flight at once
MAX_REQUEST: Final = 131072         # bytes of data per request without size_max
MAX_DEVICES: Final = 4


@struct(packed=True)
class RequestHeader:
    type: u32
    reserved: u32
    sector: u64


@struct
class Slot:
    header: RequestHeader           # driver writes before submitting; device reads
    status: u8                      # device writes
    in_use: bool                    # owned by a thread (under the device lock)
    done: i32                       # set by whichever thread harvested the completion
    signal: i32                     # 1: re-check done (set by interrupts and harvesters)
    wq: threads.WaitQueue           # the owner waits here


@struct
class VirtioBlk:
    dev: BlockDevice                # first: a Ptr[BlockDevice] is a Ptr[VirtioBlk]
    t: Ptr[Transport]
    vq: Virtqueue                   # guarded by lock
    lock: SpinLock
    slots: Slice[Slot]
    slot_freed: i32                 # 1 once a slot was released (wakes slot_wq)
    slot_wq: threads.WaitQueue
    max_sectors: u32                # per request
    flush_supported: bool


devices: Array[Ptr[VirtioBlk], 4]
count: i32 = 0


def probe(index: i32) -> Ptr[BlockDevice]:
    """The index-th virtio-blk device (virtio-mmio ones first, then virtio-pci),
    initialised, or None."""
    t = transport_mmio.find(transport.DEVICE_BLOCK, index)
    if t is None:
        mmio: i32 = 0
        while transport_mmio.find(transport.DEVICE_BLOCK, mmio) is not None:
            mmio += 1
        t = transport_pci.find(transport.DEVICE_BLOCK, index - mmio)
    if t is None:
        return None
    return start(t)


def start(t: Ptr[Transport]) -> Ptr[BlockDevice]:
    """Initialise the device behind t (3.1.1); None if it fails. A device already
    started is returned as it is (probing twice must not reset it under its users)."""
    global count
    for i in range(count):
        if devices[i].t == t:
            return addr(devices[i].dev)
    if count == MAX_DEVICES:
        return None
    # Steps 1-6: reset, acknowledge, driver, features, FEATURES_OK.
    wanted: u32 = (1 << F_SIZE_MAX) | (1 << F_RO) | (1 << F_BLK_SIZE) | (1 << F_FLUSH)
    agreed = transport.negotiate(t, wanted, 1 << (transport.F_VERSION_1 - 32))
    if agreed >> 63:
        return None
    b = new(VirtioBlk)
    b.t = t
    b.flush_supported = agreed & (1 << F_FLUSH) != 0
    b.max_sectors = MAX_REQUEST // SECTOR
    if agreed & (1 << F_SIZE_MAX):
        size_max = transport.config32(t, CONFIG_SIZE_MAX)
        if SECTOR <= size_max < MAX_REQUEST:
            b.max_sectors = size_max // SECTOR
    d = addr(b.dev)
    d.name = "virtio-blk"
    low = transport.config32(t, CONFIG_CAPACITY)
    d.sectors = u64(low) | (u64(transport.config32(t, CONFIG_CAPACITY + 4)) << 32)
    d.block_size = SECTOR
    if agreed & (1 << F_BLK_SIZE):
        bs = transport.config32(t, CONFIG_BLK_SIZE)
        if bs >= SECTOR and bs & (bs - 1) == 0:
            d.block_size = bs
    d.read_only = agreed & (1 << F_RO) != 0
    d.driver = cast(Ptr[None], b)
    d.read = read
    d.write = write
    d.flush = flush
    devices[count] = b              # the interrupt handler finds it here
    count += 1
    # Step 7: the interrupt (before the queue: virtio-pci binds its MSI-X vector to it),
    # then the request queue.
    if not (transport.connect(t, on_interrupt) and setup_queue(b)):
        count -= 1
        transport.set_status(t, transport.FAILED)
        return None
    # Step 8: DRIVER_OK.
    transport.finish(t)
    return d


def setup_queue(b: Ptr[VirtioBlk]) -> bool:
    size = transport.queue_max(b.t, QUEUE)
    if size < 4:
        return False                # not even one chain of three fits
    if size > MAX_QUEUE:
        size = MAX_QUEUE
    if not (virtqueue.init(addr(b.vq), QUEUE, size, False) and transport.setup_queue(b.t, addr(b.vq))):
        return False
    n = u32(size) // 3
    b.slots = new_array(Slot, n if n < MAX_SLOTS else MAX_SLOTS)
    return True


# --- the ring: chains in, completions out (under b.lock) ---

def chain_add(b: Ptr[VirtioBlk], s: Ptr[Slot], data: u64, nbytes: u32, device_writes: bool) -> None:
    """Put s's request on the available ring: header, data (if any), status."""
    pieces: Array[virtqueue.Buffer, 3]
    pieces[0] = virtqueue.Buffer(addr=cast(u64, addr(s.header)), len=u32(sizeof(RequestHeader)))
    n = 1
    if nbytes > 0:
        pieces[1] = virtqueue.Buffer(addr=data, len=nbytes, device_writes=device_writes)
        n = 2
    pieces[n] = virtqueue.Buffer(addr=cast(u64, addr(s.status)), len=1, device_writes=True)
    if not virtqueue.add_chain(addr(b.vq), pieces[0:n + 1], cast(u64, s)):
        panic("virtio_blk.chain_add: ring full")     # slots are sized so it never is


def harvest(b: Ptr[VirtioBlk]) -> None:
    """Take every finished request off the used ring and tell its owner."""
    vq = addr(b.vq)
    length: u32 = 0
    with b.lock:
        while True:
            cookie = virtqueue.take(vq, addr(length))     # frees the whole chain
            if cookie == 0:
                break
            s = cast(Ptr[Slot], cookie)
            atomic_store(addr(s.done), 1)
            atomic_store(addr(s.signal), 1)
            threads.wake_one(addr(s.wq))


def acquire(b: Ptr[VirtioBlk], may_wait: bool) -> Ptr[Slot]:
    """A free slot; with may_wait, wait for one, else None when all are taken."""
    while True:
        with b.lock:
            for i in range(len(b.slots)):
                s = addr(b.slots[i])
                if not s.in_use:
                    s.in_use = True
                    return s
            atomic_store(addr(b.slot_freed), 0)
        if not may_wait:
            return None
        threads.wait_unless(addr(b.slot_wq), addr(b.slot_freed), 1)


def release(b: Ptr[VirtioBlk], s: Ptr[Slot]) -> None:
    with b.lock:
        s.in_use = False
        atomic_store(addr(b.slot_freed), 1)
    threads.wake_all(addr(b.slot_wq))


def submit(b: Ptr[VirtioBlk], s: Ptr[Slot], kind: u32, sector: u64, data: u64, nbytes: u32) -> None:
    s.header.type = kind
    s.header.reserved = 0
    s.header.sector = sector
    s.status = S_PENDING
    atomic_store(addr(s.done), 0)
    atomic_store(addr(s.signal), 0)
    kick = False
    with b.lock:
        chain_add(b, s, data, nbytes, kind == T_IN)
        kick = virtqueue.publish(addr(b.vq))
    if kick:
        transport.notify(b.t, addr(b.vq))


def finish(b: Ptr[VirtioBlk], s: Ptr[Slot]) -> i32:
    """Wait for s's request to complete; release the slot; its BlockError."""
    while True:
        atomic_store(addr(s.signal), 0)
        harvest(b)
        if atomic_load(addr(s.done)) == 1:
            break
        threads.wait_unless(addr(s.wq), addr(s.signal), 1)
    status = s.status
    release(b, s)
    if status == S_OK:
        return BlockError.OK
    b.dev.stats.errors += 1
    return BlockError.UNSUPPORTED if status == S_UNSUPP else BlockError.IO


# --- BlockDevice operations ---

def transfer(d: Ptr[BlockDevice], kind: u32, sector: u64, count: u32, buf: Ptr[u8]) -> i32:
    """Move count sectors in requests of at most max_sectors, WINDOW in flight at once."""
    b = cast(Ptr[VirtioBlk], d)
    if not block_device.in_range(d, sector, count):
        d.stats.errors += 1
        return BlockError.RANGE
    if kind == T_OUT and d.read_only:
        return BlockError.READ_ONLY
    window: Array[Ptr[Slot], 8]
    head = 0
    inflight = 0
    sent: u32 = 0
    result: i32 = BlockError.OK
    while sent < count or inflight > 0:
        if sent < count and inflight < WINDOW:
            s = acquire(b, inflight == 0)   # never wait for a slot while holding some
            if s is not None:
                n = count - sent if count - sent < b.max_sectors else b.max_sectors
                submit(b, s, kind, sector + sent, cast(u64, buf) + u64(sent) * SECTOR, n * SECTOR)
                window[(head + inflight) % WINDOW] = s
                inflight += 1
                sent += n
                if kind == T_IN:
                    d.stats.reads += 1
                    d.stats.sectors_read += n
                else:
                    d.stats.writes += 1
                    d.stats.sectors_written += n
                continue
        err = finish(b, window[head])
        head = (head + 1) % WINDOW
        inflight -= 1
        if err != BlockError.OK and result == BlockError.OK:
            result = err
    return result


def read(d: Ptr[BlockDevice], sector: u64, count: u32, buf: Ptr[u8]) -> i32:
    return transfer(d, T_IN, sector, count, buf)


def write(d: Ptr[BlockDevice], sector: u64, count: u32, buf: Ptr[u8]) -> i32:
    return transfer(d, T_OUT, sector, count, buf)


def flush(d: Ptr[BlockDevice]) -> i32:
    b = cast(Ptr[VirtioBlk], d)
    if not b.flush_supported:
        return BlockError.OK        # no write cache: completed writes are durable
    s = acquire(b, True)
    submit(b, s, T_FLUSH, 0, 0, 0)
    d.stats.flushes += 1
    return finish(b, s)


def on_interrupt(frame: Ptr[traps.TrapFrame]) -> None:
    """Acknowledge, and wake every thread waiting on a request of the device."""
    for i in range(count):
        b = devices[i]
        if transport.ack_interrupt(b.t) == 0:
            continue
        b.dev.stats.interrupts += 1
        for k in range(len(b.slots)):
            s = addr(b.slots[k])
            if s.in_use and atomic_load(addr(s.done)) == 0:
                atomic_store(addr(s.signal), 1)
                threads.wake_one(addr(s.wq))
