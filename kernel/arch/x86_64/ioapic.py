"""I/O APICs: routing a device's interrupt line (a GSI) to a vector on a CPU.

The ACPI MADT lists each I/O APIC with its MMIO address and the first GSI it serves
(`-M microvm` has two: GSIs 0-23 and, for virtio-mmio, 24-47). A line is routed by
writing its redirection entry: vector, fixed delivery, physical destination; level
triggered lines (PCI, virtio-mmio) stay asserted until the device is acknowledged.
"""

from kaa.lang import *

MAX_IOAPICS: Final = 4
REG_SELECT: Final = 0x00
REG_WINDOW: Final = 0x10
REG_VERSION: Final = 0x01
REDIRECTION_BASE: Final = 0x10
LEVEL: Final = 1 << 15
ACTIVE_LOW: Final = 1 << 13
MASKED: Final = 1 << 16


@struct
class IoApic:
    base: u64
    gsi_base: u32
    pins: u32


ioapics: Array[IoApic, 4]
count: i32 = 0


def add(base: u64, gsi_base: u32) -> None:
    """Called for each MADT I/O APIC entry."""
    global count
    if count == MAX_IOAPICS:
        return
    a = addr(ioapics[count])
    a.base = base
    a.gsi_base = gsi_base
    a.pins = ((read(a, REG_VERSION) >> 16) & 0xFF) + 1
    count += 1


def read(a: Ptr[IoApic], reg: u32) -> u32:
    mmio_write32(a.base + REG_SELECT, reg)
    return mmio_read32(a.base + REG_WINDOW)


def write(a: Ptr[IoApic], reg: u32, value: u32) -> None:
    mmio_write32(a.base + REG_SELECT, reg)
    mmio_write32(a.base + REG_WINDOW, value)


def route(gsi: u32, vector: u8, apic_id: u32, level: bool, active_low: bool) -> bool:
    """Deliver GSI `gsi` as `vector` to the CPU with `apic_id`; False if no I/O APIC has it."""
    for i in range(count):
        a = addr(ioapics[i])
        if a.gsi_base <= gsi < a.gsi_base + a.pins:
            pin = gsi - a.gsi_base
            low: u32 = vector
            if level:
                low |= LEVEL
            if active_low:
                low |= ACTIVE_LOW
            write(a, REDIRECTION_BASE + 2 * pin + 1, apic_id << 24)
            write(a, REDIRECTION_BASE + 2 * pin, low)
            return True
    return False


def mask(gsi: u32) -> None:
    for i in range(count):
        a = addr(ioapics[i])
        if a.gsi_base <= gsi < a.gsi_base + a.pins:
            pin = gsi - a.gsi_base
            write(a, REDIRECTION_BASE + 2 * pin, read(a, REDIRECTION_BASE + 2 * pin) | MASKED)
