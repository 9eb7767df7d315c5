"""virtio over PCI, legacy interface (virtio 1.x section 4.1.4.8, "Legacy Interfaces: A
Note on PCI Device Layout"; virtio 0.9.5): the fallback for a function with no virtio
capabilities, such as QEMU's `-device virtio-net-pci,disable-modern=on`.

All registers sit in the I/O-port BAR 0, little-endian, accessed at their own width:

    0  device features  u32 R     (feature bits 0-31 only: no VERSION_1)
    4  driver features  u32 RW
    8  queue address    u32 RW    page frame number (4 KiB) of the selected queue
    12 queue size       u16 R     fixed by the device: the driver cannot choose it
    14 queue select     u16 RW
    16 queue notify     u16 W
    18 device status    u8  RW
    19 ISR status       u8  R     reading it clears it and lowers INTx
    20 device config          (24 with MSI-X on: two vector registers come first)

MSI-X is left off, so interrupts come by INTx and the device configuration starts at
20. The queue layout is the one virtqueue.init builds: descriptors and available ring,
then the used ring on the next 4 KiB boundary, found by the device from the PFN alone.
"""

from kaa.lang import *
import kernel.arch.x86_64.traps as traps
import kernel.drivers.pci as pci
from kernel.drivers.pci import PciDevice
import kernel.drivers.virtio.transport as transport
from kernel.drivers.virtio.transport import Transport
from kernel.drivers.virtio.virtqueue import Virtqueue
import kernel.drivers.virtio.virtqueue as virtqueue

DEVICE_FEATURES: Final = 0
DRIVER_FEATURES: Final = 4
QUEUE_PFN: Final = 8
QUEUE_SIZE: Final = 12
QUEUE_SELECT: Final = 14
QUEUE_NOTIFY: Final = 16
DEVICE_STATUS: Final = 18
ISR_STATUS: Final = 19
CONFIG_NO_MSIX: Final = 20
MIN_PORTS: Final = 20               # BAR 0 must decode at least the common registers

ops: transport.Ops                  # set by setup(): a global starts as a constant or zero


def setup(t: Ptr[Transport], d: Ptr[PciDevice]) -> bool:
    """Fill t for the legacy function d (enabled); False when BAR 0 is not its I/O block."""
    global ops
    if not d.bar_is_io[0] or d.bars[0] == 0 or d.bar_sizes[0] < MIN_PORTS:
        return False
    t.modern = False
    t.regs = d.bars[0]
    t.config = d.bars[0] + CONFIG_NO_MSIX
    ops = transport.Ops(features=features, set_features=set_features, status=status,
                        set_status=set_status, queue_max=queue_max, setup_queue=setup_queue,
                        notify=notify, ack_interrupt=ack_interrupt, config8=config8,
                        config32=config32, connect=connect)
    t.ops = addr(ops)
    return True


def port(t: Ptr[Transport], offset: u32) -> u16:
    return u16(t.regs + offset)


def features(t: Ptr[Transport], word: u32) -> u32:
    if word != 0:
        return 0                    # a legacy device has 32 feature bits
    return inl(port(t, DEVICE_FEATURES))


def set_features(t: Ptr[Transport], word: u32, value: u32) -> None:
    if word == 0:
        outl(port(t, DRIVER_FEATURES), value)


def status(t: Ptr[Transport]) -> u8:
    return inb(port(t, DEVICE_STATUS))


def set_status(t: Ptr[Transport], value: u8) -> None:
    outb(port(t, DEVICE_STATUS), value)     # 0 resets the device


def queue_max(t: Ptr[Transport], index: u16) -> u16:
    outw(port(t, QUEUE_SELECT), index)
    return inw(port(t, QUEUE_SIZE))


def setup_queue(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> bool:
    """The device's queue size is the only one it accepts: a smaller ring (the driver's
    cap) cannot be told to it, so that is a failure, not a silent mismatch."""
    outw(port(t, QUEUE_SELECT), vq.index)
    if inw(port(t, QUEUE_SIZE)) != vq.size:
        return False
    pfn = virtqueue.desc_addr(vq) >> 12
    if pfn >> 32 != 0:
        return False                # the 32-bit PFN reaches 16 TiB
    outl(port(t, QUEUE_PFN), u32(pfn))
    return True


def notify(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> None:
    outw(port(t, QUEUE_NOTIFY), vq.index)


def ack_interrupt(t: Ptr[Transport]) -> u32:
    return u32(inb(port(t, ISR_STATUS)))


def config8(t: Ptr[Transport], offset: u32) -> u8:
    return inb(u16(t.config + offset))


def config32(t: Ptr[Transport], offset: u32) -> u32:
    return inl(u16(t.config + offset))


def connect(t: Ptr[Transport], handler: Fn[[Ptr[traps.TrapFrame]], None]) -> bool:
    return pci.connect_intx(t.pci, handler)
