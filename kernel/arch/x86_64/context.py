"""Thread context switch: save the callee-saved registers on the old stack, swap stacks.

A thread that is not running is just its saved stack pointer; its stack holds
rbp, rbx, r12..r15 and the address to resume at. A new thread's stack is built by
prepare() to look the same, resuming at its start function with rbp = 0 (the end of
the frame chain for backtraces).
"""

from kaa.lang import *

SAVED_REGISTERS: Final = 6


@naked
def switch(save_rsp: Ptr[u64], load_rsp: u64) -> None:
    asm("pushq %rbp; pushq %rbx; pushq %r12; pushq %r13; pushq %r14; pushq %r15;"
        "movq %rsp, (%rdi); movq %rsi, %rsp;"
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
    return cast(u64, sp)
