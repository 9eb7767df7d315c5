# Probe the e1000, ask QEMU's user network for its gateway's MAC with a hand-made ARP
# request (10.0.2.15 asks who has 10.0.2.2), and wait for the reply: interrupt-driven,
# polling each time the interrupt wakes us, for at most 5 s. Exit 0 with the reply,
# 1 without it, 2 when there is no e1000 (or when the e1000 could not be started).
#
# With `stress` on the command line, then: rounds of 32 requests per flush (both rings
# wrap several times), a burst bigger than the transmit ring (the excess is dropped and
# counted), and a receive with the packet pool empty (dropped, ring intact, and the
# next reply gets through). The pool must end where it started.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.drivers.e1000 as e1000
import kernel.net.packet as packet
import kernel.threads as threads
from kernel.net.device import NetDevice
from kernel.net.packet import Packet

POOL: Final = 512
SECOND: Final = 1000000000

irq: threads.WaitQueue
replies: u32 = 0
others: u32 = 0                     # frames that were not a reply to us
gateway: Array[u8, 6]


def wake(d: Ptr[NetDevice]) -> None:
    threads.wake_one(addr(irq))


def receive(d: Ptr[NetDevice], p: Ptr[Packet]) -> None:
    global replies, others
    f = p.frame()
    # ethertype ARP (0x0806), opcode 2 (reply), sender IP 10.0.2.2, target IP 10.0.2.15
    if (len(f) >= 42 and f[12] == 0x08 and f[13] == 0x06 and f[20] == 0 and f[21] == 2
            and f[28] == 10 and f[29] == 0 and f[30] == 2 and f[31] == 2 and f[41] == 15):
        for i in range(6):
            gateway[i] = f[22 + i]
        replies += 1
    else:
        others += 1
    packet.release(p)


def put(f: Bytes, at: i64, data: Bytes) -> None:
    for i in range(len(data)):
        f[at + i] = data[i]


def arp_request(d: Ptr[NetDevice], p: Ptr[Packet]) -> Ptr[Packet]:
    p.len = 42
    f = p.frame()
    put(f, 0, b"\xff\xff\xff\xff\xff\xff")          # to everyone
    for i in range(6):
        f[6 + i] = d.mac[i]                         # from us
        f[22 + i] = d.mac[i]                        # sender hardware address
        f[32 + i] = 0                               # target hardware address: unknown
    put(f, 12, b"\x08\x06")                         # ARP
    put(f, 14, b"\x00\x01\x08\x00\x06\x04\x00\x01") # Ethernet, IPv4, sizes 6 and 4, request
    put(f, 28, b"\x0a\x00\x02\x0f")                 # sender IP 10.0.2.15
    put(f, 38, b"\x0a\x00\x02\x02")                 # who has 10.0.2.2?
    return p


def send(d: Ptr[NetDevice], n: i32) -> None:
    for _ in range(n):
        p = packet.alloc()
        if p is None:
            break
        d.transmit(d, arp_request(d, p))
    d.flush(d)


def wait_for_replies(d: Ptr[NetDevice], total: u32, ns: u64) -> bool:
    """Poll, and sleep on the interrupt when there is nothing, until `total` replies."""
    deadline = threads.now_ns() + ns
    while replies < total and threads.now_ns() < deadline:
        if d.poll(d, 64) == 0 and d.enable_interrupts(d):
            threads.wait_timeout(addr(irq), 100000000)
    return replies >= total


def rounds(d: Ptr[NetDevice], n: i32) -> None:
    base = replies
    t0 = threads.now_ns()
    irqs = d.stats.interrupts
    for _ in range(n):
        send(d, 32)
        if not wait_for_replies(d, replies + 32, 5 * SECOND):
            break
    print(f"rounds {n} replies {replies - base}")
    if cmdline.has("verbose"):
        print(f"  took {(threads.now_ns() - t0) // 1000} us, {d.stats.interrupts - irqs} interrupts")


def burst(d: Ptr[NetDevice], n: i32) -> None:
    base = replies
    dropped = d.stats.tx_dropped
    send(d, n)
    queued = n - i32(d.stats.tx_dropped - dropped)
    wait_for_replies(d, base + u32(queued), 5 * SECOND)
    print(f"burst {n} queued {queued} dropped {d.stats.tx_dropped - dropped} replies {replies - base}")


def overrun(d: Ptr[NetDevice]) -> None:
    """More replies than the receive ring holds, with nobody polling."""
    base = replies
    dropped = d.stats.rx_dropped
    send(d, 200)
    send(d, 200)                                    # reclaims the first 200 and sends again
    wait_for_replies(d, base + 400, SECOND // 4)    # stops short when frames were lost
    d.enable_interrupts(d)
    threads.wait_timeout(addr(irq), 10000000)       # the overrun's interrupt, if it is pending
    d.poll(d, 64)
    print(f"overrun: sent 400 delivered {replies - base} dropped {d.stats.rx_dropped - dropped}")


def starve(d: Ptr[NetDevice]) -> None:
    """Receive with the pool empty: the frame is dropped, its buffer stays in the ring."""
    request = packet.alloc()
    hoard: Ptr[Packet] = None
    while True:
        p = packet.alloc()
        if p is None:
            break
        p.next = hoard
        hoard = p
    base = replies
    dropped = d.stats.rx_dropped
    d.transmit(d, arp_request(d, request))
    d.flush(d)
    deadline = threads.now_ns() + 2 * SECOND
    while d.stats.rx_dropped == dropped and threads.now_ns() < deadline:
        if d.poll(d, 64) == 0 and d.enable_interrupts(d):
            threads.wait_timeout(addr(irq), 100000000)
    starved = d.stats.rx_dropped - dropped
    while hoard is not None:
        p = hoard
        hoard = p.next
        packet.release(p)
    send(d, 1)
    recovered = wait_for_replies(d, replies + 1, 5 * SECOND)
    print(f"starved: dropped {starved} delivered {replies - base - 1} then recovered {recovered}")


def main() -> i32:
    packet.init(POOL)
    d = e1000.probe()
    if d is None:
        print("no e1000")
        return 2
    d.receive = receive
    d.wake = wake
    e = cast(Ptr[e1000.E1000], d.driver)
    m = d.mac
    print(f"e1000 at {e.pci.bus:02x}:{e.pci.slot:02x}.{e.pci.func} gsi {e.gsi} "
          f"mac {m[0]:02x}:{m[1]:02x}:{m[2]:02x}:{m[3]:02x}:{m[4]:02x}:{m[5]:02x} link {d.link_up}")
    send(d, 1)
    # QEMU answers at once, so the reply is in the ring; the interrupt waits for the
    # CPU to halt in this wait, and its handler must end the wait early.
    woken = threads.wait_timeout(addr(irq), 2 * SECOND)
    if not wait_for_replies(d, 1, 5 * SECOND):
        print(f"no ARP reply: rx {d.stats.rx_packets} tx {d.stats.tx_packets} interrupts {d.stats.interrupts}")
        return 1
    print(f"woken by the interrupt {woken}")
    g = gateway
    print(f"gateway {g[0]:02x}:{g[1]:02x}:{g[2]:02x}:{g[3]:02x}:{g[4]:02x}:{g[5]:02x}")
    s = addr(d.stats)
    print(f"rx {s.rx_packets} tx {s.tx_packets} dropped {s.rx_dropped} {s.tx_dropped} "
          f"interrupts {s.interrupts > 0} link {d.link_up}")
    if cmdline.has("stress"):
        rounds(d, 40)
        burst(d, 300)
        overrun(d)
        starve(d)
        d.poll(d, 64)                               # reclaim what is left
        print(f"pool {packet.available()} of {POOL}, receive ring {e1000.RX_SIZE}, other frames {others}")
    return 0
