"""Runtime support every program links: panics, and the structs intrinsics use.

The compiler lowers `panic(...)`, failed asserts, bounds and division checks to
kaa_panic / kaa_panic_index (declared in kaa/compiler/runtime.h). They print one line
naming the source position, then the platform's backtrace of the calls that led there
(kaa_backtrace), and end the machine through the platform's kaa_exit.
"""

from kaa.lang import *

PANIC_STATUS: Final = 101


@struct
class SpinLock:
    value: u32


@struct
class CpuidResult:
    eax: u32
    ebx: u32
    ecx: u32
    edx: u32


@struct
class InterruptFrame:
    rip: u64
    cs: u64
    rflags: u64
    rsp: u64
    ss: u64


@extern
def kaa_exit(status: i32) -> None: ...


@extern
def kaa_backtrace(frame: u64) -> None: ...     # the platform prints the calls above `frame`


@inline
def frame_pointer() -> u64:
    fp: u64 = 0
    asm("movq %%rbp, %0", out=[("=r", fp)])
    return fp


@export("kaa_panic")
def panic_at(msg: Str, file: Str, line: i32) -> None:
    fail(msg, file, line, frame_pointer())


@export("kaa_panic_index")
def panic_index(index: i64, length: u64, file: Str, line: i32) -> None:
    buf: Array[u8, 96]
    w = Writer(buf=addr(buf[0]), cap=len(buf))
    w.write(f"index {index} is out of range for length {length}")
    fail(w.text(), file, line, frame_pointer())


def fail(msg: Str, file: Str, line: i32, frame: u64) -> None:
    print(f"panic: {msg} ({file}:{line})")
    kaa_backtrace(frame)
    kaa_exit(PANIC_STATUS)
    while True:
        pass
