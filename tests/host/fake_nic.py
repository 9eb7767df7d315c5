# A fake NetDevice for the host-built network harnesses (net_iface.py, tcp_sim.py):
# transmit prints each frame as "tx HEX" (or "refused" once `accept_left` frames were
# taken), frames a test queues as hex wait for poll(), and exhaust()/refill() empty and
# refill the packet pool. MAC 52:54:00:12:34:56, MTU 1500.
from kaa.lang import *
import kernel.net.packet as packet
import kernel.net.wire.field as field
from kernel.net.device import NetDevice
from kernel.net.packet import Packet
import net_hex

dev: NetDevice
accept_left: i64 = -1                  # transmits the device still takes (-1: any)
print_flush: bool = False              # say "flush" when the stack flushes
rx_head: Ptr[Packet] = None            # frames queued by queue(), for poll()
rx_tail: Ptr[Packet] = None
hoard: Ptr[Packet] = None              # packets held by exhaust()
frame_buf: Array[u8, 65536]


def setup(name: Str) -> Ptr[NetDevice]:
    dev.name = name
    dev.mtu = 1500
    dev.mac[0] = 0x52
    dev.mac[1] = 0x54
    dev.mac[2] = 0x00
    dev.mac[3] = 0x12
    dev.mac[4] = 0x34
    dev.mac[5] = 0x56
    dev.transmit = transmit
    dev.flush = flush
    dev.poll = poll
    dev.enable_interrupts = enable
    return addr(dev)


def transmit(d: Ptr[NetDevice], p: Ptr[Packet]) -> bool:
    global accept_left
    if accept_left == 0:
        print("refused")
        packet.release(p)
        return False
    if accept_left > 0:
        accept_left -= 1
    w = net_hex.line()
    w.write("tx ")
    net_hex.write_hex(addr(w), p.frame())
    print(w.text())
    packet.release(p)
    return True


def flush(d: Ptr[NetDevice]) -> None:
    if print_flush:
        print("flush")


def poll(d: Ptr[NetDevice], budget: i32) -> i32:
    global rx_head, rx_tail
    n: i32 = 0
    while n < budget and rx_head is not None:
        p = rx_head
        rx_head = p.next
        if rx_head is None:
            rx_tail = None
        p.next = None
        d.receive(d, p)
        n += 1
    return n


def enable(d: Ptr[NetDevice]) -> bool:
    return rx_head is None


def frame_packet(hex: Str) -> Ptr[Packet]:
    """A pool packet holding the frame hex spells, or None (said why)."""
    p = packet.alloc()
    if p is None:
        print("no packet for the frame")
        return None
    b = unhex(hex)
    p.len = u32(len(b))
    field.copy(p.frame(), b)
    return p


def unhex(hex: Str) -> Bytes:
    return net_hex.unhex(hex, frame_buf[0:len(frame_buf)])


def queue(hex: Str) -> None:
    """A frame for the next poll()."""
    global rx_head, rx_tail
    p = frame_packet(hex)
    if p is None:
        return
    if rx_tail is None:
        rx_head = p
    else:
        rx_tail.next = p
    rx_tail = p


def exhaust() -> None:
    """Take every free packet from the pool (refill() gives them back)."""
    global hoard
    p = packet.alloc()
    while p is not None:
        p.next = hoard
        hoard = p
        p = packet.alloc()


def refill() -> None:
    global hoard
    while hoard is not None:
        p = hoard
        hoard = p.next
        packet.release(p)


def drain() -> None:
    """Give back the held and the queued packets."""
    global rx_head, rx_tail
    refill()
    while rx_head is not None:
        p = rx_head
        rx_head = p.next
        packet.release(p)
    rx_tail = None
