"""Starting the other CPUs (INIT, then start-up IPIs) and their entry, kaa_ap_start.

The boot CPU finds the processors in the ACPI MADT and starts them one at a time:
it copies boot.S's real-mode trampoline to AP_BASE, gives it the page tables, a fresh
stack and the CPU's number, sends INIT and a start-up IPI, and waits until the CPU
says it is up (a second start-up IPI if it is slow, as the MP spec asks). Each started
CPU enables x87 and SSE first, then sets up its own per-CPU data, GDT/TSS (with the
double-fault stack given it here), IDT, APIC and scheduler, and idles until threads are
handed to it. The per-CPU tables hold gdt.MAX_CPUS CPUs: past that, the boot line says
how many the MADT lists and how many run.
"""

from kaa.lang import *
import kernel.arch.x86_64.acpi as acpi
import kernel.arch.x86_64.apic as apic
import kernel.arch.x86_64.cpu as cpu
import kernel.arch.x86_64.gdt as gdt
import kernel.arch.x86_64.idt as idt
import kernel.arch.x86_64.tsc as tsc
import kernel.sched.sched as sched

AP_BASE: Final = 0x8000
AP_STACK_SIZE: Final = 16384
STARTUP_WAIT_NS: Final = 200000000      # per CPU, before giving up on it


@extern
def kaa_ap_trampoline() -> None: ...


@extern
def kaa_ap_trampoline_end() -> None: ...


@extern
def kaa_ap_cr3() -> None: ...


@extern
def kaa_ap_stack() -> None: ...


@extern
def kaa_ap_cpu() -> None: ...


started: i32 = 0
park: sched.WaitQueue
ist_tops: Array[u64, gdt.MAX_CPUS]      # each started CPU's double-fault stack (its top)


def copy_word(symbol: u64) -> Ptr[u64]:
    """The trampoline data word `symbol`, in the copy at AP_BASE."""
    return cast(Ptr[u64], AP_BASE + symbol - cast(u64, kaa_ap_trampoline))


def start_all(rsdp: u64) -> None:
    n = acpi.processors(rsdp)
    start = cast(Ptr[u8], kaa_ap_trampoline)
    size = cast(u64, kaa_ap_trampoline_end) - cast(u64, kaa_ap_trampoline)
    code = cast(Ptr[u8], AP_BASE)
    for b in range(size):
        code[b] = start[b]
    me = apic.id()
    for i in range(min_i32(n, len(acpi.apic_ids))):
        if acpi.apic_ids[i] != me and cpu.count < gdt.MAX_CPUS:
            start_one(cpu.count, acpi.apic_ids[i])
    if n > gdt.MAX_CPUS:
        print(f"smp: ACPI lists {n} CPUs; this kernel runs at most {gdt.MAX_CPUS}: {n - cpu.count} not used")


def min_i32(a: i32, b: i32) -> i32:
    return a if a < b else b


def start_one(index: i32, apic_id: u32) -> None:
    stack = new_array(u8, AP_STACK_SIZE)
    ist = new_array(u8, gdt.IST_STACK_SIZE)
    ist_tops[index] = cast(u64, ist.ptr) + gdt.IST_STACK_SIZE
    copy_word(cast(u64, kaa_ap_cr3))[0] = read_cr3()
    copy_word(cast(u64, kaa_ap_stack))[0] = cast(u64, stack.ptr) + AP_STACK_SIZE
    copy_word(cast(u64, kaa_ap_cpu))[0] = u64(index)
    cpu.percpu[index].apic_id = apic_id
    before = atomic_load(addr(started))
    apic.send(apic_id, apic.ICR_INIT)
    for attempt in range(2):
        apic.send(apic_id, apic.ICR_STARTUP | (AP_BASE >> 12))
        deadline = tsc.now_ns() + STARTUP_WAIT_NS // 2
        while atomic_load(addr(started)) == before and tsc.now_ns() < deadline:
            pause()
        if atomic_load(addr(started)) != before:
            cpu.count += 1
            return
    print(f"smp: CPU with APIC ID {apic_id} did not start")
    free(stack)
    free(ist)


@export("kaa_ap_start")
def ap_start(index: u64) -> None:
    cpu.enable_fpu()
    me = i32(index)
    cpu.setup(me, cpu.percpu[me].apic_id)
    gdt.load(me, ist_tops[me])
    idt.load()
    apic.enable()
    sched.init_cpu()
    atomic_add(addr(started), 1)
    while True:                     # this first thread only idles: work comes as threads
        sched.wait(addr(park))
