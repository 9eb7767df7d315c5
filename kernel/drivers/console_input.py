"""Debug keys: bytes typed on the console (COM1's receive side) run actions modules bound.

    import kernel.drivers.console_input as console_input
    console_input.bind(110, "network counters", dump)      # 'n'

`kaa run` passes its standard input to the guest's COM1 (QEMU's `-serial stdio`), so a
key pressed in the terminal, or a byte written to kaa run's stdin, arrives here. The
output side of the UART stays in kernel/drivers/serial.py.

Nothing runs until a module binds its first key: then COM1's line (ISA IRQ 4, GSI 4 on
the first I/O APIC, edge-triggered, active high; microvm, q35 and pc alike) is routed
to the binding CPU, the UART's receive interrupt is enabled (IER bit 0), and one thread
starts on that CPU. The interrupt handler only acknowledges, by masking the receive
interrupt (the UART drops its line), and wakes the thread; the thread reads every byte
waiting, runs the action bound to each, and unmasks (an edge again if more came). Keys
are printable characters; one with no binding prints the bound ones, and the other
bytes (newlines, spaces, control characters) are ignored.
Actions run in that thread, on the CPU of the first bind(): CPU 0 for the network.
"""

from kaa.lang import *
import kernel.arch.x86_64.traps as traps
import kernel.drivers.serial as serial
import kernel.threads as threads

RBR: Final = 0          # receive buffer (read); the other registers are serial.py's
IER_RX: Final = 0x01    # received data available (and the FIFO's character timeout)
LSR_DATA_READY: Final = 0x01
COM1_GSI: Final = 4
MAX_KEYS: Final = 8


@struct
class Binding:
    key: u8
    what: Str                       # for the list of keys
    action: Fn[[], None]


bindings: Array[Binding, 8]
count: i32 = 0
started: bool = False
ready: threads.WaitQueue            # the input thread waits here for the interrupt
interrupts: u64 = 0


def bind(key: u8, what: Str, action: Fn[[], None]) -> bool:
    """Run action when key (a printable character) arrives on the console; False when
    MAX_KEYS are bound, the key is taken or not printable, or COM1's interrupt cannot
    be routed."""
    global count
    if count == MAX_KEYS or not 32 < key < 127:
        return False
    for i in range(count):
        if bindings[i].key == key:
            return False
    if not started and not start():
        return False
    b = addr(bindings[count])
    b.key = key
    b.what = what
    b.action = action
    count += 1
    return True


def start() -> bool:
    global started
    if not traps.connect(COM1_GSI, on_interrupt, False, False):
        return False
    started = True
    threads.spawn(run, 0, -1)
    return True


def on_interrupt(frame: Ptr[traps.TrapFrame]) -> None:
    """Acknowledge (mask the receive interrupt until the thread has read), wake it."""
    global interrupts
    outb(serial.COM1 + serial.IER, 0)
    interrupts += 1
    threads.wake_one(addr(ready))


def run(arg: u64) -> i64:
    """The input thread. Interrupts are off while a thread runs, so the unmask's
    interrupt comes only once it waits: no wake-up is lost."""
    while True:
        while inb(serial.COM1 + serial.LSR) & LSR_DATA_READY != 0:
            pressed(inb(serial.COM1 + RBR))
        outb(serial.COM1 + serial.IER, IER_RX)
        threads.wait(addr(ready))
    return 0


def pressed(key: u8) -> None:
    for i in range(count):
        if bindings[i].key == key:
            bindings[i].action()
            return
    if 32 < key < 127:
        list_keys()


def list_keys() -> None:
    buf: Array[u8, 160]
    w = Writer(buf=addr(buf[0]), cap=len(buf))
    w.write("console keys:")
    for i in range(count):
        b = addr(bindings[i])
        w.write_byte(32)
        w.write_byte(b.key)
        w.write(f" ({b.what})")
    print(w.text())
