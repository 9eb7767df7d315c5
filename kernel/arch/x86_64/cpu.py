"""Per-CPU data, reached through the GS segment base, and each CPU's floating-point setup.

Each CPU's GS base points at its own PerCpu, whose first field holds that same address,
so `this()` is one `mov %gs:0` with no lock and no APIC access.

enable_fpu() runs first on every CPU (start.py, smp.py): from then on x87 and SSE
instructions run, with the ABI's default control words. The kernel itself is compiled
with -mgeneral-regs-only; only modules that use f64 (and the service level) use SSE,
and an image with none of them (image_uses_sse() false) never executes an SSE control
instruction: KVM's instruction emulator has no LDMXCSR, STMXCSR or FLDCW, and kvm_pvm
(on our development machines) emulates every guest instruction with it.
"""

from kaa.lang import *
import kernel.arch.x86_64.gdt as gdt
import kernel.mm.heap as heap

MSR_GS_BASE: Final = 0xC0000101

CR0_MP: Final = 1 << 1              # monitor coprocessor: required with SSE
CR0_EM: Final = 1 << 2              # x87 emulation: set, every x87 and SSE instruction faults (#UD)
CR0_TS: Final = 1 << 3              # task switched: set, the next x87 or SSE instruction faults (#NM)
CR0_NE: Final = 1 << 5              # x87 errors as exception 16 (#MF), not the PC's IRQ 13
CR4_OSFXSR: Final = 1 << 9          # the OS keeps SSE state across switches (else SSE raises #UD)
CR4_OSXMMEXCPT: Final = 1 << 10     # unmasked SIMD exceptions raise #XM (vector 19), not #UD
MXCSR_DEFAULT: Final = 0x1F80       # SSE: round to nearest, every exception masked, no flush to zero
FCW_DEFAULT: Final = 0x037F         # x87, what FNINIT loads: round to nearest, 64-bit mantissa, all masked


@struct
class PerCpu:
    self_addr: u64              # must stay first: %gs:0
    id: i32
    apic_id: u32
    heap: heap.Heap


@extern
def __kaa_sse_start() -> None: ...


@extern
def __kaa_sse_end() -> None: ...


percpu: Array[PerCpu, gdt.MAX_CPUS]
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


def image_uses_sse() -> bool:
    """Whether any object linked into this image was compiled with SSE (linker.ld)."""
    return cast(u64, __kaa_sse_end) != cast(u64, __kaa_sse_start)


def enable_fpu() -> None:
    """Let this CPU run x87 and SSE instructions; once per CPU, before anything uses them.

    Intel SDM vol. 3A, section 13.1.3 (initialisation of the SSE extensions): (1) set
    CR4.OSFXSR, (2) set CR4.OSXMMEXCPT, (3) clear CR0.EM, (4) set CR0.MP; and CR0.TS
    clear, so no #NM (section 13.1, table 13-1). No CPUID check (13.1.1): every x86-64
    CPU has SSE2. Then FNINIT (x87 control word 0x037F, section 9.2.1) and the MXCSR
    default, which is also its value after reset: an image without SSE code skips the
    LDMXCSR. Every exception stays masked, so no #XM handler is needed."""
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT)
    write_cr0((read_cr0() & ~u64(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE)
    asm("fninit")
    if image_uses_sse():
        mxcsr: u32 = MXCSR_DEFAULT
        asm("ldmxcsr %0", ins=[("m", mxcsr)], clobbers=["memory"])
