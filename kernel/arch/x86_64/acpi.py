"""ACPI tables, as far as the kernel needs them: the MADT's processors and I/O APICs.

The PVH start_info gives the RSDP's address; the RSDP leads to the XSDT (64-bit
entries, ACPI 2.0+) or the RSDT (32-bit entries), whose tables start with a common
header. The MADT ("APIC") lists one entry per processor: type 0 (local APIC) or
type 9 (x2APIC), with an enabled flag; and one per I/O APIC (type 1).
"""

from __future__ import annotations

from kaa.lang import *
import kernel.arch.x86_64.gdt as gdt
import kernel.arch.x86_64.ioapic as ioapic

MADT_LOCAL_APIC: Final = 0
MADT_IOAPIC: Final = 1
MADT_X2APIC: Final = 9
ENABLED: Final = 1


@struct(packed=True)
class Rsdp:
    signature: Array[u8, 8]
    checksum: u8
    oem: Array[u8, 6]
    revision: u8
    rsdt: u32
    length: u32                     # revision >= 2 from here on
    xsdt: u64


@struct(packed=True)
class TableHeader:
    signature: Array[u8, 4]
    length: u32
    revision: u8
    checksum: u8
    oem: Array[u8, 6]
    oem_table: Array[u8, 8]
    oem_revision: u32
    creator: u32
    creator_revision: u32


apic_ids: Array[u32, gdt.MAX_CPUS]       # the first processors listed


def is_signature(h: Ptr[TableHeader], sig: Str) -> bool:
    for i in range(4):
        if h.signature[i] != sig[i]:
            return False
    return True


def find_table(rsdp_addr: u64, sig: Str) -> Ptr[TableHeader]:
    if rsdp_addr == 0:
        return None
    rsdp = cast(Ptr[Rsdp], rsdp_addr)
    wide = rsdp.revision >= 2 and rsdp.xsdt != 0
    root = cast(Ptr[TableHeader], rsdp.xsdt if wide else u64(rsdp.rsdt))
    entry_size: u64 = 8 if wide else 4
    entries = (root.length - sizeof(TableHeader)) // entry_size
    first = cast(u64, root) + sizeof(TableHeader)
    for i in range(entries):
        p = first + i * entry_size
        a = cast(Ptr[u64], p)[0] if wide else u64(cast(Ptr[u32], p)[0])
        h = cast(Ptr[TableHeader], a)
        if is_signature(h, sig):
            return h
    return None


def processors(rsdp_addr: u64) -> i32:
    """Register the I/O APICs and fill apic_ids with the first enabled processors' APIC
    IDs (as many as it holds); return how many enabled processors the MADT lists (0: no
    MADT), which may be more than apic_ids holds."""
    madt = find_table(rsdp_addr, "APIC")
    if madt is None:
        return 0
    n: i32 = 0
    p = cast(u64, madt) + sizeof(TableHeader) + 8       # skip local APIC address and flags
    end = cast(u64, madt) + madt.length
    while p + 2 <= end:
        kind = cast(Ptr[u8], p)[0]
        length = cast(Ptr[u8], p)[1]
        if length < 2:
            break
        if kind == MADT_LOCAL_APIC and cast(Ptr[u32], p + 4)[0] & ENABLED:
            add_processor(n, u32(cast(Ptr[u8], p)[3]))
            n += 1
        elif kind == MADT_IOAPIC:
            ioapic.add(u64(cast(Ptr[u32], p + 4)[0]), cast(Ptr[u32], p + 8)[0])
        elif kind == MADT_X2APIC and cast(Ptr[u32], p + 8)[0] & ENABLED:
            add_processor(n, cast(Ptr[u32], p + 4)[0])
            n += 1
        p += length
    return n


def add_processor(n: i32, apic_id: u32) -> None:
    if n < len(apic_ids):
        apic_ids[n] = apic_id
