"""The host platform (`kaa build --target host`): a Linux process stands in for the machine.

print goes to stdout, new/free to the C library, the exit status to exit(), and the
command line is the process's arguments joined by spaces; services' entropy, clocks and
sleep (kaa/pyrt/osrandom.h) are getrandom(2), clock_gettime(2) and nanosleep(2). Kernel
modules built this way are tested at host speed.
"""

from kaa.lang import *
import kernel.cmdline as cmdline


@extern
def write(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


@extern
def calloc(count: usize, size: usize) -> Ptr[None]: ...


@extern
def free(p: Ptr[None]) -> None: ...


@extern
def exit(status: i32) -> None: ...


@extern
def kaa_main() -> i32: ...


@struct
class Timespec:
    sec: i64
    nsec: i64


@extern
def getrandom(buf: Ptr[u8], n: usize, flags: u32) -> isize: ...


@extern
def clock_gettime(clock: i32, ts: Ptr[Timespec]) -> i32: ...


@extern
def nanosleep(req: Ptr[Timespec], rem: Ptr[Timespec]) -> i32: ...


CLOCK_REALTIME: Final = 0
CLOCK_MONOTONIC: Final = 1
NS_PER_SEC: Final = 1000000000


args_buf: Array[u8, 4096]


@export("kaa_console_write")
def console_write(buf: Ptr[u8], n: usize) -> None:
    done: usize = 0
    while done < n:
        wrote = write(1, buf + done, n - done)
        if wrote <= 0:
            return
        done += u64(wrote)


@export("kaa_alloc")
def alloc(size: usize) -> Ptr[None]:
    return calloc(1, size)


@export("kaa_free")
def release(p: Ptr[None]) -> None:
    free(p)


@export("kaa_exit")
def host_exit(status: i32) -> None:
    exit(status)


@export("kaa_backtrace")
def no_backtrace(frame: u64) -> None:
    """Host builds print no backtrace: use gdb on the executable instead."""
    pass


@export("kaa_stack_low")
def stack_low() -> u64:
    """Not known: a Linux process's main stack (8 MiB by default) is what CPython's
    recursion limit assumes, so the runtime does not check it here."""
    return 0


GETRANDOM_TRIES: Final = 100


@export("k_os_random")
def os_random(buf: Ptr[u8], n: i64) -> None:
    """getrandom(2) may return short or fail with EINTR when a signal arrives: try again."""
    done: i64 = 0
    failures = 0
    while done < n:
        got = getrandom(buf + done, u64(n - done), 0)
        if got > 0:
            done += i64(got)
            continue
        failures += 1
        if failures == GETRANDOM_TRIES:
            panic("k_os_random: getrandom keeps failing")


def clock_ns(clock: i32) -> i64:
    ts: Timespec
    clock_gettime(clock, addr(ts))
    return ts.sec * NS_PER_SEC + ts.nsec


@export("k_os_monotonic_ns")
def monotonic_ns() -> i64:
    return clock_ns(CLOCK_MONOTONIC)


@export("k_os_wall_ns")
def wall_ns() -> i64:
    return clock_ns(CLOCK_REALTIME)


@export("k_os_sleep_ns")
def sleep_ns(ns: i64) -> None:
    ts = Timespec(sec=ns // NS_PER_SEC, nsec=ns % NS_PER_SEC)
    while nanosleep(addr(ts), addr(ts)) != 0:   # interrupted by a signal: sleep the rest
        pass


@export("main")
def host_main(argc: i32, argv: Ptr[Ptr[u8]]) -> i32:
    w = Writer(buf=addr(args_buf[0]), cap=len(args_buf))
    for i in range(1, argc):
        if i > 1:
            w.write(" ")
        p = argv[i]
        j = 0
        while p[j] != 0:
            w.write_byte(p[j])
            j += 1
    cmdline.set_args(w.text())
    return kaa_main()
