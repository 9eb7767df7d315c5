"""Per-CPU data, reached through the GS segment base.

Each CPU's GS base points at its own PerCpu, whose first field holds that same address,
so `this()` is one `mov %gs:0` with no lock and no APIC access.
"""

from kaa.lang import *
import kernel.arch.x86_64.gdt as gdt
import kernel.mm.heap as heap

MSR_GS_BASE: Final = 0xC0000101


@struct
class PerCpu:
    self_addr: u64              # must stay first: %gs:0
    id: i32
    apic_id: u32
    heap: heap.Heap


percpu: Array[PerCpu, 16]
count: i32 = 1


def setup(cpu: i32, apic_id: u32) -> None:
    """Run on CPU `cpu` itself: point its GS base at its PerCpu."""
    p = addr(percpu[cpu])
    p.self_addr = cast(u64, p)
    p.id = cpu
    p.apic_id = apic_id
    wrmsr(MSR_GS_BASE, cast(u64, p))


def this() -> Ptr[PerCpu]:
    v: u64 = 0
    asm("movq %%gs:0, %0", out=[("=r", v)])
    return cast(Ptr[PerCpu], v)


def id() -> i32:
    return this().id
