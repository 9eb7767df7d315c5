"""PCI: configuration space through ports 0xCF8/0xCFC, the devices found, their interrupts.

Configuration mechanism #1 (PCI Local Bus 3.0, section 3.2.2.3.2) works on q35 and pc:
write the function's address to CONFIG_ADDRESS, move the dword at CONFIG_DATA. A spin
lock keeps the two accesses together when CPUs share the ports.

scan() walks bus 0 once (and the buses behind PCI-PCI bridges that the firmware
numbered) into a table of PciDevice: ids, class, header type, BARs decoded and sized by
the write-all-ones probe (a 64-bit memory BAR takes two slots: the first holds the whole
address, the second stays empty), interrupt pin and line. qboot assigns no BARs (they
read 0 and decoding is off), so scan() gives the empty ones addresses in the 32-bit PCI
hole. Drivers look devices up with find() or find_class(), then enable() them.

Interrupts. QEMU's e1000 has no MSI capability (virtio-pci has MSI-X; helpers below),
so drivers use INTx, and the interrupt line register is no help: qboot fills it with
IRQs that do not match QEMU's wiring (measured: e1000 in slot 2 of pc reports 11 and
interrupts on 10). intx_gsi() computes the I/O APIC input from the chipset instead, as
measured by raising the e1000's interrupt in slots 1-6 and 25-30:
- q35 (ICH9, host bridge 8086:29C0): PIRQ A-H are GSIs 16-23. Slot s < 25 on bus 0
  drives PIRQ E + (s + pin) % 4 (pin 0 = INTA); slots 25-29 keep the D25IR-D29IR
  reset routing, INTA-D to PIRQ A-D; slot 30 starts at PIRQ E. The ICH9 also copies
  each PIRQ to the ISA IRQ in its PIRQ routing registers (qboot sets 10 and 11), so
  scan() turns that copy off: each INTx then reaches one I/O APIC input only.
- pc (PIIX3, host bridge 8086:1237): slot s drives PIRQ (s - 1 + pin) % 4, which the
  PIIX3's PIRQRC registers (qboot: 10, 10, 11, 11) route to an ISA IRQ: the GSI.
PCI-PCI bridges rotate the pin by the slot on the way up to bus 0. QEMU's ACPI tables
declare these lines level-triggered, active high (MADT overrides for 5, 9, 10 and 11,
_PRT links for 16-23), and its I/O APIC ignores the polarity bit; connect_intx()
routes them so.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.traps as traps

CONFIG_ADDRESS: Final = 0xCF8
CONFIG_DATA: Final = 0xCFC
CONFIG_ENABLE: Final = 0x80000000
MAX_DEVICES: Final = 64
MAX_BUSES: Final = 32               # buses behind bridges that scan() follows

# Where BARs the firmware left unassigned go: above RAM and q35's MMCONFIG window
# (0xB0000000-0xBFFFFFFF), below the I/O APIC; I/O ports from 0xC000, as SeaBIOS does.
MEMORY_WINDOW_START: Final = 0xC0000000
MEMORY_WINDOW_END: Final = 0xFEC00000
IO_WINDOW_START: Final = 0xC000
IO_WINDOW_END: Final = 0x10000

# Configuration header (section 6.1); the first 16 bytes are common to every type.
VENDOR_ID: Final = 0x00
DEVICE_ID: Final = 0x02
COMMAND: Final = 0x04
STATUS: Final = 0x06
REVISION: Final = 0x08
PROG_IF: Final = 0x09
SUBCLASS: Final = 0x0A
CLASS: Final = 0x0B
HEADER_TYPE: Final = 0x0E
BAR0: Final = 0x10
SECONDARY_BUS: Final = 0x19         # type 1 (PCI-PCI bridge)
SUBSYSTEM_VENDOR_ID: Final = 0x2C   # type 0
SUBSYSTEM_ID: Final = 0x2E
CAPABILITIES: Final = 0x34
INTERRUPT_LINE: Final = 0x3C
INTERRUPT_PIN: Final = 0x3D

HEADER_MULTIFUNCTION: Final = 0x80
HEADER_BRIDGE: Final = 1
NO_VENDOR: Final = 0xFFFF

COMMAND_IO: Final = 0x1
COMMAND_MEMORY: Final = 0x2
COMMAND_BUS_MASTER: Final = 0x4
COMMAND_INTX_DISABLE: Final = 0x400
STATUS_CAPABILITIES: Final = 0x10

BAR_IO: Final = 0x1
BAR_TYPE_64: Final = 0x4            # memory BAR bits 2:1 = 10b
BAR_PREFETCHABLE: Final = 0x8

CLASS_BRIDGE: Final = 0x06
SUBCLASS_PCI_BRIDGE: Final = 0x04

# Capability IDs (PCI Code and ID Assignment, section 2).
CAP_PM: Final = 0x01
CAP_MSI: Final = 0x05
CAP_VENDOR: Final = 0x09            # virtio-pci's structures are these
CAP_PCIE: Final = 0x10
CAP_MSIX: Final = 0x11

MSI_CONTROL: Final = 2              # offsets in the MSI capability (section 6.8.1)
MSI_ADDRESS: Final = 4
MSI_64BIT: Final = 0x80
MSI_ENABLE: Final = 0x1
MSI_MULTIPLE_ENABLE: Final = 0x70
MSIX_CONTROL: Final = 2             # and in the MSI-X capability (section 6.8.2)
MSIX_TABLE: Final = 4
MSIX_ENABLE: Final = 0x8000
MSIX_FUNCTION_MASK: Final = 0x4000
MSIX_SIZE_MASK: Final = 0x7FF
MSIX_ENTRY_SIZE: Final = 16
MSIX_VECTOR_MASKED: Final = 0x1
MSI_ADDRESS_BASE: Final = 0xFEE00000    # the local APICs' message window (Intel SDM vol. 3,
                                        # "Message Address Register Format")

# Chipsets whose INTx wiring intx_gsi() knows.
INTEL: Final = 0x8086
Q35_HOST: Final = 0x29C0
I440FX_HOST: Final = 0x1237
ICH9_LPC_SLOT: Final = 31
ICH9_PIRQA_ROUT: Final = 0x60       # PIRQ A-D to ISA IRQ routing, one byte each...
ICH9_PIRQE_ROUT: Final = 0x68       # ...and PIRQ E-H
ICH9_FIRST_IR_SLOT: Final = 25
ICH9_DMI_SLOT: Final = 30
Q35_PIRQ_GSI: Final = 16            # PIRQ A's GSI in APIC mode
PIIX3_SLOT: Final = 1
PIIX3_PIRQRC: Final = 0x60
PIRQ_DISABLED: Final = 0x80        # in a PIRQ routing byte: no ISA IRQ

CHIPSET_UNKNOWN: Final = 0
CHIPSET_Q35: Final = 1
CHIPSET_I440FX: Final = 2


@struct
class PciDevice:
    bus: u8
    slot: u8
    func: u8
    header_type: u8                 # without the multi-function bit: 0 device, 1 PCI-PCI bridge
    vendor: u16
    device: u16
    class_code: u8
    subclass: u8
    prog_if: u8
    revision: u8
    subsystem_vendor: u16           # type 0 only
    subsystem: u16
    irq_pin: u8                     # 0: none; 1-4: INTA-INTD
    irq_line: u8                    # as the firmware left it (a PIC IRQ; see intx_gsi)
    parent: i32                     # index of the bridge in front of it, -1 on bus 0
    secondary_bus: u8               # bridges: the bus behind
    bars: Array[u64, 6]             # base address (memory or I/O port), 0 when unused
    bar_sizes: Array[u64, 6]        # bytes decoded; 0: no BAR (or the upper half of a 64-bit one)
    bar_is_io: Array[bool, 6]
    bar_is_64: Array[bool, 6]
    bar_prefetchable: Array[bool, 6]

    def read8(self, offset: u32) -> u8:
        return read8(self.bus, self.slot, self.func, offset)

    def read16(self, offset: u32) -> u16:
        return read16(self.bus, self.slot, self.func, offset)

    def read32(self, offset: u32) -> u32:
        return read32(self.bus, self.slot, self.func, offset)

    def write8(self, offset: u32, value: u8) -> None:
        write8(self.bus, self.slot, self.func, offset, value)

    def write16(self, offset: u32, value: u16) -> None:
        write16(self.bus, self.slot, self.func, offset, value)

    def write32(self, offset: u32, value: u32) -> None:
        write32(self.bus, self.slot, self.func, offset, value)


lock: SpinLock
devices: Array[PciDevice, 64]
count: i32 = 0
scanned: bool = False
lost: i32 = 0                       # functions past MAX_DEVICES
unassigned: i32 = 0                 # BARs left without an address: the windows were full
next_memory: u64 = MEMORY_WINDOW_START
next_io: u64 = IO_WINDOW_START
chipset: i32 = CHIPSET_UNKNOWN


# --- Configuration space ----------------------------------------------------------

def address(bus: u8, slot: u8, func: u8, offset: u32) -> u32:
    return CONFIG_ENABLE | (u32(bus) << 16) | (u32(slot & 31) << 11) | (u32(func & 7) << 8) | (offset & 0xFC)


def read32(bus: u8, slot: u8, func: u8, offset: u32) -> u32:
    with lock:
        outl(CONFIG_ADDRESS, address(bus, slot, func, offset))
        return inl(CONFIG_DATA)


def read16(bus: u8, slot: u8, func: u8, offset: u32) -> u16:
    with lock:
        outl(CONFIG_ADDRESS, address(bus, slot, func, offset))
        return inw(u16(CONFIG_DATA + (offset & 2)))


def read8(bus: u8, slot: u8, func: u8, offset: u32) -> u8:
    with lock:
        outl(CONFIG_ADDRESS, address(bus, slot, func, offset))
        return inb(u16(CONFIG_DATA + (offset & 3)))


def write32(bus: u8, slot: u8, func: u8, offset: u32, value: u32) -> None:
    with lock:
        outl(CONFIG_ADDRESS, address(bus, slot, func, offset))
        outl(CONFIG_DATA, value)


def write16(bus: u8, slot: u8, func: u8, offset: u32, value: u16) -> None:
    with lock:
        outl(CONFIG_ADDRESS, address(bus, slot, func, offset))
        outw(u16(CONFIG_DATA + (offset & 2)), value)


def write8(bus: u8, slot: u8, func: u8, offset: u32, value: u8) -> None:
    with lock:
        outl(CONFIG_ADDRESS, address(bus, slot, func, offset))
        outb(u16(CONFIG_DATA + (offset & 3)), value)


# --- Enumeration ------------------------------------------------------------------

def scan() -> i32:
    """Fill the device table (once); return how many functions were found."""
    global scanned, chipset
    if scanned:
        return count
    scanned = True
    scan_bus(0, -1, 0)
    assign_all()
    host = find_at(0, 0, 0)
    if host is not None and host.vendor == INTEL:
        if host.device == Q35_HOST:
            chipset = CHIPSET_Q35
            # INTx to GSIs 16-23 only: no copy to the ISA IRQs (a second, masked input).
            write32(0, ICH9_LPC_SLOT, 0, ICH9_PIRQA_ROUT, 0x80808080)
            write32(0, ICH9_LPC_SLOT, 0, ICH9_PIRQE_ROUT, 0x80808080)
        elif host.device == I440FX_HOST:
            chipset = CHIPSET_I440FX
    return count


def scan_bus(bus: u8, parent: i32, depth: i32) -> None:
    for slot in range(32):
        if read16(bus, u8(slot), 0, VENDOR_ID) == NO_VENDOR:
            continue
        functions = 8 if read8(bus, u8(slot), 0, HEADER_TYPE) & HEADER_MULTIFUNCTION else 1
        for func in range(functions):
            if read16(bus, u8(slot), u8(func), VENDOR_ID) != NO_VENDOR:
                add(bus, u8(slot), u8(func), parent, depth)


def add(bus: u8, slot: u8, func: u8, parent: i32, depth: i32) -> None:
    global count, lost
    if count == MAX_DEVICES:
        lost += 1
        return
    index = count
    count += 1
    d = addr(devices[index])
    d.bus = bus
    d.slot = slot
    d.func = func
    d.parent = parent
    d.vendor = d.read16(VENDOR_ID)
    d.device = d.read16(DEVICE_ID)
    d.revision = d.read8(REVISION)
    d.prog_if = d.read8(PROG_IF)
    d.subclass = d.read8(SUBCLASS)
    d.class_code = d.read8(CLASS)
    d.header_type = d.read8(HEADER_TYPE) & ~u8(HEADER_MULTIFUNCTION)
    d.irq_line = d.read8(INTERRUPT_LINE)
    d.irq_pin = d.read8(INTERRUPT_PIN)
    if d.header_type == 0:
        d.subsystem_vendor = d.read16(SUBSYSTEM_VENDOR_ID)
        d.subsystem = d.read16(SUBSYSTEM_ID)
        read_bars(d, 6)
    elif d.header_type == HEADER_BRIDGE:
        read_bars(d, 2)
        d.secondary_bus = d.read8(SECONDARY_BUS)
        # Follow the bus behind if the firmware numbered it (never back to bus 0 or up).
        if d.secondary_bus > bus and depth < MAX_BUSES:
            scan_bus(d.secondary_bus, index, depth + 1)


def read_bars(d: Ptr[PciDevice], n: i32) -> None:
    """Decode and size the BARs, with decoding off while they hold all ones."""
    command = d.read16(COMMAND)
    d.write16(COMMAND, command & ~u16(COMMAND_IO | COMMAND_MEMORY))
    i: i32 = 0
    while i < n:
        i += read_bar(d, i, n)
    d.write16(COMMAND, command)


def read_bar(d: Ptr[PciDevice], i: i32, n: i32) -> i32:
    """Decode BAR i; return how many slots it takes (2 for a 64-bit memory BAR)."""
    offset = u32(BAR0 + 4 * i)
    low = d.read32(offset)
    d.write32(offset, 0xFFFFFFFF)
    probe = d.read32(offset)
    d.write32(offset, low)
    if low & BAR_IO:
        io_mask = probe & 0xFFFFFFFC
        if io_mask == 0:
            return 1
        if io_mask & 0xFFFF0000 == 0:
            io_mask |= 0xFFFF0000       # a 16-bit I/O decoder reads back zeros up high
        d.bar_is_io[i] = True
        d.bars[i] = u64(low & 0xFFFFFFFC)
        d.bar_sizes[i] = u64(~io_mask + 1)
        return 1
    d.bar_prefetchable[i] = low & BAR_PREFETCHABLE != 0
    base = u64(low & 0xFFFFFFF0)
    size_mask = u64(probe & 0xFFFFFFF0)
    taken: i32 = 1
    if low & 0x6 == BAR_TYPE_64 and i + 1 < n:
        high = d.read32(offset + 4)
        d.write32(offset + 4, 0xFFFFFFFF)
        probe_high = d.read32(offset + 4)
        d.write32(offset + 4, high)
        base |= u64(high) << 32
        size_mask |= u64(probe_high) << 32
        d.bar_is_64[i] = True
        taken = 2
    elif size_mask != 0:
        size_mask |= 0xFFFFFFFF00000000     # a 32-bit BAR: its size is below 4 GiB
    if size_mask == 0:
        return taken                        # not implemented: reads back zero
    d.bars[i] = base
    d.bar_sizes[i] = ~size_mask + 1
    return taken


def assign_all() -> None:
    """Give addresses to the bus-0 BARs the firmware left at zero (qboot assigns none).

    Addresses go past every BAR already assigned in the windows, naturally aligned.
    Devices behind bridges are left alone: their windows are the firmware's business."""
    global next_memory, next_io
    for i in range(count):
        d = addr(devices[i])
        for b in range(6):
            if d.bar_sizes[b] == 0 or d.bars[b] == 0:
                continue
            end = d.bars[b] + d.bar_sizes[b]
            if d.bar_is_io[b] and IO_WINDOW_START <= d.bars[b] < IO_WINDOW_END and end > next_io:
                next_io = end
            if not d.bar_is_io[b] and MEMORY_WINDOW_START <= d.bars[b] < MEMORY_WINDOW_END and end > next_memory:
                next_memory = end
    for i in range(count):
        d = addr(devices[i])
        if d.bus != 0:
            continue
        for b in range(6):
            if d.bar_sizes[b] != 0 and d.bars[b] == 0:
                assign(d, i32(b))


def assign(d: Ptr[PciDevice], b: i32) -> None:
    global next_memory, next_io, unassigned
    size = d.bar_sizes[b]
    offset = u32(BAR0 + 4 * b)
    if d.bar_is_io[b]:
        base = (next_io + size - 1) & ~(size - 1)
        if base + size > IO_WINDOW_END:
            unassigned += 1
            return
        next_io = base + size
        d.write32(offset, u32(base))
    else:
        base = (next_memory + size - 1) & ~(size - 1)
        if base + size > MEMORY_WINDOW_END:
            unassigned += 1
            return
        next_memory = base + size
        d.write32(offset, u32(base))
        if d.bar_is_64[b]:
            d.write32(offset + 4, 0)
    d.bars[b] = base


def find(vendor: u16, device: u16, index: i32) -> Ptr[PciDevice]:
    """The index-th function (from 0) with these ids, or None; scans on first use."""
    scan()
    seen = 0
    for i in range(count):
        d = addr(devices[i])
        if d.vendor == vendor and d.device == device:
            if seen == index:
                return d
            seen += 1
    return None


def find_class(class_code: u8, subclass: u8, index: i32) -> Ptr[PciDevice]:
    """The index-th function of this class and subclass, or None."""
    scan()
    seen = 0
    for i in range(count):
        d = addr(devices[i])
        if d.class_code == class_code and d.subclass == subclass:
            if seen == index:
                return d
            seen += 1
    return None


def find_at(bus: u8, slot: u8, func: u8) -> Ptr[PciDevice]:
    for i in range(count):
        d = addr(devices[i])
        if d.bus == bus and d.slot == slot and d.func == func:
            return d
    return None


def enable(d: Ptr[PciDevice]) -> None:
    """Turn on memory and I/O decoding and bus mastering (DMA)."""
    d.write16(COMMAND, d.read16(COMMAND) | COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER)


def set_intx(d: Ptr[PciDevice], on: bool) -> None:
    """Allow (or forbid: MSI users) the function to assert its INTx pin."""
    command = d.read16(COMMAND)
    if on:
        d.write16(COMMAND, command & ~u16(COMMAND_INTX_DISABLE))
    else:
        d.write16(COMMAND, command | COMMAND_INTX_DISABLE)


# --- Capabilities -----------------------------------------------------------------

def find_capability(d: Ptr[PciDevice], cap_id: u8) -> u32:
    """Offset of the function's first capability with this ID, or 0."""
    return next_capability(d, 0, cap_id)


def next_capability(d: Ptr[PciDevice], after: u32, cap_id: u8) -> u32:
    """Offset of the next capability with this ID past the one at `after` (0: from the
    start), or 0. virtio-pci walks its several vendor capabilities this way."""
    if d.read16(STATUS) & STATUS_CAPABILITIES == 0:
        return 0
    offset = u32(d.read8(after + 1) if after != 0 else d.read8(CAPABILITIES)) & 0xFC
    for _ in range(48):             # at most 48 capabilities fit in 256 bytes: no loops
        if offset < 0x40:
            return 0
        if d.read8(offset) == cap_id:
            return offset
        offset = u32(d.read8(offset + 1)) & 0xFC
    return 0


def msi_message_address(apic_id: u32) -> u32:
    """Fixed delivery, physical destination apic_id (an xAPIC ID: below 256)."""
    return MSI_ADDRESS_BASE | ((apic_id & 0xFF) << 12)


def enable_msi(d: Ptr[PciDevice], vector: u8, apic_id: u32) -> bool:
    """Send one MSI (edge, fixed) as `vector` to a CPU; INTx off. False: no MSI capability."""
    cap = find_capability(d, CAP_MSI)
    if cap == 0:
        return False
    control = d.read16(cap + MSI_CONTROL)
    d.write32(cap + MSI_ADDRESS, msi_message_address(apic_id))
    if control & MSI_64BIT:
        d.write32(cap + MSI_ADDRESS + 4, 0)
        d.write16(cap + 12, u16(vector))
    else:
        d.write16(cap + 8, u16(vector))
    set_intx(d, False)
    d.write16(cap + MSI_CONTROL, (control & ~u16(MSI_MULTIPLE_ENABLE)) | MSI_ENABLE)
    return True


def msix_size(d: Ptr[PciDevice]) -> u32:
    """Entries in the function's MSI-X table; 0 without MSI-X."""
    cap = find_capability(d, CAP_MSIX)
    if cap == 0:
        return 0
    return u32(d.read16(cap + MSIX_CONTROL) & MSIX_SIZE_MASK) + 1


def msix_table(d: Ptr[PciDevice]) -> u64:
    """The MSI-X table's address (in a memory BAR: enable() first), or 0."""
    cap = find_capability(d, CAP_MSIX)
    if cap == 0:
        return 0
    where = d.read32(cap + MSIX_TABLE)
    bir = where & 7
    if bir > 5 or d.bar_is_io[bir] or d.bars[bir] == 0:
        return 0
    return d.bars[bir] + u64(where & ~u32(7))


def set_msix_entry(d: Ptr[PciDevice], entry: u32, vector: u8, apic_id: u32) -> bool:
    """Point table entry `entry` at `vector` on a CPU and unmask it."""
    if entry >= msix_size(d):
        return False
    table = msix_table(d)
    if table == 0:
        return False
    e = table + u64(entry) * MSIX_ENTRY_SIZE
    mmio_write32(e + 12, MSIX_VECTOR_MASKED)
    mmio_write32(e, msi_message_address(apic_id))
    mmio_write32(e + 4, 0)
    mmio_write32(e + 8, u32(vector))
    mmio_write32(e + 12, 0)
    return True


def enable_msix(d: Ptr[PciDevice]) -> bool:
    """Turn MSI-X on (entries are set with set_msix_entry) and INTx off."""
    cap = find_capability(d, CAP_MSIX)
    if cap == 0:
        return False
    set_intx(d, False)
    control = d.read16(cap + MSIX_CONTROL)
    d.write16(cap + MSIX_CONTROL, (control | MSIX_ENABLE) & ~u16(MSIX_FUNCTION_MASK))
    return True


# --- Legacy interrupts (INTx) -----------------------------------------------------

def intx_gsi(d: Ptr[PciDevice]) -> i32:
    """The GSI the function's INTx pin reaches, or -1 (no pin, or an unknown chipset)."""
    scan()
    if d.irq_pin == 0 or d.irq_pin > 4:
        return -1
    pin = u32(d.irq_pin - 1)            # 0..3 for INTA..INTD
    at = d
    while at.parent >= 0:               # each PCI-PCI bridge rotates the pin by the slot
        pin = (pin + at.slot) % 4
        at = addr(devices[at.parent])
    slot = u32(at.slot)
    if chipset == CHIPSET_Q35:
        return Q35_PIRQ_GSI + i32(q35_pirq(slot, pin))
    if chipset == CHIPSET_I440FX:
        irq = read8(0, PIIX3_SLOT, 0, PIIX3_PIRQRC + (slot + pin + 3) % 4)
        if irq & PIRQ_DISABLED or irq == 0 or irq >= 16:
            return -1
        return i32(irq)
    return -1


def q35_pirq(slot: u32, pin: u32) -> u32:
    """ICH9: the PIRQ (0 = A) that bus 0's slot drives with pin (0 = INTA)."""
    if slot < ICH9_FIRST_IR_SLOT:
        return 4 + (slot + pin) % 4
    if slot == ICH9_DMI_SLOT:
        return 4 + pin
    return pin                          # D25IR-D31IR as reset: INTA-D to PIRQ A-D


def connect_intx(d: Ptr[PciDevice], handler: Fn[[Ptr[traps.TrapFrame]], None]) -> bool:
    """Route the function's INTx (level-triggered, active high: see above) to a new
    vector served by handler and let the function assert it. False when its GSI is
    unknown or no vector is left."""
    gsi = intx_gsi(d)
    if gsi < 0:
        return False
    if not traps.connect(u32(gsi), handler, True, False):
        return False
    set_intx(d, True)
    return True
