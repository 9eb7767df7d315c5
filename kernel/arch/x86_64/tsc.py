"""TSC frequency (from the hypervisor's CPUID leaf, else measured against the PIT).

PIT channel 0 runs as a free-running rate generator (mode 2) and its counter is
latched and read until 1 ms (1193 PIT ticks) has passed. Channel 2 and port 0x61 are
not used: they need the PC speaker device, which `-M microvm` does not have.
now_ns() is the monotonic clock every timeout and sleep is measured with.
"""

from kaa.lang import *

PIT_HZ: Final = 1193182
PIT_TICKS: Final = 1193         # 1 ms
PIT_CH0: Final = 0x40
PIT_CMD: Final = 0x43
FALLBACK_KHZ: Final = 1000000   # if no PIT counts: assume 1 GHz rather than hang
MAX_READS: Final = 1000000

khz: u64 = FALLBACK_KHZ
boot_tsc: u64 = 0


def pit_count() -> u32:
    outb(PIT_CMD, 0x00)                 # latch channel 0
    lo = inb(PIT_CH0)
    hi = inb(PIT_CH0)
    return (u32(hi) << 8) | lo


def init(tsc_at_entry: u64) -> None:
    """Measure the TSC rate; time 0 is the PVH entry."""
    global khz, boot_tsc
    boot_tsc = tsc_at_entry
    khz = hypervisor_khz()
    if khz == 0:
        khz = calibrate_khz()


def now_ns() -> u64:
    """Nanoseconds since the machine entered the kernel (monotonic, from the TSC)."""
    ticks = rdtsc() - boot_tsc
    return ticks // khz * 1000000 + ticks % khz * 1000000 // khz


def spin_ns(ns: u64) -> None:
    end = now_ns() + ns
    while now_ns() < end:
        pause()


HYPERVISOR_LEAF: Final = 0x40000000
HYPERVISOR_TSC_LEAF: Final = 0x40000010     # eax: TSC kHz (KVM with invtsc, VMware)


def hypervisor_khz() -> u64:
    """The TSC rate the hypervisor states, or 0 when it states none."""
    if cpuid(1, 0).ecx & (1 << 31) == 0:    # not running under a hypervisor
        return 0
    if cpuid(HYPERVISOR_LEAF, 0).eax < HYPERVISOR_TSC_LEAF:
        return 0
    return u64(cpuid(HYPERVISOR_TSC_LEAF, 0).eax)


def calibrate_khz() -> u64:
    outb(PIT_CMD, 0x34)                 # channel 0, lo/hi byte, mode 2, binary
    outb(PIT_CH0, 0xFF)                 # reload 65535: one period is 55 ms
    outb(PIT_CH0, 0xFF)
    first = pit_count()
    start = rdtsc()
    for i in range(MAX_READS):
        elapsed = (first - pit_count()) & 0xFFFF
        if elapsed >= PIT_TICKS:
            return (rdtsc() - start) * PIT_HZ // (elapsed * 1000)
    return FALLBACK_KHZ
