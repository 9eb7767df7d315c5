"""Ending the machine with a status.

QEMU's isa-debug-exit device (`-device isa-debug-exit,iobase=0x501,iosize=1`, which
`kaa run` always adds) ends QEMU with exit code (status << 1) | 1. Without it, the CPU
halts with interrupts off.

Modules register exit hooks (on_exit) to have a last word, such as the network's
counters with `netstat` on the command line. They run once, in the order registered,
on the CPU that ends the machine, when main returns or exit() is called. A panic skips
them: the state that failed is no place to run more code.
"""

from kaa.lang import *
import kernel.lib.rt as rt

DEBUG_EXIT_PORT: Final = 0x501
MAX_HOOKS: Final = 4

hooks: Array[Fn[[], None], 4]
hook_count: i32 = 0
exiting: bool = False               # hooks ran (or are running): a hook that exits ends at once


def on_exit(hook: Fn[[], None]) -> bool:
    """Run hook when the machine ends normally; False when MAX_HOOKS are taken."""
    global hook_count
    if hook_count == MAX_HOOKS:
        return False
    hooks[hook_count] = hook
    hook_count += 1
    return True


def exit(status: i32) -> None:
    global exiting
    if not exiting and status != rt.PANIC_STATUS:
        exiting = True
        for i in range(hook_count):
            hooks[i]()
    outb(DEBUG_EXIT_PORT, u8(status & 0x7F))
    while True:
        cli()
        hlt()
