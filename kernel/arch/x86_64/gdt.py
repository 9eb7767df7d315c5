"""Segments: one GDT and TSS per CPU.

Long mode ignores segment bases and limits, but the CPU still needs a code segment
for CS, a data segment for SS, and a TSS whose interrupt stack table gives the
double-fault handler a known-good stack (IST1), so a kernel stack overflow reports
itself instead of triple-faulting. The boot CPU's is static (it is loaded before the
page allocator has memory); smp.py gives every other CPU one from the heap as it
starts it, so CPUs that never start cost no stack.
"""

from __future__ import annotations

from kaa.lang import *

MAX_CPUS: Final = 16             # the most CPUs the kernel runs (per-CPU tables)
CODE_SEL: Final = 0x08
DATA_SEL: Final = 0x10
TSS_SEL: Final = 0x18
IST_STACK_SIZE: Final = 16384
DOUBLE_FAULT_IST: Final = 1


@struct(packed=True)
class Tss:
    reserved0: u32
    rsp: Array[u64, 3]
    reserved1: u64
    ist: Array[u64, 7]
    reserved2: u64
    reserved3: u16
    iomap_base: u16


@struct(packed=True)
class TablePointer:
    limit: u16
    base: u64


@struct
class CpuSegments:
    gdt: Array[u64, 5]              # null, code, data, TSS (two slots)
    tss: Tss


segments: Array[CpuSegments, MAX_CPUS]
boot_ist: Array[u8, IST_STACK_SIZE]     # the boot CPU's double-fault stack


def load(cpu: i32, ist_top: u64) -> None:
    """Install CPU `cpu`'s GDT and TSS (its double-fault stack ending at ist_top) on the
    calling CPU and reload every segment."""
    s = addr(segments[cpu])
    s.gdt[0] = 0
    s.gdt[1] = 0x00AF9B000000FFFF   # 64-bit code, DPL 0
    s.gdt[2] = 0x00CF93000000FFFF   # data, DPL 0
    s.tss.iomap_base = u16(sizeof(Tss))
    s.tss.ist[DOUBLE_FAULT_IST - 1] = ist_top
    base = cast(u64, addr(s.tss))
    limit = sizeof(Tss) - 1
    s.gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (u64(0x89) << 40) | (((base >> 24) & 0xFF) << 56)
    s.gdt[4] = base >> 32
    ptr = TablePointer(limit=u16(sizeof(Array[u64, 5]) - 1), base=cast(u64, addr(s.gdt)))
    p = addr(ptr)
    asm("lgdt (%0)", ins=[("r", p)], clobbers=["memory"])
    # A far return reloads CS; then the data segments and the task register.
    asm("pushq $0x08; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:", clobbers=["rax", "memory"])
    asm("movl $0x10, %%eax; movl %%eax, %%ds; movl %%eax, %%es; movl %%eax, %%ss", clobbers=["rax"])
    asm("ltr %w0", ins=[("r", TSS_SEL)])


def boot_ist_top() -> u64:
    return cast(u64, addr(boot_ist[0])) + IST_STACK_SIZE
