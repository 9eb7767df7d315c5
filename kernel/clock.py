"""Time for services: the monotonic clock, the wall clock and sleeping.

The monotonic clock is the TSC's (kernel/arch/x86_64/tsc.py: nanoseconds since the
PVH entry). The wall clock is the CMOS RTC read once, the first time a service asks
(its 30-odd port accesses are VM exits: a service that never reads the time pays
none, and boot does no RTC work), to the second, advanced by the monotonic clock: no
RTC interrupts, no drift correction. Without an RTC the wall clock starts at the Unix
epoch.

The k_os_* functions are what the service runtime calls (kaa/pyrt/osrandom.h); the
host target exports the same names from kernel/platform/host.py.
"""

from kaa.lang import *
import kernel.arch.x86_64.rtc as rtc
import kernel.arch.x86_64.tsc as tsc
import kaa.http.date as http_date
import kernel.sched.sched as sched

NS_PER_SEC: Final = 1000000000

boot_wall_ns: i64 = 0           # the wall clock when tsc.now_ns() was 0
wall_known: bool = False        # the RTC was read (two first readers read it alike)


def read_rtc() -> None:
    """Read the RTC: once, on the first wall-clock reading."""
    global boot_wall_ns, wall_known
    wall_known = True
    t: rtc.DateTime
    if not rtc.read(addr(t)):
        return
    secs = http_date.days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second
    boot_wall_ns = secs * NS_PER_SEC - i64(tsc.now_ns())


@export("k_os_monotonic_ns")
def monotonic_ns() -> i64:
    return i64(tsc.now_ns())


@export("k_os_wall_ns")
def wall_ns() -> i64:
    if not wall_known:
        read_rtc()
    return boot_wall_ns + i64(tsc.now_ns())


@export("k_os_sleep_ns")
def sleep_ns(ns: i64) -> None:
    """Other threads run meanwhile; sleep_ns(0) still yields once."""
    sched.sleep_ns(u64(ns) if ns > 0 else u64(0))
