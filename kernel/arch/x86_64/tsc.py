"""TSC frequency, measured once against the PIT (channel 2, 1 ms one-shot).

Used for the boot banner; the time subsystem builds its clock on it.
"""

from kaa.lang import *

PIT_HZ: Final = 1193182
PIT_TICKS: Final = 1193         # 1 ms
PORT_B: Final = 0x61            # bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output
PIT_CH2: Final = 0x42
PIT_CMD: Final = 0x43
FALLBACK_KHZ: Final = 1000000   # if no PIT answers: assume 1 GHz rather than hang
MAX_SPINS: Final = 50000000


def calibrate_khz() -> u64:
    outb(PORT_B, (inb(PORT_B) & 0xFC) | 0x01)      # gate on, speaker off
    outb(PIT_CMD, 0xB0)                            # channel 2, lo/hi byte, mode 0
    outb(PIT_CH2, PIT_TICKS & 0xFF)
    outb(PIT_CH2, PIT_TICKS >> 8)
    start = rdtsc()
    for i in range(MAX_SPINS):
        if inb(PORT_B) & 0x20:
            ticks = rdtsc() - start
            return ticks * PIT_HZ // (PIT_TICKS * 1000)
    return FALLBACK_KHZ
