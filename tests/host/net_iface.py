# kernel/net/iface.py, udp.py and dhcp.py on the host, over fake_nic.py's NetDevice
# (transmit prints each frame, "tx HEX"; flush prints "flush" here). Each
# command-line word is a step:
#   mac=HEX12  cfg=IP/PREFIX,GATEWAY  t=NS (the time for what follows)
#   rx=HEX     iface.receive() of one frame, outside any batch
#   q=HEX      queue a frame in the device; poll: iface.poll() delivers the queue
#   tick       iface.tick()      full=N  the device takes N more frames, then refuses
#   bind=PORT  limit=PORT,N  recv=PORT  echo=PORT (answer each datagram in place)
#   send=PORT,IP,DPORT,HEX   garp   exhaust / refill (empty the packet pool, refill it)
#   dhcp       start the DHCP client; after every rx, poll and tick it is serviced
#   show  counters  netstat  arp  deadline
#   end        close everything; print how many packets are back in the pool
from kaa.lang import *
import kernel.mm.pages as pages
import kernel.net.packet as packet
from kernel.net.packet import Packet
import kernel.net.iface as iface
import kernel.net.udp as udp
import kernel.net.dhcp as dhcp
import kernel.net.counters as counters
import kernel.net.wire.address as address
import kernel.net.wire.field as field
import fake_nic
import net_hex

POOL: Final = 128

arena: Array[u8, 1048576]
ifc: iface.Interface
client: dhcp.Client
dhcp_on: bool = False
now: u64 = 0


def on_ready(s: Ptr[udp.UdpSocket]) -> None:
    print(f"ready {s.port} {s.queued}")


def socket(port: Str) -> Ptr[udp.UdpSocket]:
    s = udp.lookup(addr(ifc), u16(net_hex.number(port)))
    if s is None:
        print(f"no socket {port}")
    return s


def bind(port: Str) -> None:
    s = udp.bind(addr(ifc), u16(net_hex.number(port)))
    if s is None:
        print(f"bind {port} failed")
        return
    s.ready = on_ready


def recv(port: Str, echo: bool) -> None:
    s = socket(port)
    if s is None:
        return
    d: udp.Datagram
    t: address.Text
    while udp.recvfrom(s, addr(d)):
        w = net_hex.line()
        w.write(f"dgram {s.port} {address.ip_str(addr(t), d.src_ip)} {d.src_port} ")
        net_hex.write_hex(addr(w), d.payload)
        print(w.text())
        if echo:
            print(f"echo {udp.send_packet(s, d.src_ip, d.src_port, d.pkt, now)}")
        else:
            udp.release(addr(d))


def send(arg: Str) -> None:
    s = socket(net_hex.split(arg, 44, 0))
    dst: u32 = 0
    address.parse_ip(net_hex.split(arg, 44, 1), addr(dst))
    port = u16(net_hex.number(net_hex.split(arg, 44, 2)))
    b = fake_nic.unhex(net_hex.split(arg, 44, 3))
    if s is not None:
        print(f"sendto {udp.sendto(s, dst, port, b, now)}")


def configure(arg: Str) -> None:
    ip: u32 = 0
    prefix: u32 = 0
    gw: u32 = 0
    address.parse_cidr(net_hex.split(arg, 44, 0), addr(ip), addr(prefix))
    address.parse_ip(net_hex.split(arg, 44, 1), addr(gw))
    iface.configure(addr(ifc), ip, prefix, gw)


def show() -> None:
    t1: address.Text
    t2: address.Text
    print(f"iface {address.ip_str(addr(t1), ifc.ip)}/{ifc.prefix} gw {address.ip_str(addr(t2), ifc.gateway)}")
    if dhcp_on:
        c = addr(client)
        print(f"dhcp {dhcp.state_name(c.state)} server {address.ip_str(addr(t1), c.server_id)} dns {address.ip_str(addr(t2), c.dns)}")
        print(f"lease {c.lease_s} t1 {c.t1_ns} t2 {c.t2_ns} expiry {c.expiry_ns} next {dhcp.next_deadline(c)} ignored {c.ignored}")


def finish() -> None:
    fake_nic.drain()
    for i in range(udp.MAX_SOCKETS):
        if udp.sockets[i].iface is not None:
            udp.close(addr(udp.sockets[i]))
    iface.clear_arp(addr(ifc))
    print(f"packets {packet.available()} of {POOL}")


def service() -> None:
    if dhcp_on:
        dhcp.service(addr(client), now)


def step(word: Str) -> None:
    global now, dhcp_on
    eq = 0
    while eq < len(word) and word[eq] != 61:            # '='
        eq += 1
    op = word[0:eq]
    arg = word[eq + 1:len(word)] if eq < len(word) else ""
    if op == "mac":
        ifc.mac = field.get48(fake_nic.unhex(arg), 0)
    elif op == "cfg":
        configure(arg)
    elif op == "t":
        now = net_hex.number(arg)
    elif op == "rx":
        p = fake_nic.frame_packet(arg)
        if p is not None:
            iface.receive(addr(ifc), p, now)
        service()
    elif op == "q":
        fake_nic.queue(arg)
    elif op == "poll":
        print(f"polled {iface.poll(addr(ifc), now, 64)}")
        service()
    elif op == "tick":
        iface.tick(addr(ifc), now)
        service()
    elif op == "full":
        fake_nic.accept_left = i64(net_hex.number(arg)) if len(arg) > 0 and arg[0] != 45 else -1
    elif op == "bind":
        bind(arg)
    elif op == "limit":
        s = socket(net_hex.split(arg, 44, 0))
        if s is not None:
            s.limit = u32(net_hex.number(net_hex.split(arg, 44, 1)))
    elif op == "recv":
        recv(arg, False)
    elif op == "echo":
        recv(arg, True)
    elif op == "send":
        send(arg)
    elif op == "garp":
        print(f"garp {iface.gratuitous_arp(addr(ifc))}")
    elif op == "exhaust":
        fake_nic.exhaust()
    elif op == "refill":
        fake_nic.refill()
    elif op == "dhcp":
        dhcp_on = dhcp.init(addr(client), addr(ifc), 1)
        dhcp.begin(addr(client), now)
    elif op == "show":
        show()
    elif op == "counters":
        counters.dump(addr(ifc.stats), True)
    elif op == "netstat":
        iface.dump_counters(addr(ifc))
    elif op == "arp":
        iface.dump_arp(addr(ifc), now)
    elif op == "deadline":
        print(f"deadline {iface.next_deadline(addr(ifc))}")
    elif op == "end":
        finish()
    else:
        print(f"unknown step {word}")


def main() -> i32:
    pages.add(cast(u64, addr(arena[0])), cast(u64, addr(arena[0])) + len(arena))
    if not packet.init(POOL):
        print("no memory for packets")
        return 1
    fake_nic.print_flush = True
    iface.init(addr(ifc), fake_nic.setup("fake0"))
    args = net_hex.script()
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or net_hex.is_space(args[i]):
            if i > start:
                step(args[start:i])
            start = i + 1
    return 0
