# The NIC drivers against devices that lie about lengths and buffers, booted: the test
# plays the device. No real NIC is touched.
#
# virtio-net: virtio_net.start() on a fake transport (its Ops answer as a device would:
# 16-entry queues, MRG_RXBUF and VERSION_1 offered, set_status(0) counted as a reset),
# then completions written into its receive queue by hand: good frames, a length one
# past the buffer posted, one far past it, one shorter than the device header, a used
# entry whose id wraps to a real descriptor in 16 bits (0x10000); on the transmit queue,
# a completion of a descriptor it was never given. Then start() again on the same
# transport, as a second probe.
#
# e1000: an E1000 set up by the driver's own functions over RAM standing in for its
# registers (the test reads back RCTL), then receive descriptors completed by hand: one
# frame in one descriptor, one in two (1024 + 490 bytes, its bytes checked across the
# seam), a descriptor claiming 2048 bytes, a frame of three 1024-byte parts (longer
# than a packet), an error on the first part of a two-part frame.
#
# Each prints one line of what the driver did; the packet pool must end where it
# started (nothing leaked, nothing freed twice). Exit 0.
from kaa.lang import *
import kernel.drivers.e1000 as e1000
import kernel.drivers.virtio.transport as transport
import kernel.drivers.virtio.virtqueue as virtqueue
import kernel.drivers.virtio_net as virtio_net
import kernel.mm.pages as pages
import kernel.net.packet as packet
from kernel.arch.x86_64.traps import TrapFrame
from kernel.drivers.e1000 import E1000
from kernel.drivers.virtio.transport import Transport
from kernel.drivers.virtio.virtqueue import Virtqueue
from kernel.drivers.virtio_net import VirtioNet
from kernel.net.device import NetDevice
from kernel.net.packet import Packet

POOL: Final = 512
QUEUE: Final = 16
HEADER: Final = 12                  # virtio_net_hdr with num_buffers (modern)

ops: transport.Ops
fake: Transport
status_now: u8 = 0
resets: i32 = 0
delivered: i32 = 0
lengths: Array[u32, 16]
content_ok: bool = True
device_seen: u16 = 0                # receive buffers the fake virtio device has taken


# ---- the fake virtio transport -----------------------------------------------------

def f_features(t: Ptr[Transport], word: u32) -> u32:
    if word == 0:
        return (1 << virtio_net.F_MRG_RXBUF) | (1 << virtio_net.F_MAC)
    return 1 << (transport.F_VERSION_1 - 32)


def f_set_features(t: Ptr[Transport], word: u32, value: u32) -> None:
    pass


def f_status(t: Ptr[Transport]) -> u8:
    return status_now


def f_set_status(t: Ptr[Transport], value: u8) -> None:
    global status_now, resets
    if value == 0:
        resets += 1
    status_now = value


def f_queue_max(t: Ptr[Transport], index: u16) -> u16:
    return QUEUE


def f_setup_queue(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> bool:
    return True


def f_notify(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> None:
    pass


def f_ack(t: Ptr[Transport]) -> u32:
    return 0


def f_config8(t: Ptr[Transport], offset: u32) -> u8:
    return u8(0x50 + offset)


def f_config32(t: Ptr[Transport], offset: u32) -> u32:
    return 0


def f_connect(t: Ptr[Transport], handler: Fn[[Ptr[TrapFrame]], None]) -> bool:
    return True


# ---- what the stack would do with frames ---------------------------------------------

def pattern(k: u32) -> u8:
    return u8((k * 7 + 3) & 0xFF)


def on_frame(d: Ptr[NetDevice], p: Ptr[Packet]) -> None:
    global delivered, content_ok
    if delivered < 16:
        lengths[delivered] = p.len
    delivered += 1
    for k in range(p.len):
        if p.data[p.start + k] != pattern(u32(k)):
            content_ok = False
    packet.release(p)


def show_lengths(w: Ptr[Writer]) -> None:
    for i in range(delivered if delivered < 16 else 16):
        w.write(f" {lengths[i]}")


# ---- virtio-net ------------------------------------------------------------------------

def push_used(vq: Ptr[Virtqueue], id: u32, length: u32) -> None:
    """The device puts (id, length) on the used ring, as it likes."""
    idx = vq.used_idx[0]
    e = addr(vq.used_ring[idx % vq.size])
    e.id = id
    e.len = length
    mfence()
    vq.used_idx[0] = idx + 1


def complete(vq: Ptr[Virtqueue], length: u32) -> None:
    """The device takes the next buffer offered and returns it with `length` bytes
    written: the header (one buffer), then the frame's pattern, as far as the buffer
    really holds (a liar's extra bytes have nowhere to go)."""
    global device_seen
    id = u32(vq.avail_ring[device_seen % vq.size])
    device_seen += 1
    desc = addr(vq.desc[id])
    b = cast(Ptr[u8], desc.addr)
    for i in range(HEADER):
        b[i] = 0
    b[10] = 1                       # num_buffers
    k: u32 = HEADER
    while k < length and k < desc.len:
        b[k] = pattern(k - HEADER)
        k += 1
    push_used(vq, id, length)


def ring_held(vq: Ptr[Virtqueue]) -> u64:
    return u64(vq.size - vq.num_free)


def virtio_net_lies() -> Ptr[VirtioNet]:
    global ops, delivered
    ops = transport.Ops(features=f_features, set_features=f_set_features, status=f_status,
                        set_status=f_set_status, queue_max=f_queue_max, setup_queue=f_setup_queue,
                        notify=f_notify, ack_interrupt=f_ack, config8=f_config8, config32=f_config32,
                        connect=f_connect)
    fake.ops = addr(ops)
    fake.modern = True
    fake.device_id = transport.DEVICE_NET
    d = virtio_net.start(addr(fake))
    if d is None:
        print("virtio-net: start failed")
        return None
    d.receive = on_frame
    vn = cast(Ptr[VirtioNet], d)
    rx = addr(vn.rx)
    tx = addr(vn.tx)
    posted = rx.desc[0].len
    delivered = 0
    good = u32(HEADER + 60)
    complete(rx, good)                              # a good frame
    complete(rx, posted + 1)                        # one byte past the buffer
    complete(rx, 5000)                              # far past it
    complete(rx, 8)                                 # shorter than the header
    push_used(rx, 0x10000, good)                    # 0 in 16 bits: no descriptor of ours
    complete(rx, good)                              # and the ring still works
    d.poll(d, 64)
    p = packet.alloc()                              # transmit one frame: the device returns
    p.len = 60                                      # a descriptor it was never given first
    d.transmit(d, p)
    d.flush(d)
    sent = u32(tx.avail_ring[0])
    push_used(tx, (sent + 1) % QUEUE, 0)
    push_used(tx, sent, 0)
    d.poll(d, 64)
    w = Writer(buf=addr(line[0]), cap=len(line))
    w.write(f"virtio-net: delivered {delivered} lengths")
    show_lengths(addr(w))
    s = addr(d.stats)
    w.write(f" content {content_ok} bad length {s.rx_bad_length} device errors {s.device_errors}"
            f" dropped {s.rx_dropped} overlong {rx.overlong} tx free {tx.num_free} of {tx.size}")
    print(w.text())
    second = virtio_net.start(addr(fake))
    print(f"virtio-net: second start same device {second == d} resets {resets} status {status_now}"
          f" receive ring full {rx.num_free == 0}")
    return vn


line: Array[u8, 256]


# ---- e1000 -------------------------------------------------------------------------

def fill(e: Ptr[E1000], i: u32, length: u16, status: u8, errors: u8, offset: u32) -> None:
    """The device wrote descriptor i: `length` bytes of the pattern from offset on (as
    far as the packet's room goes: a liar's extra bytes have nowhere to go)."""
    r = addr(e.rx_ring[i])
    b = cast(Ptr[u8], r.addr)
    k: u32 = 0
    while k < u32(length) and k < e1000.RX_BUFFER:
        b[k] = pattern(offset + k)
        k += 1
    r.length = length
    r.errors = errors
    mfence()
    r.status = status


def e1000_lies() -> None:
    global delivered, content_ok
    regs = pages.alloc(6)                           # RAM where the registers would be (to 0x5404)
    ring = pages.alloc(2)
    if regs == 0 or ring == 0:
        print("e1000: no memory")
        return
    e1000.zero(regs, 6 * pages.PAGE)
    e1000.zero(ring, 2 * pages.PAGE)
    e = new(E1000)
    e.regs = regs
    e.rx_ring = cast(Ptr[e1000.RxDesc], ring)
    e.tx_ring = cast(Ptr[e1000.TxDesc], ring + pages.PAGE)
    if not e1000.fill_receive_ring(e):
        print("e1000: pool too small")
        return
    e1000.setup_receive(e)
    rctl = mmio_read32(regs + e1000.RCTL)
    d = addr(e.dev)
    d.name = "e1000"
    d.receive = on_frame
    delivered = 0
    content_ok = True
    dd_eop: u8 = e1000.RX_STATUS_DD | e1000.RX_STATUS_EOP
    fill(e, 0, 60, dd_eop, 0, 0)                    # one descriptor
    fill(e, 1, 1024, e1000.RX_STATUS_DD, 0, 0)      # two: 1024 + 490
    fill(e, 2, 490, dd_eop, 0, 1024)
    fill(e, 3, 2048, dd_eop, 0, 0)                  # more than the buffer it was told of
    fill(e, 4, 1024, e1000.RX_STATUS_DD, 0, 0)      # three parts: longer than a packet
    fill(e, 5, 1024, e1000.RX_STATUS_DD, 0, 1024)
    fill(e, 6, 100, dd_eop, 0, 2048)
    fill(e, 7, 1024, e1000.RX_STATUS_DD, 0x01, 0)   # CRC error on the first of two parts
    fill(e, 8, 200, dd_eop, 0, 1024)
    fill(e, 9, 60, dd_eop, 0, 0)                    # and the ring still works
    n = e1000.poll(d, 64)
    w = Writer(buf=addr(line[0]), cap=len(line))
    w.write(f"e1000: rctl bsize {1024 if rctl & (3 << 16) == e1000.RCTL_BSIZE_1024 and rctl & (1 << 25) == 0 else 0}"
            f" descriptors {n} delivered {delivered} lengths")
    show_lengths(addr(w))
    s = addr(d.stats)
    w.write(f" content {content_ok} bad length {s.rx_bad_length} dropped {s.rx_dropped}"
            f" rdt {mmio_read32(regs + e1000.RDT)}")
    print(w.text())


def main() -> i32:
    if not packet.init(POOL):
        print("no memory for packets")
        return 1
    vn = virtio_net_lies()
    if vn is None:
        return 1
    e1000_lies()
    held = ring_held(addr(vn.rx)) + ring_held(addr(vn.tx)) + e1000.RX_SIZE
    print(f"pool {packet.available()} free, {held} in rings, of {POOL}")
    return 0
