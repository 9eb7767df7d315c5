"""Counts timer interrupts per CPU, for booted tests that want to see them happen.

Not a program: tests/kernel programs import it. Its handler replaces start.py's (which
only acknowledges) and, like every interrupt handler, is compiled on general registers.
"""

from kaa.lang import *
import kernel.arch.x86_64.apic as apic
import kernel.arch.x86_64.cpu as cpu
import kernel.arch.x86_64.traps as traps

ticks: Array[u64, 16]


def count(frame: Ptr[traps.TrapFrame]) -> None:
    ticks[cpu.id()] += 1


def install() -> None:
    traps.register(apic.TIMER_VECTOR, count)
