"""virtio over PCI, modern interface (virtio 1.x section 4.1): q35 and pc.

A modern function (vendor 0x1AF4, device 0x1040 + type; transitional 0x1000-0x103F
also carry the capabilities) describes its register blocks with vendor-specific PCI
capabilities: common configuration, notifications, ISR status and device
configuration, each at an offset in a memory BAR. Interrupts come by MSI-X (one
vector for every queue; configuration changes unrouted) where the function has it,
else by INTx through the I/O APIC with the ISR register telling whether it was ours.
`kaa run` attaches virtio-net-pci with disable-legacy=on; a transitional function (QEMU's
default) is driven through its modern capabilities. A legacy-only function
(disable-modern=on: no capabilities, I/O-port registers) falls back to
transport_pci_legacy, behind the same Transport operations (for virtio-net so far).
"""

from kaa.lang import *
import kernel.arch.x86_64.apic as apic
import kernel.arch.x86_64.traps as traps
import kernel.drivers.pci as pci
from kernel.drivers.pci import PciDevice
import kernel.drivers.virtio.transport as transport
import kernel.drivers.virtio.transport_pci_legacy as transport_pci_legacy
from kernel.drivers.virtio.transport import Transport
from kernel.drivers.virtio.virtqueue import Virtqueue
import kernel.drivers.virtio.virtqueue as virtqueue

VENDOR: Final = 0x1AF4
MODERN_BASE: Final = 0x1040
TRANSITIONAL_BASE: Final = 0x1000       # net 0x1000, block 0x1001
CAP_VENDOR: Final = 0x09
CAP_COMMON: Final = 1
CAP_NOTIFY: Final = 2
CAP_ISR: Final = 3
CAP_DEVICE: Final = 4
NO_VECTOR: Final = 0xFFFF
MAX_TRANSPORTS: Final = 8

# struct virtio_pci_common_cfg (section 4.1.4.3)
DEVICE_FEATURE_SELECT: Final = 0x00
DEVICE_FEATURE: Final = 0x04
DRIVER_FEATURE_SELECT: Final = 0x08
DRIVER_FEATURE: Final = 0x0C
MSIX_CONFIG: Final = 0x10
DEVICE_STATUS: Final = 0x14
QUEUE_SELECT: Final = 0x16
QUEUE_SIZE: Final = 0x18
QUEUE_MSIX_VECTOR: Final = 0x1A
QUEUE_ENABLE: Final = 0x1C
QUEUE_NOTIFY_OFF: Final = 0x1E
QUEUE_DESC: Final = 0x20
QUEUE_DRIVER: Final = 0x28
QUEUE_DEVICE: Final = 0x30

transports: Array[Transport, 8]
used: i32 = 0
ops: transport.Ops                  # set by find(): a global starts as a constant or zero


def find(device_type: u32, index: i32) -> Ptr[Transport]:
    """The index-th virtio-pci function of device_type, set up, or None. A function
    found before keeps its transport (the same pointer, untouched: its driver may be
    using it), as virtio-mmio's do."""
    global used, ops
    pci.scan()
    d = pci.find(VENDOR, u16(MODERN_BASE + device_type), index)
    if d is None:                   # a transitional function: legacy ID, modern capabilities too
        d = pci.find(VENDOR, u16(TRANSITIONAL_BASE + device_type - 1), index)
    if d is None:
        return None
    for i in range(used):
        if transports[i].pci == d:
            return addr(transports[i])
    if used == MAX_TRANSPORTS:
        return None
    pci.enable(d)
    t = addr(transports[used])
    t[0] = Transport()              # a slot an earlier, failed probe may have half filled
    t.device_id = device_type
    t.modern = True
    t.pci = d
    cap = pci.next_capability(d, 0, CAP_VENDOR)
    while cap != 0:
        kind = d.read8(cap + 3)
        where = region(d, cap)
        if kind == CAP_COMMON and t.regs == 0:
            t.regs = where
        elif kind == CAP_NOTIFY and t.notify_base == 0:
            t.notify_base = where
            t.notify_multiplier = d.read32(cap + 16)
        elif kind == CAP_ISR and t.isr == 0:
            t.isr = where
        elif kind == CAP_DEVICE and t.config == 0:
            t.config = where
        cap = pci.next_capability(d, cap, CAP_VENDOR)
    if t.regs == 0 or t.notify_base == 0 or t.isr == 0:
        t[0] = Transport()          # no modern capabilities: a legacy function, or none
        t.device_id = device_type
        t.pci = d
        if not transport_pci_legacy.setup(t, d):
            return None
        used += 1
        return t
    ops = transport.Ops(features=features, set_features=set_features, status=status,
                        set_status=set_status, queue_max=queue_max, setup_queue=setup_queue,
                        notify=notify, ack_interrupt=ack_interrupt, config8=config8,
                        config32=config32, connect=connect)
    t.ops = addr(ops)
    used += 1
    return t


def region(d: Ptr[PciDevice], cap: u32) -> u64:
    """Address of the block a virtio capability describes (0 if its BAR is unusable)."""
    bar = d.read8(cap + 4)
    if bar > 5 or d.bar_is_io[bar] or d.bars[bar] == 0:
        return 0
    return d.bars[bar] + u64(d.read32(cap + 8))


def features(t: Ptr[Transport], word: u32) -> u32:
    mmio_write32(t.regs + DEVICE_FEATURE_SELECT, word)
    return mmio_read32(t.regs + DEVICE_FEATURE)


def set_features(t: Ptr[Transport], word: u32, value: u32) -> None:
    mmio_write32(t.regs + DRIVER_FEATURE_SELECT, word)
    mmio_write32(t.regs + DRIVER_FEATURE, value)


def status(t: Ptr[Transport]) -> u8:
    return mmio_read8(t.regs + DEVICE_STATUS)


def set_status(t: Ptr[Transport], value: u8) -> None:
    mmio_write8(t.regs + DEVICE_STATUS, value)


def queue_max(t: Ptr[Transport], index: u16) -> u16:
    mmio_write16(t.regs + QUEUE_SELECT, index)
    return mmio_read16(t.regs + QUEUE_SIZE)


def setup_queue(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> bool:
    r = t.regs
    mmio_write16(r + QUEUE_SELECT, vq.index)
    mmio_write16(r + QUEUE_SIZE, vq.size)
    if t.msix:
        mmio_write16(r + QUEUE_MSIX_VECTOR, 0)          # table entry 0
        if mmio_read16(r + QUEUE_MSIX_VECTOR) != 0:
            return False                                # the device could not take it
    mmio_write64(r + QUEUE_DESC, virtqueue.desc_addr(vq))
    mmio_write64(r + QUEUE_DRIVER, virtqueue.avail_addr(vq))
    mmio_write64(r + QUEUE_DEVICE, virtqueue.used_addr(vq))
    vq.notify_offset = u32(mmio_read16(r + QUEUE_NOTIFY_OFF)) * t.notify_multiplier
    mmio_write16(r + QUEUE_ENABLE, 1)
    return True


def notify(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> None:
    mmio_write16(t.notify_base + vq.notify_offset, vq.index)


def ack_interrupt(t: Ptr[Transport]) -> u32:
    if t.msix:
        return 1                    # a message names its device: it is ours
    return u32(mmio_read8(t.isr))   # reading clears it and lowers INTx


def config8(t: Ptr[Transport], offset: u32) -> u8:
    return mmio_read8(t.config + offset)


def config32(t: Ptr[Transport], offset: u32) -> u32:
    return mmio_read32(t.config + offset)


def connect(t: Ptr[Transport], handler: Fn[[Ptr[traps.TrapFrame]], None]) -> bool:
    d = t.pci
    if pci.msix_size(d) > 0:
        vector = traps.allocate(handler)
        if vector >= 0 and pci.set_msix_entry(d, 0, u8(vector), apic.id()) and pci.enable_msix(d):
            mmio_write16(t.regs + MSIX_CONFIG, NO_VECTOR)
            t.msix = True
            return True
    return pci.connect_intx(d, handler)
