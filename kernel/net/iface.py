"""An IPv4 interface over one NetDevice: ARP, IPv4 input and output, ICMP echo.

Receive: receive(iface, pkt, now_ns) takes a frame and the Packet's ownership, checks
it layer by layer and either delivers it or drops it, counting the reason in
iface.stats. ARP is answered here, ICMP echo too; UDP and TCP go to the handler
attached for the protocol (udp.bind() attaches kernel/net/udp.py). Nothing is copied:
headers are stripped by moving pkt.start, and ARP and echo replies are written over
the request in its own buffer.

Transmit: output_ipv4(iface, pkt, dst, protocol, now_ns) takes a Packet whose frame is
the IPv4 payload, writes the IPv4 and Ethernet headers into the headroom before it and
sends it to the next hop: the destination when on-link, else the gateway; broadcasts
need no ARP. Frames go to dev.transmit() as they are made, but dev.flush() (one
device notification) waits for the end of a batch: poll() is one batch around a
device poll (so a burst of echo replies costs one flush), begin_batch()/end_batch()
make one around anything else, and outside a batch each frame is flushed at once.
A Packet may carry an external payload (packet.py; TCP's referenced data): lengths
count it, a device that gathers (dev.gather) gets it in place (the device counts
tx_gathered), any other gets it copied into the buffer first (tx_linearized), as does
a frame short enough to need Ethernet padding.

ARP (RFC 826) keeps ARP_ENTRIES next hops; a resolved entry is trusted ARP_TTL_NS and
then asked for again. While a next hop is unresolved, up to ARP_QUEUE packets wait on
its entry and leave when the reply comes, so the first packets to a new peer (the
answer to its first request, say) are not lost; more are dropped (arp_queue_full).
The request is repeated every ARP_RETRY_NS, ARP_TRIES times in all, then the waiting
packets are dropped (arp_unresolved). Time is always the caller's now_ns.

Not handled, dropped and counted: IPv4 fragments (no reassembly, and nothing larger
than the MTU is ever sent), multicast; IPv4 options are skipped. One thread runs an
interface: nothing here takes a lock.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.packet as packet
from kernel.net.packet import Packet
from kernel.net.device import NetDevice
import kernel.net.counters as counters
from kernel.net.counters import Counters
import kernel.net.wire.field as field
from kernel.net.wire.field import Error
import kernel.net.wire.address as address
import kernel.net.wire.ethernet as ethernet
import kernel.net.wire.arp as arp
import kernel.net.wire.ipv4 as ipv4
import kernel.net.wire.icmp as icmp

ARP_ENTRIES: Final = 16
ARP_QUEUE: Final = 4
ARP_TTL_NS: Final = 60_000_000_000
ARP_RETRY_NS: Final = 1_000_000_000
ARP_TRIES: Final = 3
MAX_INTERFACES: Final = 4
DEFAULT_MTU: Final = 1500
LINK_HEADROOM: Final = 34              # Ethernet + IPv4 headers: output_ipv4 prepends these


class ArpState(IntEnum):
    FREE = 0
    PENDING = 1                        # asked; packets may be waiting in queue
    RESOLVED = 2


class Tx(IntEnum):
    """What became of a packet given to an output function (which owns it either way)."""
    SENT = 0                           # handed to the device
    PENDING = 1                        # waiting for ARP to resolve its next hop
    NO_ROUTE = 2                       # no address yet, or off-link with no gateway
    NO_BUFFER = 3                      # the packet pool was empty
    DROPPED = 4                        # the device ring or the ARP queue was full
    TOO_BIG = 5                        # larger than the MTU


@struct
class ArpEntry:
    state: ArpState
    ip: u32
    mac: u64                           # RESOLVED only
    deadline_ns: u64                   # RESOLVED: when it expires; PENDING: next request
    tries: u32                         # requests sent while PENDING
    queue: Ptr[Packet]                 # IPv4 packets for this hop, linked through next
    queued: u32


@struct
class Interface:
    dev: Ptr[NetDevice]
    mac: u64
    ip: u32                            # 0 until configured (static, or DHCP bound)
    prefix: u32
    netmask: u32
    gateway: u32                       # 0: no default route
    mtu: u32
    ident: u16                         # IPv4 identification of the next datagram
    batch: u32                         # begin_batch() depth; flush when it drops to 0
    unflushed: bool                    # frames transmitted since the last flush
    now_ns: u64                        # the current batch's time, for device_receive
    # Protocol handlers: they take the Packet (frame = the IPv4 payload, trimmed to the
    # datagram's length) and the parsed IPv4 header; None: counted as unknown.
    udp_input: Fn[[Ptr[Interface], Ptr[Packet], Ptr[ipv4.Repr], u64], None]
    tcp_input: Fn[[Ptr[Interface], Ptr[Packet], Ptr[ipv4.Repr], u64], None]
    arp: Array[ArpEntry, 16]
    stats: Counters


attached: Array[Ptr[Interface], 4]    # which interface each device's frames go to


def init(iface: Ptr[Interface], dev: Ptr[NetDevice]) -> bool:
    """Set iface up over dev (no address yet) and route dev's received frames to it;
    False when MAX_INTERFACES are attached already."""
    iface[0] = Interface()
    iface.dev = dev
    iface.mac = address.mac_from(dev.mac[0:6])
    iface.mtu = dev.mtu if dev.mtu != 0 else DEFAULT_MTU
    for i in range(MAX_INTERFACES):
        if attached[i] is None or attached[i] == iface:
            attached[i] = iface
            dev.receive = device_receive
            return True
    return False


def configure(iface: Ptr[Interface], ip: u32, prefix: u32, gateway: u32) -> None:
    iface.ip = ip
    iface.prefix = prefix
    iface.netmask = address.netmask(prefix)
    iface.gateway = gateway


def unconfigure(iface: Ptr[Interface]) -> None:
    """Drop the address (a lost lease): what waits for ARP goes too."""
    configure(iface, 0, 0, 0)
    clear_arp(iface)


# Packet framing helpers.

def strip(pkt: Ptr[Packet], n: u32) -> None:
    pkt.start += n
    pkt.len -= n


def push(pkt: Ptr[Packet], n: u32) -> Bytes:
    """Grow the frame by n bytes at the front (into the headroom); the new frame."""
    if pkt.start < n:
        panic("iface.push: no headroom left in the packet")
    pkt.start -= n
    pkt.len += n
    return pkt.frame()


def drop(pkt: Ptr[Packet], counter: Ptr[u64]) -> None:
    counter[0] += 1
    packet.release(pkt)


# Receive.

def receive(iface: Ptr[Interface], pkt: Ptr[Packet], now_ns: u64) -> None:
    """One received frame at pkt.frame(); the Packet is the interface's from here on."""
    s = addr(iface.stats)
    s.rx_frames += 1
    eth: ethernet.Repr
    if ethernet.parse(pkt.frame(), addr(eth)) != Error.OK:
        drop(pkt, addr(s.rx_short))
    elif eth.dst != iface.mac and eth.dst != address.BROADCAST_MAC:
        drop(pkt, addr(s.rx_not_for_us))
    elif eth.ethertype == ethernet.TYPE_ARP:
        strip(pkt, ethernet.HEADER_LEN)
        arp_input(iface, pkt, now_ns)
    elif eth.ethertype == ethernet.TYPE_IPV4:
        strip(pkt, ethernet.HEADER_LEN)
        ipv4_input(iface, pkt, now_ns)
    else:
        drop(pkt, addr(s.rx_bad_ethertype))


def device_receive(dev: Ptr[NetDevice], pkt: Ptr[Packet]) -> None:
    """NetDevice.receive for attached devices: called from dev.poll() inside poll()."""
    for i in range(MAX_INTERFACES):
        ifc = attached[i]
        if ifc is not None and ifc.dev == dev:
            receive(ifc, pkt, ifc.now_ns)
            return
    packet.release(pkt)


def arp_input(iface: Ptr[Interface], pkt: Ptr[Packet], now_ns: u64) -> None:
    """RFC 826, "Packet Reception": update the sender's entry if there is one; if we are
    the target, add it if there was not, and answer a request."""
    s = addr(iface.stats)
    r: arp.Repr
    if arp.parse(pkt.frame(), addr(r)) != Error.OK:
        drop(pkt, addr(s.arp_bad))
        return
    s.arp_rx += 1
    # A sender of 0.0.0.0 is a probe (RFC 5227): nothing to learn; ours is a conflict.
    learnable = r.sender_ip != 0 and r.sender_ip != iface.ip
    known = learnable and arp_update(iface, r.sender_ip, r.sender_mac, now_ns)
    if iface.ip == 0 or r.target_ip != iface.ip:
        drop(pkt, addr(s.arp_not_for_us))
        return
    if learnable and not known:
        arp_insert(iface, r.sender_ip, r.sender_mac, now_ns)
    if r.op != arp.OP_REQUEST:
        packet.release(pkt)
        return
    reply = arp.Repr(op=arp.OP_REPLY, sender_mac=iface.mac, sender_ip=iface.ip,
                     target_mac=r.sender_mac, target_ip=r.sender_ip)
    pkt.len = arp.LEN
    arp.emit(addr(reply), pkt.frame())
    s.arp_replies_sent += 1
    send_ethernet(iface, pkt, r.sender_mac, ethernet.TYPE_ARP)


def ipv4_input(iface: Ptr[Interface], pkt: Ptr[Packet], now_ns: u64) -> None:
    s = addr(iface.stats)
    r: ipv4.Repr
    e = ipv4.parse(pkt.frame(), addr(r))
    if e == Error.TRUNCATED:
        drop(pkt, addr(s.ip_short))
    elif e == Error.CHECKSUM:
        drop(pkt, addr(s.ip_bad_checksum))
    elif e != Error.OK:
        drop(pkt, addr(s.ip_bad_header))
    elif r.is_fragment():
        drop(pkt, addr(s.ip_fragments))
    elif not accepts(iface, r.dst):
        drop(pkt, addr(s.ip_not_for_us))
    else:
        s.ip_rx += 1
        pkt.start += r.header_len
        pkt.len = r.payload_len        # Ethernet padding goes here
        deliver(iface, pkt, addr(r), now_ns)


def deliver(iface: Ptr[Interface], pkt: Ptr[Packet], ip: Ptr[ipv4.Repr], now_ns: u64) -> None:
    if ip.protocol == ipv4.PROTO_ICMP:
        icmp_input(iface, pkt, ip, now_ns)
    elif ip.protocol == ipv4.PROTO_UDP and iface.udp_input is not None:
        iface.udp_input(iface, pkt, ip, now_ns)
    elif ip.protocol == ipv4.PROTO_TCP and iface.tcp_input is not None:
        iface.tcp_input(iface, pkt, ip, now_ns)
    else:
        drop(pkt, addr(iface.stats.ip_unknown_protocol))


def accepts(iface: Ptr[Interface], dst: u32) -> bool:
    """Is a datagram to dst ours? Our address and the broadcasts (RFC 1122 section
    3.3.6); before an address is bound, anything but multicast, because a DHCP server
    may send its offer to the address it offers (RFC 2131 section 4.1)."""
    if address.is_multicast(dst):
        return False
    if dst == address.BROADCAST or iface.ip == 0 or dst == iface.ip:
        return True
    return iface.prefix < 31 and dst == iface.ip | ~iface.netmask


def icmp_input(iface: Ptr[Interface], pkt: Ptr[Packet], ip: Ptr[ipv4.Repr], now_ns: u64) -> None:
    """Answer echo requests (RFC 792; RFC 1122 section 3.2.2.6) with the same ident, seq
    and data, written over the request. Echo to a broadcast address is ignored."""
    s = addr(iface.stats)
    r: icmp.Repr
    e = icmp.parse(pkt.frame(), addr(r))
    if e == Error.TRUNCATED or e == Error.CHECKSUM:
        drop(pkt, addr(s.icmp_bad))
    elif e != Error.OK or r.msg_type != icmp.TYPE_ECHO_REQUEST:
        drop(pkt, addr(s.icmp_other))
    elif ip.dst != iface.ip or not unicast_source(ip.src):
        drop(pkt, addr(s.icmp_ignored))
    else:
        r.msg_type = icmp.TYPE_ECHO_REPLY
        icmp.emit(addr(r), pkt.frame())
        s.icmp_echo_replies += 1
        output_ipv4(iface, pkt, ip.src, ipv4.PROTO_ICMP, now_ns)


def unicast_source(ip: u32) -> bool:
    return ip != 0 and ip != address.BROADCAST and not address.is_multicast(ip)


# Transmit.

def output_ipv4(iface: Ptr[Interface], pkt: Ptr[Packet], dst: u32, protocol: u8, now_ns: u64) -> Tx:
    """Send pkt's frame as the payload of an IPv4 datagram to dst. The Packet needs
    LINK_HEADROOM bytes before its frame and is the interface's from here on."""
    s = addr(iface.stats)
    if pkt.wire_len() + ipv4.HEADER_LEN > iface.mtu:
        drop(pkt, addr(s.tx_too_big))
        return Tx.TOO_BIG
    hop = next_hop(iface, dst)
    if hop == 0:
        drop(pkt, addr(s.ip_no_route))
        return Tx.NO_ROUTE
    h = ipv4.Repr(src=iface.ip, dst=dst, protocol=protocol, ttl=ipv4.DEFAULT_TTL,
                  ident=iface.ident, payload_len=pkt.wire_len())
    iface.ident += 1
    ipv4.emit(addr(h), push(pkt, ipv4.HEADER_LEN))
    s.ip_tx += 1
    if hop == address.BROADCAST:
        return send_ethernet(iface, pkt, address.BROADCAST_MAC, ethernet.TYPE_IPV4)
    return resolve_and_send(iface, pkt, hop, now_ns)


def next_hop(iface: Ptr[Interface], dst: u32) -> u32:
    """Where a datagram to dst goes on the link: dst itself when on-link, the gateway
    otherwise, BROADCAST for broadcasts, 0 when there is no route."""
    if dst == address.BROADCAST:
        return address.BROADCAST
    if iface.ip == 0:
        return 0
    if iface.prefix < 31 and dst == iface.ip | ~iface.netmask:
        return address.BROADCAST
    if (dst ^ iface.ip) & iface.netmask == 0:
        return dst
    return iface.gateway


def send_ethernet(iface: Ptr[Interface], pkt: Ptr[Packet], dst: u64, ethertype: u16) -> Tx:
    """Prepend the Ethernet header, pad to the minimum frame, transmit."""
    h = ethernet.Repr(dst=dst, src=iface.mac, ethertype=ethertype)
    ethernet.emit(addr(h), push(pkt, ethernet.HEADER_LEN))
    n = ethernet.pad_len(pkt.wire_len())
    if n > pkt.wire_len():
        linearize(iface, pkt)
        field.zero(pkt.room()[pkt.len:n])
        pkt.len = u32(n)
    return transmit(iface, pkt)


def linearize(iface: Ptr[Interface], pkt: Ptr[Packet]) -> None:
    if pkt.ext_len > 0:
        packet.linearize(pkt)
        iface.stats.tx_linearized += 1


def transmit(iface: Ptr[Interface], pkt: Ptr[Packet]) -> Tx:
    if not iface.dev.gather:
        linearize(iface, pkt)
    if not iface.dev.transmit(iface.dev, pkt):
        iface.stats.tx_dropped += 1
        return Tx.DROPPED
    iface.stats.tx_frames += 1
    iface.unflushed = True
    if iface.batch == 0:
        flush(iface)
    return Tx.SENT


def flush(iface: Ptr[Interface]) -> None:
    if iface.unflushed:
        iface.unflushed = False
        iface.dev.flush(iface.dev)


def begin_batch(iface: Ptr[Interface], now_ns: u64) -> None:
    """Hold dev.flush() until the matching end_batch(); batches nest."""
    iface.batch += 1
    iface.now_ns = now_ns


def end_batch(iface: Ptr[Interface]) -> None:
    iface.batch -= 1
    if iface.batch == 0:
        flush(iface)


def poll(iface: Ptr[Interface], now_ns: u64, budget: i32) -> i32:
    """One round of the network thread: up to budget received frames, the ARP timers,
    then one flush for every frame sent meanwhile. Returns the frames received."""
    begin_batch(iface, now_ns)
    n = iface.dev.poll(iface.dev, budget)
    tick(iface, now_ns)
    end_batch(iface)
    return n


def gratuitous_arp(iface: Ptr[Interface]) -> Tx:
    """Announce our address (RFC 5227 section 3: a request for our own address), so
    neighbours with an old entry for it update it."""
    return send_arp_request(iface, iface.ip)


def send_arp_request(iface: Ptr[Interface], target: u32) -> Tx:
    pkt = packet.alloc()
    if pkt is None:
        iface.stats.tx_no_buffer += 1
        return Tx.NO_BUFFER
    r = arp.Repr(op=arp.OP_REQUEST, sender_mac=iface.mac, sender_ip=iface.ip,
                 target_mac=0, target_ip=target)
    pkt.len = arp.LEN
    arp.emit(addr(r), pkt.frame())
    iface.stats.arp_requests_sent += 1
    return send_ethernet(iface, pkt, address.BROADCAST_MAC, ethernet.TYPE_ARP)


# The ARP cache.

def arp_find(iface: Ptr[Interface], ip: u32) -> Ptr[ArpEntry]:
    for i in range(ARP_ENTRIES):
        e = addr(iface.arp[i])
        if e.state != ArpState.FREE and e.ip == ip:
            return e
    return None


def arp_lookup(iface: Ptr[Interface], ip: u32, now_ns: u64) -> u64:
    """ip's MAC if resolved and fresh, else 0."""
    e = arp_find(iface, ip)
    if e is None or e.state != ArpState.RESOLVED or now_ns >= e.deadline_ns:
        return 0
    return e.mac


def resolve_and_send(iface: Ptr[Interface], pkt: Ptr[Packet], hop: u32, now_ns: u64) -> Tx:
    mac = arp_lookup(iface, hop, now_ns)
    if mac != 0:
        return send_ethernet(iface, pkt, mac, ethernet.TYPE_IPV4)
    e = arp_find(iface, hop)
    if e is None or e.state != ArpState.PENDING:
        # Never asked, or the answer is too old: ask now, hold the packet meanwhile.
        if e is None:
            e = arp_slot(iface)
        e[0] = ArpEntry(state=ArpState.PENDING, ip=hop, tries=1, deadline_ns=now_ns + ARP_RETRY_NS)
        send_arp_request(iface, hop)
    if e.queued >= ARP_QUEUE:
        drop(pkt, addr(iface.stats.arp_queue_full))
        return Tx.DROPPED
    pkt.next = None
    if e.queue is None:
        e.queue = pkt
    else:
        last = e.queue
        while last.next is not None:
            last = last.next
        last.next = pkt
    e.queued += 1
    return Tx.PENDING


def arp_slot(iface: Ptr[Interface]) -> Ptr[ArpEntry]:
    """A free entry; when there is none, the resolved entry nearest expiry is reused,
    or (all asking) the pending one asked first, its waiting packets dropped."""
    victim: Ptr[ArpEntry] = None
    for i in range(ARP_ENTRIES):
        e = addr(iface.arp[i])
        if e.state == ArpState.FREE:
            return e
        if victim is None or evict_before(e, victim):
            victim = e
    arp_forget(iface, victim)
    return victim


def evict_before(a: Ptr[ArpEntry], b: Ptr[ArpEntry]) -> bool:
    if a.state != b.state:
        return a.state == ArpState.RESOLVED
    return a.deadline_ns < b.deadline_ns


def arp_forget(iface: Ptr[Interface], e: Ptr[ArpEntry]) -> None:
    while e.queue is not None:
        p = e.queue
        e.queue = p.next
        drop(p, addr(iface.stats.arp_unresolved))
    e[0] = ArpEntry()


def arp_update(iface: Ptr[Interface], ip: u32, mac: u64, now_ns: u64) -> bool:
    """RFC 826's merge: refresh ip's entry if there is one (and send what waits on it)."""
    e = arp_find(iface, ip)
    if e is None:
        return False
    arp_resolved(iface, e, mac, now_ns)
    return True


def arp_insert(iface: Ptr[Interface], ip: u32, mac: u64, now_ns: u64) -> None:
    e = arp_slot(iface)
    e.ip = ip
    arp_resolved(iface, e, mac, now_ns)


def arp_resolved(iface: Ptr[Interface], e: Ptr[ArpEntry], mac: u64, now_ns: u64) -> None:
    e.state = ArpState.RESOLVED
    e.mac = mac
    e.deadline_ns = now_ns + ARP_TTL_NS
    e.tries = 0
    while e.queue is not None:
        p = e.queue
        e.queue = p.next
        p.next = None
        send_ethernet(iface, p, mac, ethernet.TYPE_IPV4)
    e.queued = 0


def tick(iface: Ptr[Interface], now_ns: u64) -> None:
    """ARP timers: repeat requests, give up on silent hops, forget expired entries."""
    for i in range(ARP_ENTRIES):
        e = addr(iface.arp[i])
        if e.state == ArpState.FREE or now_ns < e.deadline_ns:
            continue
        if e.state == ArpState.RESOLVED or e.tries >= ARP_TRIES:
            arp_forget(iface, e)
        else:
            e.tries += 1
            e.deadline_ns = now_ns + ARP_RETRY_NS
            send_arp_request(iface, e.ip)


def next_deadline(iface: Ptr[Interface]) -> u64:
    """When tick() next has something to do (an ARP request to repeat), 0 for never:
    a network thread may sleep until then. Expired entries need no wake-up: they are
    checked when used."""
    t: u64 = 0
    for i in range(ARP_ENTRIES):
        e = addr(iface.arp[i])
        if e.state == ArpState.PENDING and (t == 0 or e.deadline_ns < t):
            t = e.deadline_ns
    return t


def clear_arp(iface: Ptr[Interface]) -> None:
    for i in range(ARP_ENTRIES):
        arp_forget(iface, addr(iface.arp[i]))


# Reports.

def dump_counters(iface: Ptr[Interface]) -> None:
    """A netstat-like table: the interface, then every counter."""
    t1: address.Text
    t2: address.Text
    print(f"{iface.dev.name}: mac {address.mac_str(addr(t1), iface.mac)} mtu {iface.mtu}")
    print(f"  inet {address.ip_str(addr(t1), iface.ip)}/{iface.prefix} gateway {address.ip_str(addr(t2), iface.gateway)}")
    counters.dump(addr(iface.stats), False)


def dump_arp(iface: Ptr[Interface], now_ns: u64) -> None:
    t1: address.Text
    t2: address.Text
    for i in range(ARP_ENTRIES):
        e = addr(iface.arp[i])
        if e.state == ArpState.RESOLVED:
            ttl = (e.deadline_ns - now_ns) // 1_000_000_000 if e.deadline_ns > now_ns else 0
            print(f"  {address.ip_str(addr(t1), e.ip):<16} {address.mac_str(addr(t2), e.mac)}  {ttl}s")
        elif e.state == ArpState.PENDING:
            print(f"  {address.ip_str(addr(t1), e.ip):<16} (asking, {e.queued} waiting)")
