# Probe the NIC, ask QEMU's user network for its gateway's MAC with a hand-made ARP
# request, and wait (interrupt-driven) for the reply. With `probe_twice`, probe again
# first: the same device must come back, still working (not reset under us).
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.drivers.virtio_net as virtio_net
import kernel.net.packet as packet
import kernel.threads as threads
from kernel.net.device import NetDevice
from kernel.net.packet import Packet

irq: threads.WaitQueue
got_reply: bool = False
gateway: Array[u8, 6]


def wake(d: Ptr[NetDevice]) -> None:
    threads.wake_one(addr(irq))


def receive(d: Ptr[NetDevice], p: Ptr[Packet]) -> None:
    global got_reply
    f = p.frame()
    # ethertype ARP, opcode reply, sender IP 10.0.2.2
    if len(f) >= 42 and f[12] == 8 and f[13] == 6 and f[21] == 2 and f[28] == 10 and f[31] == 2:
        for i in range(6):
            gateway[i] = f[22 + i]
        got_reply = True
    packet.release(p)


def put(f: Bytes, at: i64, data: Bytes) -> None:
    for i in range(len(data)):
        f[at + i] = data[i]


def main() -> i32:
    packet.init(512)
    d = virtio_net.probe()
    if d is None:
        print("no NIC")
        return 1
    d.receive = receive
    d.wake = wake
    if cmdline.has("probe_twice"):
        print(f"second probe same device {virtio_net.probe() == d}")
    m = d.mac
    print(f"mac {m[0]:02x}:{m[1]:02x}:{m[2]:02x}:{m[3]:02x}:{m[4]:02x}:{m[5]:02x} link {d.link_up}")
    p = packet.alloc()
    p.len = 42
    f = p.frame()
    put(f, 0, b"\xff\xff\xff\xff\xff\xff")
    for i in range(6):
        f[6 + i] = m[i]
        f[22 + i] = m[i]
    put(f, 12, b"\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01")
    put(f, 28, b"\x0a\x00\x02\x0f")                 # we are 10.0.2.15
    put(f, 38, b"\x0a\x00\x02\x02")                 # who has 10.0.2.2?
    d.transmit(d, p)
    d.flush(d)
    if cmdline.has("idle"):
        threads.sleep_ns(100000000)     # the reply arrives while the CPU halts: an interrupt
    deadline = threads.now_ns() + 5000000000
    while not got_reply and threads.now_ns() < deadline:
        if d.poll(d, 64) == 0 and d.enable_interrupts(d):
            threads.wait_timeout(addr(irq), 100000000)
    if not got_reply:
        print("no ARP reply")
        return 1
    g = gateway
    print(f"gateway {g[0]:02x}:{g[1]:02x}:{g[2]:02x}:{g[3]:02x}:{g[4]:02x}:{g[5]:02x}")
    print(f"rx {d.stats.rx_packets} tx {d.stats.tx_packets} interrupts {d.stats.interrupts > 0}")
    return 0
