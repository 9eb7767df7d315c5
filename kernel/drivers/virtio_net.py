"""virtio-net (virtio 1.x section 5.1): the NetDevice of QEMU's virtio NICs.

Attach with `-netdev user,id=n0 -device virtio-net-device,netdev=n0` on `-M microvm`
(virtio-mmio), or `-device virtio-net-pci,netdev=n0` on q35/pc (`kaa run` does this).

Queue 0 receives, queue 1 transmits. Each buffer is one Packet: the device header
(12 bytes, or 10 on a legacy transport without MRG_RXBUF) sits in the packet's headroom
right before the frame, so nothing is copied either way; a frame with an external
payload (TCP data sent by reference) is a chain of two descriptors, header and frame,
then the payload in place. The receive ring is kept full from the packet pool; a frame
that arrives when the pool is empty is dropped and its buffer reused, so the ring never
runs dry. Transmitted packets are reclaimed from the used ring on later calls, without
interrupts. Receive interrupts are off while the stack polls and re-armed (with
EVENT_IDX where offered) when it goes idle.

Offered features taken (section 5.1.3; the boot line lists those agreed):
- MRG_RXBUF: the header carries num_buffers. A receive buffer holds any frame of our
  MTU, so a frame the device spreads over more (a jumbo frame) is dropped, its other
  buffers given back as they come, and counted (rx_multi_buffer, rx_dropped).
- CSUM: the stack leaves TCP/UDP checksums of what it sends to the device
  (NetDevice.tx_checksum): NEEDS_CSUM with csum_start/csum_offset from the Packet.
  QEMU offers it only where the backend takes partial checksums (a tap with vnet
  headers); its user network does not, so there it stays off.
- GUEST_CSUM (a tap backend again): frames the device vouches for are marked and the
  stack skips verifying their TCP/UDP checksum.

Lengths from the device are not believed (virtqueue.take cuts them to the buffer): a
frame whose length says more than the buffer posted, or less than the device header,
is dropped and counted (rx_bad_length, in rx_dropped too), as are used entries naming
no buffer of ours (device_errors); the buffer goes back to the ring.

Probing twice gives the device already started, never a reset of a live device.

A missed transmit notification. With EVENT_IDX, QEMU 7.2 (Debian 12's) can leave the
transmit queue waiting for a notification the ring protocol says it does not need:
frames stay queued, unsent, while the guest rightly suppresses kicks (seen in a 64 MiB
echo over the user network: the ring held 105 frames for minutes, and one notify
written by hand drained it). So the driver watches the queue: frames outstanding with
no completion across STALL_CHECKS polls, or when the stack goes idle after a flush
that did not notify, are kicked again (counted in tx_rekicks). A spare notification costs one exit; the device ignores it.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.traps as traps
import kernel.drivers.virtio.transport as transport
import kernel.drivers.virtio.transport_mmio as transport_mmio
import kernel.drivers.virtio.transport_pci as transport_pci
import kernel.drivers.virtio.virtqueue as virtqueue
import kernel.net.packet as packet
from kernel.drivers.virtio.transport import Transport
from kernel.drivers.virtio.virtqueue import Virtqueue
from kernel.net.device import NetDevice
from kernel.net.packet import Packet

F_CSUM: Final = 0                   # the device completes checksums we leave partial
F_GUEST_CSUM: Final = 1             # the device checks received TCP/UDP checksums
F_MAC: Final = 5
F_MRG_RXBUF: Final = 15             # a frame may span receive buffers (num_buffers)
F_STATUS: Final = 16
# struct virtio_net_hdr (section 5.1.6), little-endian
HDR_FLAGS: Final = 0
HDR_CSUM_START: Final = 6
HDR_CSUM_OFFSET: Final = 8
HDR_NUM_BUFFERS: Final = 10
HDR_NEEDS_CSUM: Final = 1           # received: from the host without a checksum (trusted); sent: complete it
HDR_DATA_VALID: Final = 2
RX: Final = 0
TX: Final = 1
MAX_QUEUE: Final = 256
CONFIG_STATUS: Final = 6
LINK_UP: Final = 1
MAX_DEVICES: Final = 4
STALL_CHECKS: Final = 8             # polls with frames outstanding and no completion before a kick


@struct
class VirtioNet:
    dev: NetDevice                  # first: a Ptr[NetDevice] is a Ptr[VirtioNet]
    t: Ptr[Transport]
    rx: Virtqueue
    tx: Virtqueue
    header: u32                     # bytes of virtio_net_hdr before each frame
    status_feature: bool
    mergeable: bool                 # MRG_RXBUF agreed: num_buffers is meaningful
    rx_skip: u16                    # buffers still to give back of a frame dropped for spanning several
    tx_seen: u16                    # the transmit queue's used index at the last check
    tx_checks: u32                  # checks since it last moved, with frames outstanding
    detail: Array[u8, 64]           # NetDevice.detail's text
    tx_unkicked: bool               # the last flush published without notifying (EVENT_IDX said so)


devices: Array[Ptr[VirtioNet], 4]
count: i32 = 0


def probe() -> Ptr[NetDevice]:
    """The first virtio-net device (virtio-mmio, else virtio-pci), initialised, or None."""
    t = transport_mmio.find(transport.DEVICE_NET, 0)
    if t is None:
        t = transport_pci.find(transport.DEVICE_NET, 0)
    if t is None:
        return None
    return start(t)


def start(t: Ptr[Transport]) -> Ptr[NetDevice]:
    """Initialise the device behind t (3.1.1); None if it fails. A device already
    started is returned as it is (negotiate() would reset it under the stack)."""
    global count
    for i in range(count):
        if devices[i].t == t:
            return addr(devices[i].dev)
    if count == MAX_DEVICES:
        return None
    wanted: u32 = ((1 << F_MAC) | (1 << F_STATUS) | (1 << transport.F_EVENT_IDX) | (1 << F_GUEST_CSUM)
                   | (1 << F_CSUM) | (1 << F_MRG_RXBUF))
    agreed = transport.negotiate(t, wanted, 1 << (transport.F_VERSION_1 - 32))
    if agreed >> 63:
        return None
    vn = new(VirtioNet)
    vn.t = t
    vn.mergeable = agreed & (1 << F_MRG_RXBUF) != 0
    vn.header = 12 if t.modern or vn.mergeable else 10     # num_buffers: section 5.1.6.1
    vn.status_feature = agreed & (1 << F_STATUS) != 0
    event_idx = agreed & (1 << transport.F_EVENT_IDX) != 0
    devices[count] = vn             # the interrupt handler finds it here
    count += 1
    if not (transport.connect(t, on_interrupt) and queue(vn, addr(vn.rx), RX, event_idx)
            and queue(vn, addr(vn.tx), TX, event_idx)):
        count -= 1
        transport.set_status(t, transport.FAILED)
        return None
    d = addr(vn.dev)
    d.name = "virtio-net"
    d.mtu = 1500
    for i in range(6):
        d.mac[i] = transport.config8(t, u32(i)) if agreed & (1 << F_MAC) else u8(0x52 if i == 0 else i)
    d.driver = cast(Ptr[None], vn)
    d.gather = True                 # a frame's external payload is a second descriptor
    d.tx_checksum = agreed & (1 << F_CSUM) != 0
    d.transmit = transmit
    d.flush = flush
    d.poll = poll
    d.enable_interrupts = enable_interrupts
    d.tx_busy = tx_busy
    d.check_link = check_link
    d.link_up = link_up(vn)
    refill(vn)
    virtqueue.disable_interrupts(addr(vn.tx))           # transmit completions are polled
    transport.finish(t)
    if virtqueue.publish(addr(vn.rx)):
        transport.notify(t, addr(vn.rx))
    describe(vn, agreed)
    return d


def describe(vn: Ptr[VirtioNet], agreed: u64) -> None:
    """The transport and the offered features we took, for the network's boot line."""
    w = Writer(buf=addr(vn.detail[0]), cap=len(vn.detail))
    w.write(f"{transport.kind(vn.t)};{' csum' if agreed & (1 << F_CSUM) else ''}"
            f"{' guest_csum' if agreed & (1 << F_GUEST_CSUM) else ''}{' mrg_rxbuf' if agreed & (1 << F_MRG_RXBUF) else ''}"
            f"{' event_idx' if agreed & (1 << transport.F_EVENT_IDX) else ''}")
    vn.dev.detail = w.text()


def queue(vn: Ptr[VirtioNet], vq: Ptr[Virtqueue], index: u16, event_idx: bool) -> bool:
    size = transport.queue_max(vn.t, index)
    if size == 0:
        return False
    if size > MAX_QUEUE:
        size = MAX_QUEUE
    return virtqueue.init(vq, index, size, event_idx) and transport.setup_queue(vn.t, vq)


def link_up(vn: Ptr[VirtioNet]) -> bool:
    if not vn.status_feature:
        return True
    return transport.config8(vn.t, CONFIG_STATUS) & LINK_UP != 0


def check_link(d: Ptr[NetDevice]) -> None:
    # Polled: a configuration-change interrupt would need its own MSI-X vector.
    d.link_up = link_up(cast(Ptr[VirtioNet], d))


def post_receive(vn: Ptr[VirtioNet], p: Ptr[Packet]) -> bool:
    """Offer p to the device: it writes the header into the headroom, then the frame."""
    p.start = packet.HEADROOM
    offset = packet.HEADROOM - vn.header
    return virtqueue.add(addr(vn.rx), cast(u64, addr(p.data[offset])), packet.DATA_SIZE - offset, True,
                         cast(u64, p))


def refill(vn: Ptr[VirtioNet]) -> None:
    while vn.rx.num_free > 0:
        p = packet.alloc()
        if p is None:
            return
        post_receive(vn, p)


def transmit(d: Ptr[NetDevice], p: Ptr[Packet]) -> bool:
    """One frame: a descriptor for the device header and the frame, and a second for
    an external payload (read in place), unless only one is free: then it is copied."""
    vn = cast(Ptr[VirtioNet], d)
    reclaim(vn)
    if p.start < vn.header:
        packet.release(p)
        d.stats.tx_dropped += 1
        return False
    if p.ext_len > 0 and vn.tx.num_free == 1:
        packet.linearize(p)
        d.stats.tx_linearized += 1
    h = cast(Ptr[u8], addr(p.data[p.start - vn.header]))
    for i in range(vn.header):
        h[i] = 0                    # no offload, no segmentation, num_buffers 0 (sent)
    if p.offload & packet.CHECKSUM_PARTIAL != 0:    # set only when d.tx_checksum (CSUM agreed)
        h[HDR_FLAGS] = HDR_NEEDS_CSUM
        put16(h, HDR_CSUM_START, u16(p.csum_start - p.start))
        put16(h, HDR_CSUM_OFFSET, u16(p.csum_offset))
    pieces: Array[virtqueue.Buffer, 2]
    pieces[0] = virtqueue.Buffer(addr=cast(u64, h), len=p.len + vn.header)
    pieces[1] = virtqueue.Buffer(addr=cast(u64, p.ext), len=p.ext_len)
    n = 2 if p.ext_len > 0 else 1
    if not virtqueue.add_chain(addr(vn.tx), pieces[0:n], cast(u64, p)):
        packet.release(p)
        d.stats.tx_dropped += 1
        return False
    if n == 2:
        d.stats.tx_gathered += 1
    d.stats.tx_packets += 1
    d.stats.tx_bytes += p.wire_len()
    return True


def put16(h: Ptr[u8], at: u32, v: u16) -> None:
    h[at] = u8(v & 0xFF)
    h[at + 1] = u8(v >> 8)


def flush(d: Ptr[NetDevice]) -> None:
    vn = cast(Ptr[VirtioNet], d)
    kick = virtqueue.publish(addr(vn.tx))
    vn.tx_unkicked = not kick
    if kick:
        transport.notify(vn.t, addr(vn.tx))


def reclaim(vn: Ptr[VirtioNet]) -> None:
    length: u32 = 0
    while True:
        cookie = virtqueue.take(addr(vn.tx), addr(length))
        if cookie == 0:
            return
        packet.release(cast(Ptr[Packet], cookie))


def poll(d: Ptr[NetDevice], budget: i32) -> i32:
    vn = cast(Ptr[VirtioNet], d)
    n: i32 = 0
    length: u32 = 0
    while n < budget:
        cookie = virtqueue.take(addr(vn.rx), addr(length))
        if cookie == 0:
            break
        n += 1
        p = cast(Ptr[Packet], cookie)
        if not whole_frame(vn, p, length, vn.rx.truncated):
            post_receive(vn, p)             # keep the ring full: reuse this buffer
            continue
        fresh = packet.alloc()
        if fresh is None:
            d.stats.rx_dropped += 1
            post_receive(vn, p)
            continue
        post_receive(vn, fresh)
        p.start = packet.HEADROOM
        p.len = length - vn.header
        flags = p.data[packet.HEADROOM - vn.header]
        p.offload = packet.CHECKSUM_VERIFIED if flags & (HDR_NEEDS_CSUM | HDR_DATA_VALID) else 0
        d.stats.rx_packets += 1
        d.stats.rx_bytes += p.len
        d.receive(d, p)
    if n > 0 and virtqueue.publish(addr(vn.rx)):
        transport.notify(vn.t, addr(vn.rx))
    reclaim(vn)
    d.stats.device_errors = vn.rx.bad_used + vn.tx.bad_used
    watch_transmit(vn, STALL_CHECKS)
    return n


def whole_frame(vn: Ptr[VirtioNet], p: Ptr[Packet], length: u32, truncated: bool) -> bool:
    """Whether the buffer the device returned holds one whole frame; else it is to be
    given back: one whose length is past the buffer (truncated) or short of a header
    (both counted), the first of a frame spread over several buffers (counted; its
    num_buffers - 1 others are skipped as they come), or one of those."""
    if vn.rx_skip > 0:
        vn.rx_skip -= 1
        return False
    s = addr(vn.dev.stats)
    if truncated or length <= vn.header:
        s.rx_bad_length += 1
        s.rx_dropped += 1
        return False
    if not vn.mergeable:
        return True
    h = addr(p.data[packet.HEADROOM - vn.header])
    buffers = u16(h[HDR_NUM_BUFFERS]) | (u16(h[HDR_NUM_BUFFERS + 1]) << 8)
    if buffers == 1:
        return True
    if buffers > 1:
        # The rest cannot outnumber the ring; a device claiming more is not believed.
        vn.rx_skip = buffers - 1 if buffers <= vn.rx.size else vn.rx.size - 1
    s.rx_multi_buffer += 1
    s.rx_dropped += 1
    return False


def watch_transmit(vn: Ptr[VirtioNet], patience: u32) -> None:
    """Kick the transmit queue again when frames have waited `patience` checks with no
    completion (see the module's note on missed notifications)."""
    q = addr(vn.tx)
    if q.num_free == q.size or q.last_used != vn.tx_seen:
        vn.tx_seen = q.last_used
        vn.tx_checks = 0
        return
    vn.tx_checks += 1
    if vn.tx_checks >= patience:
        vn.tx_checks = 0
        vn.dev.stats.tx_rekicks += 1
        transport.notify(vn.t, q)


def tx_busy(d: Ptr[NetDevice]) -> bool:
    """Frames queued that the device has not used yet. QEMU sends from its main loop
    after the notification, so a machine that ends at once would lose them."""
    vn = cast(Ptr[VirtioNet], d)
    q = addr(vn.tx)
    return atomic_load(q.used_idx) != q.shadow_avail


def enable_interrupts(d: Ptr[NetDevice]) -> bool:
    vn = cast(Ptr[VirtioNet], d)
    if vn.tx_unkicked:              # about to sleep: no frame may wait for a kick it was denied
        watch_transmit(vn, 1)
    return virtqueue.enable_interrupts(addr(vn.rx))


def on_interrupt(frame: Ptr[traps.TrapFrame]) -> None:
    """Acknowledge, stop further receive interrupts until the stack re-arms, wake it."""
    for i in range(count):
        vn = devices[i]
        if transport.ack_interrupt(vn.t) != 0:
            vn.dev.stats.interrupts += 1
            virtqueue.disable_interrupts(addr(vn.rx))
            if vn.dev.wake is not None:
                vn.dev.wake(addr(vn.dev))
