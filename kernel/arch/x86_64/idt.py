"""The interrupt descriptor table: every vector enters through boot.S's stubs.

All 256 gates point at kaa_isr_table's stubs, which save the registers and call
traps.dispatch. Gates are interrupt gates (interrupts stay off in handlers); the double
fault runs on its own stack (IST1, see gdt.py).
"""

from kaa.lang import *
import kernel.arch.x86_64.gdt as gdt

INTERRUPT_GATE: Final = 0x8E        # present, DPL 0, 64-bit interrupt gate
DOUBLE_FAULT: Final = 8


@struct(packed=True)
class Gate:
    offset_low: u16
    selector: u16
    ist: u8
    attributes: u8
    offset_mid: u16
    offset_high: u32
    reserved: u32


@extern
def kaa_isr_table() -> None: ...


table: Array[Gate, 256]


def init() -> None:
    """Fill the table once (the BSP); every CPU then loads it with load()."""
    stubs = cast(Ptr[u64], kaa_isr_table)
    for v in range(256):
        handler = stubs[v]
        g = addr(table[v])
        g.offset_low = u16(handler & 0xFFFF)
        g.selector = gdt.CODE_SEL
        g.ist = gdt.DOUBLE_FAULT_IST if v == DOUBLE_FAULT else 0
        g.attributes = INTERRUPT_GATE
        g.offset_mid = u16((handler >> 16) & 0xFFFF)
        g.offset_high = u32(handler >> 32)


def load() -> None:
    ptr = gdt.TablePointer(limit=u16(sizeof(Array[Gate, 256]) - 1), base=cast(u64, addr(table)))
    p = addr(ptr)
    asm("lidt (%0)", ins=[("r", p)], clobbers=["memory"])
