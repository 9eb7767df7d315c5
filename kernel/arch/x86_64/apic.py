"""The local APIC: end of interrupt, the one-shot timer, inter-processor interrupts.

x2APIC (registers as MSRs) when CPUID offers it, else xAPIC (MMIO at 0xFEE00000,
inside boot.S's identity map). The timer runs in one-shot mode at a rate measured
once against the TSC (during the TSC's own calibration, to save boot time); the scheduler arms it for the earliest sleeping thread.
"""

from kaa.lang import *
import kernel.arch.x86_64.tsc as tsc

XAPIC_BASE: Final = 0xFEE00000
MSR_APIC_BASE: Final = 0x1B
MSR_X2APIC_FIRST: Final = 0x800
APIC_ENABLE: Final = 0x800
X2APIC_ENABLE: Final = 0x400
CPUID_X2APIC: Final = 0x200000      # leaf 1, ecx bit 21

REG_ID: Final = 0x20
REG_EOI: Final = 0xB0
REG_SVR: Final = 0xF0
REG_ICR_LOW: Final = 0x300
REG_ICR_HIGH: Final = 0x310
REG_LVT_TIMER: Final = 0x320
REG_TIMER_INIT: Final = 0x380
REG_TIMER_CURRENT: Final = 0x390
REG_TIMER_DIVIDE: Final = 0x3E0

TIMER_VECTOR: Final = 32
IPI_VECTOR: Final = 33
SPURIOUS_VECTOR: Final = 255
ICR_INIT: Final = 0x4500            # INIT, assert, level
ICR_STARTUP: Final = 0x4600         # start-up IPI; low byte = page of the trampoline
ICR_PENDING: Final = 0x1000
DIVIDE_BY_1: Final = 0xB
MAX_COUNT: Final = 0xFFFFFFFF

x2apic: bool = False
ticks_per_ms: u64 = 0


def read(reg: u32) -> u32:
    if x2apic:
        return u32(rdmsr(MSR_X2APIC_FIRST + (reg >> 4)))
    return mmio_read32(XAPIC_BASE + reg)


def write(reg: u32, value: u32) -> None:
    if x2apic:
        wrmsr(MSR_X2APIC_FIRST + (reg >> 4), value)
    else:
        mmio_write32(XAPIC_BASE + reg, value)


def enable() -> None:
    """Turn on this CPU's APIC (x2APIC mode when the CPU has it) and its timer."""
    global x2apic
    base = rdmsr(MSR_APIC_BASE) | APIC_ENABLE
    if cpuid(1, 0).ecx & CPUID_X2APIC:
        base |= X2APIC_ENABLE
        x2apic = True
    wrmsr(MSR_APIC_BASE, base)
    write(REG_SVR, 0x100 | SPURIOUS_VECTOR)
    write(REG_TIMER_DIVIDE, DIVIDE_BY_1)
    write(REG_LVT_TIMER, TIMER_VECTOR)  # one-shot


def calibration_start() -> u64:
    """Start the timer counting down from its maximum; returns the TSC at the start."""
    write(REG_TIMER_INIT, MAX_COUNT)
    return rdtsc()


def calibration_end(start_tsc: u64) -> None:
    """The timer's rate from the ticks counted since calibration_start (TSC calibrated by now)."""
    global ticks_per_ms
    while (rdtsc() - start_tsc) < tsc.khz:      # at least 1 ms, however fast the TSC rate came
        pause()
    ticks = u64(MAX_COUNT - read(REG_TIMER_CURRENT))
    elapsed_tsc = rdtsc() - start_tsc
    write(REG_TIMER_INIT, 0)
    ticks_per_ms = ticks * tsc.khz // (elapsed_tsc if elapsed_tsc > 0 else 1)


def id() -> u32:
    return read(REG_ID) if x2apic else read(REG_ID) >> 24


def eoi() -> None:
    write(REG_EOI, 0)


def arm_timer(ns: u64) -> None:
    """Interrupt this CPU once, ns from now (0 disarms)."""
    if ns == 0:
        write(REG_TIMER_INIT, 0)
        return
    count = ns * ticks_per_ms // 1000000 + 1
    write(REG_TIMER_INIT, u32(count) if count < MAX_COUNT else u32(MAX_COUNT))


def send(apic_id: u32, command: u32) -> None:
    if x2apic:
        wrmsr(MSR_X2APIC_FIRST + (REG_ICR_LOW >> 4), (u64(apic_id) << 32) | command)
        return
    write(REG_ICR_HIGH, apic_id << 24)
    write(REG_ICR_LOW, command)
    while read(REG_ICR_LOW) & ICR_PENDING:
        pause()


def send_ipi(apic_id: u32, vector: u32) -> None:
    send(apic_id, vector)
