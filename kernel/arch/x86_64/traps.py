"""Trap dispatch: CPU exceptions end the machine with a report; device vectors run handlers.

boot.S's trap_common saves the registers into a TrapFrame and calls kaa_trap. An
exception (vector < 32) prints the vector's name, the error code, the CPU, RIP, CR2, the
registers, the words at RSP and a frame-pointer backtrace; `kaa run` symbolizes the
addresses to `function (file.py:line)`, and uses the words at RSP to name the caller
of a function that had not set up its frame (a leaf: gcc gives those none). Vectors
32..255 call the handler registered for them, then signal end of interrupt to the
local APIC; handlers only acknowledge the device and wake a thread (DESIGN.md section 4).

A report must not make things worse: it owns the console (serial.claim), so another
CPU's lines cannot cut into it; the backtrace reads only memory the page tables map
and stops at a frame that does not lead up the stack; and a fault during a report (or
during a panic's backtrace) prints one short line and ends the machine instead of
reporting itself again.
"""

from kaa.lang import *
import kernel.arch.x86_64.apic as apic
import kernel.arch.x86_64.cpu as cpu
import kernel.arch.x86_64.ioapic as ioapic
import kernel.arch.x86_64.paging as paging
import kernel.arch.x86_64.power as power
import kernel.drivers.serial as serial
import kernel.mm.pages as pages
import kernel.lib.rt as rt

FIRST_DEVICE_VECTOR: Final = 32
FIRST_FREE_VECTOR: Final = 48       # below: the kernel's own (APIC timer, IPIs)
DOUBLE_FAULT: Final = 8
PAGE_FAULT: Final = 14
MAX_FRAMES: Final = 32
STACK_WORDS: Final = 8          # words shown from RSP: a frameless function's return address is there


@struct
class TrapFrame:
    r15: u64
    r14: u64
    r13: u64
    r12: u64
    r11: u64
    r10: u64
    r9: u64
    r8: u64
    rbp: u64
    rdi: u64
    rsi: u64
    rdx: u64
    rcx: u64
    rbx: u64
    rax: u64
    vector: u64
    error: u64
    rip: u64
    cs: u64
    rflags: u64
    rsp: u64
    ss: u64


MAX_SHARING: Final = 4             # devices on one interrupt line (pc: every slot shares GSI 10 or 11)
MAX_GSI: Final = 64

handlers: Array[Fn[[Ptr[TrapFrame]], None], 256]
shared: Array[Array[Fn[[Ptr[TrapFrame]], None], 4], 256]    # further handlers of a shared line
gsi_vectors: Array[u8, 64]          # the vector a GSI was routed to (0: none yet)
spurious: u64 = 0
next_vector: i32 = FIRST_FREE_VECTOR
reporting: Array[u8, 16]        # per CPU: printing a fault report or a panic's backtrace


def register(vector: i32, handler: Fn[[Ptr[TrapFrame]], None]) -> None:
    if vector < FIRST_DEVICE_VECTOR or vector > 255:
        panic(f"traps.register: vector {vector} is not a device vector")
    handlers[vector] = handler


@export("kaa_trap")
def dispatch(f: Ptr[TrapFrame]) -> None:
    if f.vector < FIRST_DEVICE_VECTOR:
        report(f)
    h = handlers[f.vector]
    if h is None:
        global spurious
        spurious += 1
    else:
        h(f)
        for i in range(MAX_SHARING):
            more = shared[f.vector][i]
            if more is None:
                break
            more(f)
    if f.vector != apic.SPURIOUS_VECTOR:
        apic.eoi()


def allocate(handler: Fn[[Ptr[TrapFrame]], None]) -> i32:
    """A new vector served by handler (for MSI/MSI-X), or -1 when none is left."""
    global next_vector
    if next_vector >= apic.SPURIOUS_VECTOR:
        return -1
    vector = next_vector
    next_vector += 1
    handlers[vector] = handler
    return vector


def connect(gsi: u32, handler: Fn[[Ptr[TrapFrame]], None], level: bool, active_low: bool) -> bool:
    """Route a device's interrupt line to a vector on this CPU, served by handler.

    A line several devices share (level-triggered PCI INTx) gets one vector whose
    handlers all run; each checks its own device."""
    if gsi < MAX_GSI and gsi_vectors[gsi] != 0:
        chain = addr(shared[gsi_vectors[gsi]])
        for i in range(MAX_SHARING):
            if chain[0][i] is None:
                chain[0][i] = handler
                return True
        return False
    vector = allocate(handler)
    if vector < 0 or not ioapic.route(gsi, u8(vector), apic.id(), level, active_low):
        return False
    if gsi < MAX_GSI:
        gsi_vectors[gsi] = u8(vector)
    return True


def exception_name(v: u64) -> Str:
    if v == 0:
        return "divide error"
    if v == 1:
        return "debug"
    if v == 2:
        return "NMI"
    if v == 3:
        return "breakpoint"
    if v == 4:
        return "overflow"
    if v == 5:
        return "bound range exceeded"
    if v == 6:
        return "invalid opcode"
    if v == 7:
        return "device not available"
    if v == 8:
        return "double fault"
    if v == 10:
        return "invalid TSS"
    if v == 11:
        return "segment not present"
    if v == 12:
        return "stack-segment fault"
    if v == 13:
        return "general protection fault"
    if v == 14:
        return "page fault"
    if v == 16:
        return "x87 floating-point error"
    if v == 17:
        return "alignment check"
    if v == 18:
        return "machine check"
    if v == 19:
        return "SIMD floating-point error"
    return "exception"


def report(f: Ptr[TrapFrame]) -> None:
    me = cpu.id()
    serial.claim(me)
    if reporting[me] != 0:
        print(f"fault: {exception_name(f.vector)} (vector {f.vector}) on cpu {me} at rip {f.rip:#018x}"
              " while reporting: stopped")
        power.exit(rt.PANIC_STATUS)
    reporting[me] = 1
    cr2 = read_cr2()
    print(f"fault: {exception_name(f.vector)} (vector {f.vector}, error {f.error:#x}) on cpu {me}"
          f" at rip {f.rip:#018x}")
    if f.vector == PAGE_FAULT:
        print(f"  cr2 {cr2:#018x} ({'write' if f.error & 2 else 'read'}"
              f"{', page present' if f.error & 1 else ', page not present'})")
    elif f.vector == DOUBLE_FAULT:
        print(f"  cr2 {cr2:#018x} (the last page fault)")
    if stack_overflow(f, cr2):
        print(f"  stack overflow: rsp {f.rsp:#018x} ran into the unmapped page below it")
    print(f"  rax {f.rax:016x} rbx {f.rbx:016x} rcx {f.rcx:016x} rdx {f.rdx:016x}")
    print(f"  rsi {f.rsi:016x} rdi {f.rdi:016x} rbp {f.rbp:016x} rsp {f.rsp:016x}")
    print(f"  r8  {f.r8:016x} r9  {f.r9:016x} r10 {f.r10:016x} r11 {f.r11:016x}")
    print(f"  r12 {f.r12:016x} r13 {f.r13:016x} r14 {f.r14:016x} r15 {f.r15:016x}")
    print(f"  rflags {f.rflags:016x} cs {f.cs:x} ss {f.ss:x}")
    stack_words(f.rsp)
    backtrace(f.rip, f.rbp)
    power.exit(rt.PANIC_STATUS)


def stack_overflow(f: Ptr[TrapFrame], cr2: u64) -> bool:
    """A page fault, or the double fault it becomes when the CPU cannot push the fault's
    own frame, that hit unmapped memory just below RSP (a guard page), or with RSP
    itself no longer on mapped memory."""
    if f.vector != PAGE_FAULT and f.vector != DOUBLE_FAULT:
        return False
    if not readable(f.rsp - 8, 8):
        return True
    return cr2 < f.rsp and f.rsp - cr2 <= pages.PAGE and not readable(cr2, 1)


def stack_words(rsp: u64) -> None:
    """The words at RSP, four to a line, as far as they are mapped: `kaa run` takes a
    frameless function's return address from here (see kaa/symbolize.py)."""
    for row in range(0, STACK_WORDS, 4):
        p = rsp + u64(row) * 8
        if p & 7 != 0 or not readable(p, 32):
            return
        w = cast(Ptr[u64], p)
        print(f"  stack+{row * 8:#04x} {w[0]:#018x} {w[1]:#018x} {w[2]:#018x} {w[3]:#018x}")


def readable(a: u64, n: u64) -> bool:
    """Whether the n bytes at a (n at most a page) can be read without a fault."""
    return a + n > a and paging.mapped(a) and paging.mapped(a + n - 1)


@export("kaa_backtrace")
def backtrace_from(frame: u64) -> None:
    """The calls above the function whose frame is `frame` (for panics)."""
    me = cpu.id()
    serial.claim(me)
    reporting[me] = 1               # a fault from here on is a fault during a report
    print(f"  on cpu {me}")         # the panic line is the runtime's, shared with the host
    if frame == 0 or not readable(frame, 16):
        return
    f = cast(Ptr[u64], frame)
    backtrace(f[1] - 1, f[0])       # #0 is the call instruction, not the return address


def backtrace(rip: u64, rbp: u64) -> None:
    """Print the call chain: rip, then each frame's return address through saved rbp.

    Only mapped frames are read, each must lie above the one before (a stack grows
    down, so callers' frames are higher), and the depth is capped: a corrupt rbp ends
    the walk instead of faulting or looping."""
    print("backtrace:")
    print(f"  #0 {rip:#018x}")
    fp = rbp
    for depth in range(1, MAX_FRAMES):
        if fp & 7 != 0 or not readable(fp, 16):
            return
        frame = cast(Ptr[u64], fp)
        ret = frame[1]
        if ret == 0:
            return
        print(f"  #{depth} {ret:#018x}")
        if frame[0] <= fp:
            return
        fp = frame[0]
