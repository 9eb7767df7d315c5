"""16550 UART on COM1: the console.

QEMU attaches it with `-serial stdio` (microvm has one by default). Output only, polled:
every byte costs a port write, and every 16 bytes a status read (a VM exit each under
KVM), so the kernel keeps its own output to a line or two.

Lines from different CPUs never interleave: write_line() takes the console for the
calling CPU until a chunk ends in a newline (a print is one line, handed over in
chunks). The owner is a CPU number, not a plain lock bit, so a fault or panic raised
while this CPU is in the middle of a line writes on instead of waiting for itself, and
a fault report claim()s the console for the rest of the machine's life.
"""

from kaa.lang import *

COM1: Final = 0x3F8
IER: Final = 1          # interrupt enable
FCR: Final = 2          # FIFO control
LCR: Final = 3          # line control
MCR: Final = 4          # modem control
LSR: Final = 5          # line status
LSR_THR_EMPTY: Final = 0x20    # transmitter empty: with the FIFO on, FIFO_BYTES may follow
FIFO_BYTES: Final = 16          # the 16550's transmit FIFO
LCR_DLAB: Final = 0x80  # divisor latch access
NOBODY: Final = -1
NEWLINE: Final = 10
CLAIM_SPINS: Final = 0x4000000  # a report waits this long for another CPU's line, then takes over

owner: i32 = NOBODY     # the CPU whose line is being written
claimed: bool = False   # the owner keeps the console past its newlines (a fault report)
mid_line: bool = False  # the last byte written was not a newline


def init() -> None:
    outb(COM1 + IER, 0)           # no interrupts: the console is polled
    outb(COM1 + LCR, LCR_DLAB)
    outb(COM1 + 0, 1)             # divisor 1: 115200 baud
    outb(COM1 + 1, 0)
    outb(COM1 + LCR, 0x03)        # 8 data bits, no parity, 1 stop bit
    outb(COM1 + FCR, 0xC7)        # FIFOs on and cleared
    outb(COM1 + MCR, 0x03)        # DTR, RTS


def write(buf: Ptr[u8], n: usize) -> None:
    """Once the transmitter is empty its FIFO takes FIFO_BYTES at once: one status read
    per FIFO_BYTES bytes, not per byte (each is a VM exit under KVM)."""
    i: usize = 0
    while i < n:
        while inb(COM1 + LSR) & LSR_THR_EMPTY == 0:
            pause()
        end = i + FIFO_BYTES if n - i > FIFO_BYTES else n
        while i < end:
            outb(COM1, buf[i])
            i += 1


def put(b: u8) -> None:
    while inb(COM1 + LSR) & LSR_THR_EMPTY == 0:
        pause()
    outb(COM1, b)


def write_line(cpu: i32, buf: Ptr[u8], n: usize) -> None:
    """Write a piece of CPU `cpu`'s current line; a piece ending in a newline ends it."""
    global mid_line
    if atomic_load(addr(owner)) != cpu:
        while not atomic_cas(addr(owner), NOBODY, cpu):
            pause()
    write(buf, n)
    if n > 0:
        mid_line = buf[n - 1] != NEWLINE
    if not mid_line and not claimed:
        atomic_store(addr(owner), NOBODY)


def claim(cpu: i32) -> None:
    """The console for CPU `cpu` from now on (a fault report, which ends the machine).

    A line another CPU is writing gets time to finish; a line this CPU left unfinished
    (it faulted inside a print) is ended here, so the report starts on a line of its own."""
    global claimed, mid_line
    if atomic_load(addr(owner)) == cpu:
        if mid_line:
            put(NEWLINE)
    else:
        spins = 0
        while not atomic_cas(addr(owner), NOBODY, cpu) and spins < CLAIM_SPINS:
            pause()
            spins += 1
        if spins == CLAIM_SPINS:        # its owner is stuck: end the broken line and take over
            atomic_store(addr(owner), cpu)
            put(NEWLINE)
    mid_line = False
    claimed = True
