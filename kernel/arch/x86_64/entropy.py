"""Unpredictable bytes for services (k_os_random, kaa/pyrt/osrandom.h): RDSEED, else RDRAND.

RDSEED reads the CPU's entropy source itself; RDRAND a generator it reseeds. Either may
fail for a moment when drained (carry clear), so each read is retried with a pause, and
a failing RDSEED falls back to RDRAND (Intel's DRNG guide, sections 5.2 and 5.3). CPUID
says which the CPU has (leaf 7 EBX bit 18, leaf 1 ECX bit 30); QEMU's TCG with
`-cpu max` has RDRAND.

A CPU with neither gets TSC jitter: each word folds JITTER_SAMPLES time deltas, each
measured across a little memory work of varying length (caches, interrupts and the
host's scheduling move their low bits), through a 64-bit mixer (splitmix64's
finaliser), chained through the previous output. The bytes differ per call and per
boot, but timing is all the entropy there is: enough to key hash tables and TCP's
sequence numbers against an observer off the machine, weaker than a hardware source.
"""

from kaa.lang import *

RETRIES: Final = 100
JITTER_SAMPLES: Final = 64
CPUID_RDRAND: Final = 1 << 30       # leaf 1, ECX
CPUID_RDSEED: Final = 1 << 18       # leaf 7, EBX

probed: bool = False
has_rdseed: bool = False
has_rdrand: bool = False
mix_state: u64 = 0
jitter_pool: Array[u64, 64]         # the memory the jitter loop touches


def probe() -> None:
    global probed, has_rdseed, has_rdrand
    has_rdrand = cpuid(1, 0).ecx & CPUID_RDRAND != 0
    has_rdseed = cpuid(0, 0).eax >= 7 and cpuid(7, 0).ebx & CPUID_RDSEED != 0
    probed = True


def rdseed(out: Ptr[u64]) -> bool:
    v: u64 = 0
    ok: u8 = 0
    asm("rdseed %0; setc %1", out=[("=r", v), ("=qm", ok)], clobbers=["cc"])
    out[0] = v
    return ok != 0


def rdrand(out: Ptr[u64]) -> bool:
    v: u64 = 0
    ok: u8 = 0
    asm("rdrand %0; setc %1", out=[("=r", v), ("=qm", ok)], clobbers=["cc"])
    out[0] = v
    return ok != 0


def mix64(x: u64) -> u64:
    """splitmix64's finaliser: every input bit flips about half the output bits."""
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB
    return x ^ (x >> 31)


def tsc_word() -> u64:
    """The fallback: no hardware generator (TSC jitter, see the module docstring)."""
    global mix_state
    x = mix_state + rdtsc()
    for i in range(JITTER_SAMPLES):
        t = rdtsc()
        for j in range(i64(x & 7) + 1):
            jitter_pool[(x >> u32(3 * j + 8)) & 63] += x
        x = mix64((x ^ (rdtsc() - t)) + 0x9E3779B97F4A7C15)
    mix_state = x
    return x


def word() -> u64:
    if not probed:
        probe()
    v: u64 = 0
    if has_rdseed:
        for i in range(RETRIES):
            if rdseed(addr(v)):
                return v
            pause()
    if has_rdrand:
        for i in range(RETRIES):
            if rdrand(addr(v)):
                return v
            pause()
    return tsc_word()


@export("k_os_random")
def fill(buf: Ptr[u8], n: i64) -> None:
    i: i64 = 0
    while i < n:
        v = word()
        j = 0
        while j < 8 and i < n:
            buf[i] = u8(v & 0xFF)
            v >>= 8
            i += 1
            j += 1
