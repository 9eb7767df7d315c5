"""e1000: the NetDevice of QEMU's `-device e1000` (Intel 82540EM, 8086:100E) on q35 and pc.

Attach with `-netdev user,id=n0 -device e1000,netdev=n0` (`kaa run --nic e1000`).
Registers, bits and the set-up steps are the 8254x Software Developer's Manual's
(PCI/PCI-X Family of Gigabit Ethernet Controllers): "SDM 13.4.22" names its section.

Rings. One receive and one transmit ring of legacy descriptors (SDM 3.2, 3.3.3),
a page each. Every descriptor points straight at a Packet's frame (physical address =
virtual), so nothing is copied. The hardware owns receive descriptors [RDH, RDT); the
driver refills each one it takes with a fresh Packet before giving it back, so one
descriptor (the last taken) is always held back and the ring never runs dry. The
device is told the buffer size that really fits: a packet's room past HEADROOM is 1880
bytes and RCTL offers 256, 512, 1024 or 2048 (4096 and up with BSEX), so 1024
(RX_BUFFER). A longer frame (long frames are off, RCTL.LPE = 0: at most 1522 bytes)
spans two descriptors; their bytes are copied behind the first one's, in its packet,
whose own descriptor gets a fresh packet. Lengths the device writes are not believed:
a descriptor claiming more than RX_BUFFER, or a frame longer than its packet's room,
is dropped and counted (rx_bad_length, in rx_dropped too). Transmit fills
descriptors and only flush() writes TDT; a sent packet is released once the device
sets its descriptor's DD bit, found by reclaim() on later transmit and poll calls. A
frame with an external payload (TCP data sent by reference) takes two descriptors,
the frame then the payload in place, EOP on the second.

Interrupts. QEMU's e1000 has no MSI capability: INTx, routed by pci.connect_intx.
The handler reads ICR (which acknowledges every cause), masks the device's
interrupts (IMC) and wakes the stack; enable_interrupts() unmasks them (IMS) once the
stack has polled the ring empty. Interrupt throttling is off (ITR = 0): masking
already limits interrupts to one per idle period. Frames the device had no descriptor
for (overrun, RXO) are counted in MPC, whose growth poll() adds to rx_dropped.

QEMU's e1000, as measured (7.2): it takes no frame for 1 s after each RCTL write
(frames meanwhile wait in QEMU's queue, and what does not fit the ring then is
dropped); it sends at the TDT write and slirp answers within it, so a reply can be in
the ring before flush() returns; short frames arrive padded to 64 bytes (zeros), CRC
stripped or not; MPC keeps counting (reads do not clear it); the link is up at once
after reset; LSC follows `set_link`.

Ownership: the fields marked (thread) belong to the thread that polls; the interrupt
handler only reads ICR, writes IMC, counts and sets the link_changed and overrun flags.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.tsc as tsc
import kernel.drivers.pci as pci
import kernel.mm.pages as pages
import kernel.net.packet as packet
import kernel.net.wire.field as field
import kernel.arch.x86_64.traps as traps
from kernel.drivers.pci import PciDevice
from kernel.net.device import NetDevice
from kernel.net.packet import Packet

VENDOR_INTEL: Final = 0x8086
DEVICE_82540EM: Final = 0x100E

# Registers (SDM 13.4 and 13.5), offsets in BAR 0.
CTRL: Final = 0x0000        # R/W  device control
STATUS: Final = 0x0008      # R    device status
EERD: Final = 0x0014        # R/W  EEPROM read
FCAL: Final = 0x0028        # R/W  flow control address low
FCAH: Final = 0x002C        # R/W  flow control address high
FCT: Final = 0x0030         # R/W  flow control type
ICR: Final = 0x00C0         # RC   interrupt cause: reading clears it
ITR: Final = 0x00C4         # R/W  interrupt throttling
ICS: Final = 0x00C8         # W    interrupt cause set
IMS: Final = 0x00D0         # R/W  interrupt mask set: 1 bits enable
IMC: Final = 0x00D8         # W    interrupt mask clear: 1 bits disable
RCTL: Final = 0x0100        # R/W  receive control (13.4.22)
FCTTV: Final = 0x0170       # R/W  flow control transmit timer value
TCTL: Final = 0x0400        # R/W  transmit control (13.4.33)
TIPG: Final = 0x0410        # R/W  transmit inter-packet gap (13.4.34)
RDBAL: Final = 0x2800       # R/W  receive ring base, low 32 bits
RDBAH: Final = 0x2804       # R/W  receive ring base, high 32 bits
RDLEN: Final = 0x2808       # R/W  receive ring bytes, a multiple of 128 (13.4.27)
RDH: Final = 0x2810         # R/W  receive head: the device's next descriptor (13.4.28)
RDT: Final = 0x2818         # R/W  receive tail: the first descriptor it may not use
RDTR: Final = 0x2820        # R/W  receive delay timer
RADV: Final = 0x282C        # R/W  receive absolute delay timer
TDBAL: Final = 0x3800       # R/W  transmit ring base, low
TDBAH: Final = 0x3804       # R/W  transmit ring base, high
TDLEN: Final = 0x3808       # R/W  transmit ring bytes
TDH: Final = 0x3810         # R/W  transmit head
TDT: Final = 0x3818         # R/W  transmit tail
TIDV: Final = 0x3820        # R/W  transmit interrupt delay
MPC: Final = 0x4010         # R    missed packets: frames dropped for want of a descriptor
MTA: Final = 0x5200         # R/W  multicast table, 128 dwords
RAL0: Final = 0x5400        # R/W  receive address 0, low
RAH0: Final = 0x5404        # R/W  receive address 0, high; bit 31 = address valid

CTRL_ASDE: Final = 1 << 5           # auto-speed detection
CTRL_SLU: Final = 1 << 6            # set link up
CTRL_LRST: Final = 1 << 3           # link reset
CTRL_ILOS: Final = 1 << 7           # invert loss-of-signal
CTRL_RST: Final = 1 << 26           # device reset, self-clearing
CTRL_VME: Final = 1 << 30           # VLAN mode
CTRL_PHY_RST: Final = 1 << 31
STATUS_LU: Final = 1 << 1           # link up
EERD_START: Final = 1 << 0
EERD_DONE: Final = 1 << 4           # 82540EM's position (82541 and later: bit 1)
EERD_ADDR_SHIFT: Final = 8
RAH_AV: Final = 1 << 31

ICR_TXDW: Final = 1 << 0            # interrupt causes (13.4.17), also the IMS/IMC bits
ICR_LSC: Final = 1 << 2             # link status change
ICR_RXDMT0: Final = 1 << 4          # receive ring below its minimum threshold
ICR_RXO: Final = 1 << 6             # receiver overrun
ICR_RXT0: Final = 1 << 7            # receiver timer: a frame arrived
RX_INTERRUPTS: Final = ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC
ALL_INTERRUPTS: Final = 0xFFFFFFFF

RCTL_EN: Final = 1 << 1
RCTL_BAM: Final = 1 << 15           # accept broadcast
RCTL_BSIZE_1024: Final = 1 << 16    # with BSEX = 0 (13.4.22: 00 is 2048 bytes, 01 1024)
RCTL_SECRC: Final = 1 << 26         # strip the Ethernet CRC
TCTL_EN: Final = 1 << 1
TCTL_PSP: Final = 1 << 3            # pad short packets to 64 bytes
TCTL_CT: Final = 0x0F << 4          # collision threshold (recommended)
TCTL_COLD: Final = 0x40 << 12       # collision distance: full duplex
TIPG_VALUE: Final = 10 | (8 << 10) | (6 << 20)  # IPGT, IPGR1, IPGR2 for copper (13.4.34)

# Descriptor bits.
RX_STATUS_DD: Final = 1 << 0        # descriptor done
RX_STATUS_EOP: Final = 1 << 1       # end of packet
RX_ERRORS: Final = 0x97             # CE, SE, SEQ, CXE, RXE: a damaged frame
TX_CMD_EOP: Final = 1 << 0
TX_CMD_IFCS: Final = 1 << 1         # insert the CRC
TX_CMD_RS: Final = 1 << 3           # report status: set DD when sent
TX_STATUS_DD: Final = 1 << 0

RX_SIZE: Final = 256                # descriptors of 16 bytes: a page per ring
RX_BUFFER: Final = 1024             # bytes the device may write per receive descriptor (RCTL.BSIZE)
TX_SIZE: Final = 256
MIN_FRAME: Final = 60               # Ethernet's minimum, less the CRC
MAX_DEVICES: Final = 4
RESET_TIMEOUT_NS: Final = 10000000
EEPROM_TIMEOUT_NS: Final = 10000000


@struct
class RxDesc:
    addr: u64                       # driver: the buffer
    length: u16                     # device: bytes written
    checksum: u16                   # device
    status: u8                      # device: DD, EOP, ...; the driver clears it
    errors: u8                      # device
    special: u16                    # device


@struct
class TxDesc:
    addr: u64                       # driver: the frame
    length: u16                     # driver
    cso: u8                         # driver: checksum offset (unused)
    cmd: u8                         # driver: EOP, IFCS, RS
    status: u8                      # device: DD once sent; the driver clears it
    css: u8                         # driver: checksum start (unused)
    special: u16                    # driver


@struct
class E1000:
    dev: NetDevice                  # first: a Ptr[NetDevice] is a Ptr[E1000]
    pci: Ptr[PciDevice]
    regs: u64                       # BAR 0
    gsi: i32
    rx_ring: Ptr[RxDesc]
    tx_ring: Ptr[TxDesc]
    rx_buffers: Array[Ptr[Packet], 256]     # the packet behind each receive descriptor (thread)
    tx_buffers: Array[Ptr[Packet], 256]     # the packet behind each transmit descriptor until done (thread)
    rx_next: u32                    # next receive descriptor to look at (thread)
    rx_discarding: bool             # dropping the rest of a frame that spanned descriptors (thread)
    rx_frame: Ptr[Packet]           # a frame spanning descriptors, its first part in place (thread)
    tx_tail: u32                    # next free transmit descriptor (thread)
    tx_flushed: u32                 # TDT as last written (thread)
    tx_clean: u32                   # oldest transmit descriptor not yet reclaimed (thread)
    link_changed: bool              # set by the handler on LSC, cleared by poll
    overrun: bool                   # set by the handler on RXO: poll counts MPC's growth
    missed: u32                     # MPC when last read (thread)


devices: Array[Ptr[E1000], 4]
count: i32 = 0


def probe() -> Ptr[NetDevice]:
    """The next e1000 not yet started, initialised, or None (no more, or it failed).
    Its receive ring takes RX_SIZE packets from the pool (packet.init first)."""
    for i in range(MAX_DEVICES):
        p = pci.find(VENDOR_INTEL, DEVICE_82540EM, i32(i))
        if p is None:
            return None
        if not started(p):
            return start(p)
    return None


def started(p: Ptr[PciDevice]) -> bool:
    for i in range(count):
        if devices[i].pci == p:
            return True
    return False


def start(p: Ptr[PciDevice]) -> Ptr[NetDevice]:
    """Bring the device up as SDM chapter 14 orders it; None if it cannot be."""
    global count
    if count == MAX_DEVICES or p.bar_is_io[0] or p.bars[0] == 0:
        return None
    ring_pages = pages.alloc(2)
    if ring_pages == 0:
        return None
    e = new(E1000)
    e.pci = p
    e.regs = p.bars[0]
    e.gsi = pci.intx_gsi(p)
    pci.enable(p)
    if not reset(e):
        free(e)
        pages.release(ring_pages, 2)
        return None
    e.rx_ring = cast(Ptr[RxDesc], ring_pages)
    e.tx_ring = cast(Ptr[TxDesc], ring_pages + pages.PAGE)
    zero(ring_pages, 2 * pages.PAGE)
    if not fill_receive_ring(e):
        free(e)
        pages.release(ring_pages, 2)
        return None
    d = addr(e.dev)
    d.name = "e1000"
    d.mtu = 1500
    d.driver = cast(Ptr[None], e)
    d.gather = True
    d.transmit = transmit
    d.flush = flush
    d.poll = poll
    d.enable_interrupts = enable_interrupts
    d.tx_busy = tx_busy
    read_mac(e)
    setup_receive(e)
    setup_transmit(e)
    d.link_up = read(e, STATUS) & STATUS_LU != 0
    devices[count] = e
    count += 1
    if not shares_line(e):
        pci.connect_intx(p, on_interrupt)
    write(e, IMS, RX_INTERRUPTS)
    return d


def read(e: Ptr[E1000], reg: u32) -> u32:
    return mmio_read32(e.regs + reg)


def write(e: Ptr[E1000], reg: u32, value: u32) -> None:
    mmio_write32(e.regs + reg, value)


def zero(start: u64, n: u64) -> None:
    q = cast(Ptr[u64], start)
    for i in range(n // 8):
        q[i] = 0


def reset(e: Ptr[E1000]) -> bool:
    """Global reset with interrupts masked, then general configuration (SDM 14.3)."""
    write(e, IMC, ALL_INTERRUPTS)
    write(e, CTRL, read(e, CTRL) | CTRL_RST)
    deadline = tsc.now_ns() + RESET_TIMEOUT_NS
    while read(e, CTRL) & CTRL_RST:
        if tsc.now_ns() > deadline:
            return False
        pause()
    write(e, IMC, ALL_INTERRUPTS)   # the reset unmasks nothing, but be sure
    read(e, ICR)                    # and drop causes from before it
    # Link: auto-speed, forced up; no link reset, PHY reset, inverted loss-of-signal or VLANs.
    ctrl = read(e, CTRL) | CTRL_ASDE | CTRL_SLU
    write(e, CTRL, ctrl & ~u32(CTRL_LRST | CTRL_PHY_RST | CTRL_ILOS | CTRL_VME))
    # No flow control.
    write(e, FCAL, 0)
    write(e, FCAH, 0)
    write(e, FCT, 0)
    write(e, FCTTV, 0)
    return True


def read_mac(e: Ptr[E1000]) -> None:
    """From receive address 0, which the device loads from the EEPROM at reset; from
    the EEPROM's words 0-2 (and into RAL0/RAH0) if that address is not marked valid."""
    m = addr(e.dev.mac[0])
    high = read(e, RAH0)
    if high & RAH_AV:
        low = read(e, RAL0)
        for i in range(4):
            m[i] = u8(low >> u32(8 * i))
        m[4] = u8(high)
        m[5] = u8(high >> 8)
        return
    for w in range(3):
        word = read_eeprom(e, u32(w))
        m[2 * w] = u8(word)
        m[2 * w + 1] = u8(word >> 8)
    write(e, RAL0, u32(m[0]) | (u32(m[1]) << 8) | (u32(m[2]) << 16) | (u32(m[3]) << 24))
    write(e, RAH0, u32(m[4]) | (u32(m[5]) << 8) | RAH_AV)


def read_eeprom(e: Ptr[E1000], word: u32) -> u16:
    """One 16-bit EEPROM word through EERD; 0xFFFF if it never completes."""
    write(e, EERD, (word << EERD_ADDR_SHIFT) | EERD_START)
    deadline = tsc.now_ns() + EEPROM_TIMEOUT_NS
    while True:
        v = read(e, EERD)
        if v & EERD_DONE:
            return u16(v >> 16)
        if tsc.now_ns() > deadline:
            return 0xFFFF
        pause()


def setup_receive(e: Ptr[E1000]) -> None:
    """SDM 14.4: filters, the ring full of buffers, then the receiver on."""
    for i in range(128):
        write(e, MTA + 4 * u32(i), 0)
    base = cast(u64, e.rx_ring)
    write(e, RDBAL, u32(base))
    write(e, RDBAH, u32(base >> 32))
    write(e, RDLEN, u32(RX_SIZE * sizeof(RxDesc)))
    write(e, RDH, 0)
    write(e, RDT, RX_SIZE - 1)      # all but one: the device owns [RDH, RDT)
    write(e, RDTR, 0)               # interrupt at once: no receive delay
    write(e, RADV, 0)
    write(e, ITR, 0)
    write(e, RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_1024 | RCTL_SECRC)


def fill_receive_ring(e: Ptr[E1000]) -> bool:
    """A packet behind every receive descriptor; False (and none kept) if the pool is short."""
    for i in range(RX_SIZE):
        p = packet.alloc()
        if p is None:
            for j in range(i):
                packet.release(e.rx_buffers[j])
                e.rx_buffers[j] = None
            return False
        e.rx_buffers[i] = p
        e.rx_ring[i].addr = buffer_address(p)
    return True


def setup_transmit(e: Ptr[E1000]) -> None:
    """SDM 14.5: the empty ring, then the transmitter on."""
    base = cast(u64, e.tx_ring)
    write(e, TDBAL, u32(base))
    write(e, TDBAH, u32(base >> 32))
    write(e, TDLEN, u32(TX_SIZE * sizeof(TxDesc)))
    write(e, TDH, 0)
    write(e, TDT, 0)
    write(e, TIDV, 0)
    write(e, TIPG, TIPG_VALUE)
    write(e, TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD)


def buffer_address(p: Ptr[Packet]) -> u64:
    """Where the device writes a received frame: the packet's data past its headroom."""
    p.start = packet.HEADROOM
    return cast(u64, addr(p.data[p.start]))


def shares_line(e: Ptr[E1000]) -> bool:
    """Another e1000 already has this GSI: its vector's handler serves both."""
    for i in range(count - 1):
        if devices[i].gsi == e.gsi:
            return True
    return False


# --- The NetDevice operations (thread) ---------------------------------------------

def transmit(d: Ptr[NetDevice], p: Ptr[Packet]) -> bool:
    """One frame in one descriptor, or two when it has an external payload (read in
    place; EOP on the second, SDM 3.3.3), unless only one is free: then it is copied."""
    e = cast(Ptr[E1000], d)
    reclaim(e)
    free = (e.tx_clean + TX_SIZE - e.tx_tail - 1) % TX_SIZE
    if free == 0 or p.len == 0 or p.start + p.len > packet.DATA_SIZE:
        packet.release(p)
        d.stats.tx_dropped += 1
        return False
    if p.ext_len > 0 and free == 1:
        packet.linearize(p)
        d.stats.tx_linearized += 1
    if p.wire_len() < MIN_FRAME:   # SDM 3.3.3: a legacy packet has at least 48 bytes
        packet.linearize(p)
        pad(p)
    if p.ext_len > 0:
        put(e, cast(u64, addr(p.data[p.start])), p.len, 0, None)
        put(e, cast(u64, p.ext), p.ext_len, TX_CMD_EOP, p)
        d.stats.tx_gathered += 1
    else:
        put(e, cast(u64, addr(p.data[p.start])), p.len, TX_CMD_EOP, p)
    d.stats.tx_packets += 1
    d.stats.tx_bytes += p.wire_len()
    return True


def put(e: Ptr[E1000], address: u64, length: u32, eop: u8, p: Ptr[Packet]) -> None:
    """Fill the descriptor at the tail; p (on the last of a frame's) is released once
    the device is done with it. Every descriptor reports status, so reclaim() can step
    over each one."""
    t = addr(e.tx_ring[e.tx_tail])
    t.addr = address
    t.length = u16(length)
    t.cmd = eop | TX_CMD_IFCS | TX_CMD_RS
    t.status = 0
    e.tx_buffers[e.tx_tail] = p
    e.tx_tail = (e.tx_tail + 1) % TX_SIZE


def pad(p: Ptr[Packet]) -> None:
    """Zeros up to the minimum frame (a few bytes: ARP, bare TCP acknowledgements)."""
    for i in range(p.start + p.len, p.start + MIN_FRAME):
        p.data[i] = 0
    p.len = MIN_FRAME


def flush(d: Ptr[NetDevice]) -> None:
    e = cast(Ptr[E1000], d)
    if e.tx_tail == e.tx_flushed:
        return
    sfence()                        # descriptors in memory before the device reads them
    write(e, TDT, e.tx_tail)
    e.tx_flushed = e.tx_tail


def reclaim(e: Ptr[E1000]) -> None:
    """Release the packets of the transmit descriptors the device is done with."""
    while e.tx_clean != e.tx_flushed:
        t = addr(e.tx_ring[e.tx_clean])
        if atomic_load(addr(t.status)) & TX_STATUS_DD == 0:
            return
        if e.tx_buffers[e.tx_clean] is not None:
            packet.release(e.tx_buffers[e.tx_clean])
            e.tx_buffers[e.tx_clean] = None
        e.tx_clean = (e.tx_clean + 1) % TX_SIZE


def poll(d: Ptr[NetDevice], budget: i32) -> i32:
    e = cast(Ptr[E1000], d)
    if atomic_load(addr(e.link_changed)):
        atomic_store(addr(e.link_changed), False)
        d.link_up = read(e, STATUS) & STATUS_LU != 0
    if atomic_load(addr(e.overrun)):
        atomic_store(addr(e.overrun), False)
        missed = read(e, MPC)       # QEMU never clears it (the SDM says reads do)
        d.stats.rx_dropped += missed - e.missed
        e.missed = missed
    n: i32 = 0
    while n < budget:
        i = e.rx_next
        r = addr(e.rx_ring[i])
        status = atomic_load(addr(r.status))     # before the other fields: the device wrote them first
        if status & RX_STATUS_DD == 0:
            break
        n += 1
        got = receive_descriptor(e, i, status)
        r.status = 0
        e.rx_next = (i + 1) % RX_SIZE
        if got is not None:
            d.stats.rx_packets += 1
            d.stats.rx_bytes += got.len
            d.receive(d, got)
    if n > 0:
        sfence()                    # refilled descriptors before the device may use them
        write(e, RDT, (e.rx_next + RX_SIZE - 1) % RX_SIZE)
    reclaim(e)
    return n


def receive_descriptor(e: Ptr[E1000], i: u32, status: u8) -> Ptr[Packet]:
    """Take receive descriptor i (DD set): the whole frame it ends, or None (a part kept
    for the frame's end, or a drop). A packet leaving the ring is replaced by a fresh one;
    a descriptor whose bytes are copied, or dropped, keeps its packet."""
    d = addr(e.dev)
    r = addr(e.rx_ring[i])
    p = e.rx_buffers[i]
    length = u32(atomic_load(addr(r.length)))
    last = status & RX_STATUS_EOP != 0
    if length > RX_BUFFER:              # more than the device was told it could write
        d.stats.rx_bad_length += 1
        drop_frame(e, last)
        return None
    if e.rx_discarding or r.errors & RX_ERRORS:
        drop_frame(e, last)
        return None
    f = e.rx_frame
    if f is not None:                   # a later part: behind the frame's bytes, in its packet
        if f.start + f.len + length > packet.DATA_SIZE:
            d.stats.rx_bad_length += 1
            drop_frame(e, last)
            return None
        field.copy(f.room()[f.len:f.len + length], Bytes(ptr=addr(p.data[packet.HEADROOM]), len=u64(length)))
        f.len += length
        if not last:
            return None
        e.rx_frame = None
        return f
    fresh = packet.alloc()
    if fresh is None:
        drop_frame(e, last)             # keep the old buffer: the ring stays full
        return None
    e.rx_ring[i].addr = buffer_address(fresh)
    e.rx_buffers[i] = fresh
    p.len = length
    if last:
        return p
    e.rx_frame = p                      # the first part: the frame goes on in the next descriptor
    return None


def drop_frame(e: Ptr[E1000], last: bool) -> None:
    """The frame the current descriptor belongs to is lost (counted once): drop any part
    kept, and skip its remaining descriptors until the one with EOP."""
    if not e.rx_discarding:
        e.dev.stats.rx_dropped += 1
    if e.rx_frame is not None:
        packet.release(e.rx_frame)
        e.rx_frame = None
    e.rx_discarding = not last


def tx_busy(d: Ptr[NetDevice]) -> bool:
    """Descriptors queued that the device has not processed (the head trails the tail)."""
    e = cast(Ptr[E1000], d)
    return read(e, TDH) != e.tx_tail


def enable_interrupts(d: Ptr[NetDevice]) -> bool:
    e = cast(Ptr[E1000], d)
    write(e, IMS, RX_INTERRUPTS)
    return atomic_load(addr(e.rx_ring[e.rx_next].status)) & RX_STATUS_DD == 0


# --- Interrupt ----------------------------------------------------------------------

def on_interrupt(frame: Ptr[traps.TrapFrame]) -> None:
    """Acknowledge (reading ICR), mask until the stack re-arms, wake it."""
    for i in range(count):
        e = devices[i]
        cause = read(e, ICR)
        if cause == 0:
            continue                # not this device (a shared line)
        write(e, IMC, ALL_INTERRUPTS)
        e.dev.stats.interrupts += 1
        if cause & ICR_LSC:
            atomic_store(addr(e.link_changed), True)
        if cause & ICR_RXO:
            atomic_store(addr(e.overrun), True)
        if e.dev.wake is not None:
            e.dev.wake(addr(e.dev))
