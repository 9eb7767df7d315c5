"""Thread context switch: save what the ABI says a call preserves, swap stacks.

A thread that is not running is just its saved stack pointer; its stack holds, from
the top: the address to resume at, rbp, rbx, r12..r15, then one quadword with the
floating-point control state (MXCSR in its low half, the x87 control word above it).
A new thread's stack is built by prepare() to look the same, resuming at its start
function with rbp = 0 (the end of the frame chain for backtraces) and the default
control state (MXCSR 0x1F80, x87 control word 0x037F: round to nearest, all masked).

That is all a switch must keep. Threads switch only by calling switch() (they are
cooperative; an interrupt returns to the code it interrupted and never switches), and
the System V x86-64 ABI (section 3.2.1) makes every XMM register and the x87 stack
caller-saved: a thread's floating-point values live on its own stack across the call.
What a call preserves is the callee-saved registers and the control bits of MXCSR and
the x87 control word, so a thread that sets its own rounding mode keeps it. MXCSR's
sticky exception flags travel with it too (all of MXCSR is saved). Interrupt handlers
are compiled with -mgeneral-regs-only and touch none of this state. In an image with no
SSE code at all (cpu.image_uses_sse) the switch skips the four control instructions
and leaves the slot unused: see cpu.py for why.
"""

from kaa.lang import *

SAVED_REGISTERS: Final = 6
FP_CONTROL_DEFAULT: Final = (0x037F << 32) | 0x1F80   # x87 control word : MXCSR, as stored


@naked
def switch(save_rsp: Ptr[u64], load_rsp: u64) -> None:
    # ZF: the image has no SSE code (linker.ld). The two movq leave the flags alone.
    asm("pushq %rbp; pushq %rbx; pushq %r12; pushq %r13; pushq %r14; pushq %r15; subq $8, %rsp;"
        "leaq __kaa_sse_start(%rip), %rax; leaq __kaa_sse_end(%rip), %rcx; cmpq %rax, %rcx; je 1f;"
        "stmxcsr (%rsp); fnstcw 4(%rsp);"
        "1: movq %rsp, (%rdi); movq %rsi, %rsp; je 2f;"
        "ldmxcsr (%rsp); fldcw 4(%rsp);"
        "2: addq $8, %rsp;"
        "popq %r15; popq %r14; popq %r13; popq %r12; popq %rbx; popq %rbp; ret")


def prepare(stack_top: u64, start: Fn[[], None]) -> u64:
    """The saved rsp of a thread that will begin in `start` on the stack ending at stack_top."""
    sp = cast(Ptr[u64], stack_top & ~u64(15))
    sp = sp - 1
    sp[0] = 0                       # start's return address: none (ends backtraces)
    sp = sp - 1
    sp[0] = cast(u64, start)        # where switch's ret lands
    for i in range(SAVED_REGISTERS):
        sp = sp - 1
        sp[0] = 0
    sp = sp - 1
    sp[0] = FP_CONTROL_DEFAULT
    return cast(u64, sp)
