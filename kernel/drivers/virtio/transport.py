"""What a virtio device driver needs from its transport (virtio-mmio or virtio-pci).

Device status bits and the initialisation sequence are the spec's (section 3.1.1);
each transport (transport_mmio, transport_pci, transport_pci_legacy) points its
devices at its table of operations on their registers (Ops). negotiate() runs steps
1-6 and finish() step 8 around the driver's own queue set-up, so drivers stay
transport-blind. A legacy transport (virtio 0.9.5: mmio version 1, or PCI's I/O-port
registers) has 32 feature bits and no FEATURES_OK step; its rings keep the 4 KiB-aligned
used ring virtqueue.init lays out.
"""

from __future__ import annotations

from kaa.lang import *
from kernel.arch.x86_64.traps import TrapFrame
from kernel.drivers.pci import PciDevice
from kernel.drivers.virtio.virtqueue import Virtqueue

ACKNOWLEDGE: Final = 1
DRIVER: Final = 2
DRIVER_OK: Final = 4
FEATURES_OK: Final = 8
FAILED: Final = 128

F_VERSION_1: Final = 32             # feature bits past 31 live in the second word
F_EVENT_IDX: Final = 29

DEVICE_NET: Final = 1
DEVICE_BLOCK: Final = 2


@struct
class Ops:
    """A transport's register operations: one table per transport module, shared by its
    devices (as Linux's virtio_config_ops). Drivers call them through the functions
    below rather than through the table."""
    features: Fn[[Ptr[Transport], u32], u32]            # device features, word n
    set_features: Fn[[Ptr[Transport], u32, u32], None]  # driver features, word n
    status: Fn[[Ptr[Transport]], u8]
    set_status: Fn[[Ptr[Transport], u8], None]
    queue_max: Fn[[Ptr[Transport], u16], u16]
    setup_queue: Fn[[Ptr[Transport], Ptr[Virtqueue]], bool]
    notify: Fn[[Ptr[Transport], Ptr[Virtqueue]], None]
    ack_interrupt: Fn[[Ptr[Transport]], u32]            # read and clear the interrupt status
    config8: Fn[[Ptr[Transport], u32], u8]
    config32: Fn[[Ptr[Transport], u32], u32]            # an aligned 32-bit field (4.1.3.1)
    # Deliver the device's interrupts to handler (before the queues are set up).
    connect: Fn[[Ptr[Transport], Fn[[Ptr[TrapFrame]], None]], bool]


@struct
class Transport:
    ops: Ptr[Ops]
    device_id: u32
    modern: bool                    # virtio 1.x registers (else legacy 0.9.5)
    irq: u32                        # virtio-mmio: the interrupt line (GSI)
    regs: u64                       # mmio: register base; pci: the common configuration; legacy pci: I/O port base
    config: u64                     # device-specific configuration space (an I/O port on legacy pci)
    notify_base: u64                # pci: queue notify addresses start here
    notify_multiplier: u32
    isr: u64                        # pci: interrupt status (read clears)
    pci: Ptr[PciDevice]             # virtio-pci only
    msix: bool                      # virtio-pci: interrupts by MSI-X (no ISR to read)


def features(t: Ptr[Transport], word: u32) -> u32:
    return t.ops.features(t, word)


def set_features(t: Ptr[Transport], word: u32, value: u32) -> None:
    t.ops.set_features(t, word, value)


def status(t: Ptr[Transport]) -> u8:
    return t.ops.status(t)


def set_status(t: Ptr[Transport], value: u8) -> None:
    t.ops.set_status(t, value)


def queue_max(t: Ptr[Transport], index: u16) -> u16:
    return t.ops.queue_max(t, index)


def setup_queue(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> bool:
    return t.ops.setup_queue(t, vq)


def notify(t: Ptr[Transport], vq: Ptr[Virtqueue]) -> None:
    t.ops.notify(t, vq)


def ack_interrupt(t: Ptr[Transport]) -> u32:
    return t.ops.ack_interrupt(t)


def config8(t: Ptr[Transport], offset: u32) -> u8:
    return t.ops.config8(t, offset)


def config32(t: Ptr[Transport], offset: u32) -> u32:
    return t.ops.config32(t, offset)


def connect(t: Ptr[Transport], handler: Fn[[Ptr[TrapFrame]], None]) -> bool:
    return t.ops.connect(t, handler)


def negotiate(t: Ptr[Transport], wanted_low: u32, wanted_high: u32) -> u64:
    """Steps 1-6: reset, acknowledge, pick features; returns the features agreed (0 with
    bit 63 set on failure)."""
    set_status(t, 0)
    set_status(t, ACKNOWLEDGE)
    set_status(t, ACKNOWLEDGE | DRIVER)
    low = features(t, 0) & wanted_low
    high = features(t, 1) & wanted_high if t.modern else 0
    set_features(t, 0, low)
    if t.modern:
        if high & (1 << (F_VERSION_1 - 32)) == 0:
            set_status(t, FAILED)
            return u64(1) << 63
        set_features(t, 1, high)
        set_status(t, ACKNOWLEDGE | DRIVER | FEATURES_OK)
        if status(t) & FEATURES_OK == 0:
            set_status(t, FAILED)
            return u64(1) << 63
    return (u64(high) << 32) | low


def finish(t: Ptr[Transport]) -> None:
    """Step 8: the driver is ready."""
    bits = ACKNOWLEDGE | DRIVER | DRIVER_OK
    if t.modern:
        bits |= FEATURES_OK
    set_status(t, u8(bits))


def kind(t: Ptr[Transport]) -> Str:
    """Which transport and interrupt delivery, for a device's boot line."""
    if t.pci is None:
        return "mmio modern" if t.modern else "mmio legacy"
    if not t.modern:
        return "pci legacy intx"
    return "pci modern msix" if t.msix else "pci modern intx"
