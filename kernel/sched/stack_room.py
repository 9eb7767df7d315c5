"""How far the running thread's stack may grow, for the service runtime.

The runtime's C functions that recurse through nested containers (repr, comparisons,
hashing, asdict) ask before each level and raise RecursionError when the stack nears
its end (kaa/pyrt/object.h, k_stack_exhausted), instead of running into the guard page:
a client's JSON nested a few hundred deep must not take a service down. A connection
thread has 16 KiB of stack.
"""

from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.mm.pages as pages
import kernel.sched.sched as sched


@extern
def boot_stack_guard() -> None: ...         # boot.S: the unmapped page below CPU 0's boot stack


@export("kaa_stack_low")
def stack_low() -> u64:
    """The lowest address the running thread's stack may use; 0 when not known (the
    boot thread of a CPU other than 0)."""
    t = sched.current()
    if len(t.stack) > 0:
        return cast(u64, t.stack.ptr)
    if cpu.id() == 0:
        return cast(u64, boot_stack_guard) + pages.PAGE
    return 0
