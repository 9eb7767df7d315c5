"""virtio over MMIO (virtio 1.x section 4.2), the transport of QEMU's `-M microvm`.

QEMU places 24 transports at 0xFEB00000 + 512 * slot; a transport with no device reads
device ID 0. Their interrupt lines are GSIs 24 + slot on microvm's second I/O APIC
(16 + slot with one I/O APIC), level-triggered (hw/i386/microvm.c). Transports are
legacy (version 1) unless QEMU gets `-global virtio-mmio.force-legacy=false`, which
`kaa run` passes; both are driven here.
"""

from kaa.lang import *
import kernel.arch.x86_64.ioapic as ioapic
import kernel.arch.x86_64.traps as traps
import kernel.drivers.virtio.transport as transport
from kernel.drivers.virtio.transport import Transport
from kernel.drivers.virtio.virtqueue import Virtqueue
import kernel.drivers.virtio.virtqueue as virtqueue

BASE: Final = 0xFEB00000
STRIDE: Final = 0x200
SLOTS: Final = 24
MAGIC: Final = 0x74726976           # "virt"

MAGIC_VALUE: Final = 0x000
VERSION: Final = 0x004
DEVICE_ID: Final = 0x008
DEVICE_FEATURES: Final = 0x010
DEVICE_FEATURES_SEL: Final = 0x014
DRIVER_FEATURES: Final = 0x020
DRIVER_FEATURES_SEL: Final = 0x024
GUEST_PAGE_SIZE: Final = 0x028      # legacy
QUEUE_SEL: Final = 0x030
QUEUE_NUM_MAX: Final = 0x034
QUEUE_NUM: Final = 0x038
QUEUE_ALIGN: Final = 0x03C          # legacy
QUEUE_PFN: Final = 0x040            # legacy
QUEUE_READY: Final = 0x044
QUEUE_NOTIFY: Final = 0x050
INTERRUPT_STATUS: Final = 0x060
INTERRUPT_ACK: Final = 0x064
STATUS: Final = 0x070
QUEUE_DESC_LOW: Final = 0x080
QUEUE_DESC_HIGH: Final = 0x084
QUEUE_DRIVER_LOW: Final = 0x090
QUEUE_DRIVER_HIGH: Final = 0x094
QUEUE_DEVICE_LOW: Final = 0x0A0
QUEUE_DEVICE_HIGH: Final = 0x0A4
CONFIG: Final = 0x100

transports: Array[Transport, 24]
ops: transport.Ops                  # set by find(): a global starts as a constant or zero


def find(device_id: u32, index: i32) -> Ptr[Transport]:
    """The index-th virtio-mmio transport holding a device_id device, or None."""
    global ops
    ops = transport.Ops(features=features, set_features=set_features, status=status,
                        set_status=set_status, queue_max=queue_max, setup_queue=setup_queue,
                        notify=notify, ack_interrupt=ack_interrupt, config8=config8,
                        config32=config32, connect=connect)
    seen = 0
    for slot in range(SLOTS):
        regs = BASE + u64(slot) * STRIDE
        if mmio_read32(regs + MAGIC_VALUE) != MAGIC or mmio_read32(regs + DEVICE_ID) != device_id:
            continue
        if seen < index:
            seen += 1
            continue
        t = addr(transports[slot])
        t.ops = addr(ops)
        t.device_id = device_id
        t.regs = regs
        t.config = regs + CONFIG
        t.modern = mmio_read32(regs + VERSION) >= 2
        t.irq = u32((24 if ioapic.count > 1 else 16) + slot)
        if not t.modern:
            mmio_write32(regs + GUEST_PAGE_SIZE, virtqueue.ALIGN)
        return t
    return None


def features(t: Ptr[Transport], word: u32) -> u32:
    mmio_write32(t.regs + DEVICE_FEATURES_SEL, word)
    return mmio_read32(t.regs + DEVICE_FEATURES)


def set_features(t: Ptr[Transport], word: u32, value: u32) -> None:
    mmio_write32(t.regs + DRIVER_FEATURES_SEL, word)
    mmio_write32(t.regs + DRIVER_FEATURES, value)


def status(t: Ptr[Transport]) -> u8:
    return u8(mmio_read32(t.regs + STATUS))


def set_status(t: Ptr[Transport], value: u8) -> None:
    mmio_write32(t.regs + STATUS, value)


def queue_max(t: Ptr[Transport], index: u16) -> u16:
    mmio_write32(t.regs + QUEUE_SEL, index)
    return u16(mmio_read32(t.regs + QUEUE_NUM_MAX))


def setup_queue(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> bool:
    r = t.regs
    mmio_write32(r + QUEUE_SEL, vq.index)
    mmio_write32(r + QUEUE_NUM, vq.size)
    if not t.modern:
        mmio_write32(r + QUEUE_ALIGN, virtqueue.ALIGN)
        mmio_write32(r + QUEUE_PFN, u32(virtqueue.desc_addr(vq) >> 12))
        return True
    write64(r + QUEUE_DESC_LOW, virtqueue.desc_addr(vq))
    write64(r + QUEUE_DRIVER_LOW, virtqueue.avail_addr(vq))
    write64(r + QUEUE_DEVICE_LOW, virtqueue.used_addr(vq))
    mmio_write32(r + QUEUE_READY, 1)
    return True


def write64(reg: u64, value: u64) -> None:
    mmio_write32(reg, u32(value & 0xFFFFFFFF))
    mmio_write32(reg + 4, u32(value >> 32))


def notify(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> None:
    mmio_write32(t.regs + QUEUE_NOTIFY, vq.index)


def ack_interrupt(t: Ptr[Transport]) -> u32:
    s = mmio_read32(t.regs + INTERRUPT_STATUS)
    mmio_write32(t.regs + INTERRUPT_ACK, s)
    return s


def connect(t: Ptr[Transport], handler: Fn[[Ptr[traps.TrapFrame]], None]) -> bool:
    return traps.connect(t.irq, handler, True, False)       # level-triggered, active high


def config8(t: Ptr[Transport], offset: u32) -> u8:
    return mmio_read8(t.config + offset)


def config32(t: Ptr[Transport], offset: u32) -> u32:
    return mmio_read32(t.config + offset)
