# target: kvm
from kaa.lang import *

SCRATCH: Final = 0x3F8 + 7      # the 16550's scratch register: a harmless port to write

word: u32 = 0
seen_frame: u64 = 0


@naked
def forty_two() -> i32:
    asm("movl $42, %eax; ret")


@interrupt
def on_vector(frame: Ptr[InterruptFrame]) -> None:
    global seen_frame
    seen_frame = frame.rip


@section(".text.kaa_test")
def in_section() -> i32:
    return 7


def main() -> i32:
    r = cpuid(0, 0)
    print("cpuid max leaf >= 1:", r.eax >= 1)
    print("apic base msr bsp:", (rdmsr(0x1B) >> 8) & 1 == 1)
    cr0 = read_cr0()
    print("cr0 pe pg:", cr0 & 1 == 1, (cr0 >> 31) & 1 == 1)
    print("cr4 pae:", (read_cr4() >> 5) & 1 == 1)
    print("cr3 aligned:", read_cr3() & 0xFFF == 0 and read_cr3() != 0)
    outb(SCRATCH, 0x5A)
    print(f"scratch: {inb(SCRATCH):#x}")
    mmio_write32(cast(usize, addr(word)), 0xCAFEF00D)
    print(f"mmio: {mmio_read32(cast(usize, addr(word))):x} {mmio_read16(cast(usize, addr(word))):x}")
    t0 = rdtsc()
    pause()
    mfence()
    print("rdtsc advances:", rdtsc() > t0)
    with irq_disabled():
        flags: u64 = 0
        asm("pushfq; popq %0", out=[("=r", flags)])
        print("irq off inside:", (flags >> 9) & 1 == 0)
    print("naked:", forty_two(), "section:", in_section())
    gate: u64 = cast(u64, on_vector)    # an @interrupt function is only an address (for an IDT gate)
    print("interrupt handler set:", gate != 0)
    return 0
