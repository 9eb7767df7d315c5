"""16550 UART on COM1: the console.

QEMU attaches it with `-serial stdio` (microvm has one by default). Output only, polled:
every byte costs two port accesses (a VM exit each under KVM), so the kernel keeps its
own output to a line or two.
"""

from kaa.lang import *

COM1: Final = 0x3F8
IER: Final = 1          # interrupt enable
FCR: Final = 2          # FIFO control
LCR: Final = 3          # line control
MCR: Final = 4          # modem control
LSR: Final = 5          # line status
LSR_THR_EMPTY: Final = 0x20
LCR_DLAB: Final = 0x80  # divisor latch access


def init() -> None:
    outb(COM1 + IER, 0)           # no interrupts: the console is polled
    outb(COM1 + LCR, LCR_DLAB)
    outb(COM1 + 0, 1)             # divisor 1: 115200 baud
    outb(COM1 + 1, 0)
    outb(COM1 + LCR, 0x03)        # 8 data bits, no parity, 1 stop bit
    outb(COM1 + FCR, 0xC7)        # FIFOs on and cleared
    outb(COM1 + MCR, 0x03)        # DTR, RTS


def write(buf: Ptr[u8], n: usize) -> None:
    for i in range(n):
        while inb(COM1 + LSR) & LSR_THR_EMPTY == 0:
            pause()
        outb(COM1, buf[i])
