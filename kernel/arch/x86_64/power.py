"""Ending the machine with a status.

QEMU's isa-debug-exit device (`-device isa-debug-exit,iobase=0x501,iosize=1`, which
`kaa run` always adds) ends QEMU with exit code (status << 1) | 1. Without it, the CPU
halts with interrupts off.
"""

from kaa.lang import *

DEBUG_EXIT_PORT: Final = 0x501


def exit(status: i32) -> None:
    outb(DEBUG_EXIT_PORT, u8(status & 0x7F))
    while True:
        cli()
        hlt()
