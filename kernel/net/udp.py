"""UDP sockets (RFC 768) on an Interface, without threads.

A fixed table of MAX_SOCKETS sockets, each bound to one port of one interface. A
datagram for a bound port is queued on its socket as the very Packet it arrived in:
the frame trimmed to the payload, the sender's address and port kept in pkt.cookie.
recvfrom() hands it over; the caller reads the payload, then gives the Packet back
with release(), or answers with send_packet() in the same buffer: no copy either way.
A socket queues at most `limit` datagrams; more are dropped and counted (sock.drops,
udp_queue_full), so a slow reader cannot drain the packet pool.

Blocking belongs to a layer above: `ready`, when set, is called from the network
thread each time a datagram is queued, so a wrapper can wake a thread sleeping in its
recv; `context` is that wrapper's own pointer (its wait queue, say). Every function
here runs on the thread that runs the interface: nothing takes a lock.

No ICMP port-unreachable is sent for a datagram nobody listens to: it is counted
(udp_no_socket) and dropped, which RFC 1122 section 4.1.3.1 allows ("SHOULD").
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.packet as packet
from kernel.net.packet import Packet
import kernel.net.iface as iface_mod
from kernel.net.iface import Interface, Tx
import kernel.net.wire.field as field
from kernel.net.wire.field import Error
import kernel.net.wire.ipv4 as ipv4
import kernel.net.wire.udp as wire

MAX_SOCKETS: Final = 32
DEFAULT_LIMIT: Final = 256               # a burst of a poll budget or more waits here, not in drops
EPHEMERAL_FIRST: Final = 49152         # the dynamic range, RFC 6335 section 6
HEADROOM: Final = 42                   # Ethernet + IPv4 + UDP headers before a payload


@struct
class UdpSocket:
    iface: Ptr[Interface]              # None: the slot is free
    port: u16
    head: Ptr[Packet]                  # received datagrams, oldest first
    tail: Ptr[Packet]
    queued: u32
    limit: u32                         # most datagrams queued at once
    drops: u64                         # datagrams refused at the limit
    ready: Fn[[Ptr[UdpSocket]], None]  # called when a datagram is queued (or None)
    context: Ptr[None]                 # for whoever set ready


@struct
class Datagram:
    pkt: Ptr[Packet]                   # the caller's until release() or send_packet()
    payload: Bytes                     # = pkt.frame()
    src_ip: u32
    src_port: u16


sockets: Array[UdpSocket, 32]
next_ephemeral: u32 = EPHEMERAL_FIRST


def bind(ifc: Ptr[Interface], port: u16) -> Ptr[UdpSocket]:
    """A socket on ifc's port (0: a free port from the dynamic range); None when the
    port is taken or the table is full. Attaches UDP input to ifc."""
    ifc.udp_input = input
    if port == 0:
        port = ephemeral(ifc)
        if port == 0:
            return None
    elif lookup(ifc, port) is not None:
        return None
    for i in range(MAX_SOCKETS):
        s = addr(sockets[i])
        if s.iface is None:
            s[0] = UdpSocket(iface=ifc, port=port, limit=DEFAULT_LIMIT)
            return s
    return None


def ephemeral(ifc: Ptr[Interface]) -> u16:
    global next_ephemeral
    for i in range(65536 - EPHEMERAL_FIRST):
        port = u16(next_ephemeral)
        next_ephemeral = next_ephemeral + 1 if next_ephemeral < 65535 else EPHEMERAL_FIRST
        if lookup(ifc, port) is None:
            return port
    return 0


def close(sock: Ptr[UdpSocket]) -> None:
    """Unbind and give back every datagram still queued."""
    d: Datagram
    while recvfrom(sock, addr(d)):
        release(addr(d))
    sock[0] = UdpSocket()


def lookup(ifc: Ptr[Interface], port: u16) -> Ptr[UdpSocket]:
    for i in range(MAX_SOCKETS):
        s = addr(sockets[i])
        if s.iface == ifc and s.port == port:
            return s
    return None


def input(ifc: Ptr[Interface], pkt: Ptr[Packet], ip: Ptr[ipv4.Repr], now_ns: u64) -> None:
    """The interface's UDP handler: check the datagram, queue it on its socket."""
    st = addr(ifc.stats)
    r: wire.Repr
    e = wire.parse_checked(pkt.frame(), ip.src, ip.dst, pkt.offload & packet.CHECKSUM_VERIFIED == 0, addr(r))
    if e == Error.CHECKSUM:
        iface_mod.drop(pkt, addr(st.udp_bad_checksum))
        return
    if e != Error.OK:
        iface_mod.drop(pkt, addr(st.udp_bad_length))
        return
    sock = lookup(ifc, r.dst_port)
    if sock is None:
        iface_mod.drop(pkt, addr(st.udp_no_socket))
        return
    if sock.queued >= sock.limit:
        sock.drops += 1
        iface_mod.drop(pkt, addr(st.udp_queue_full))
        return
    # Keep only the payload in the frame; who sent it goes in the cookie.
    pkt.start += wire.HEADER_LEN
    pkt.len = u32(len(r.payload))
    pkt.cookie = (u64(ip.src) << 16) | u64(r.src_port)
    enqueue(sock, pkt)
    st.udp_rx += 1
    if sock.ready is not None:
        sock.ready(sock)


def enqueue(sock: Ptr[UdpSocket], pkt: Ptr[Packet]) -> None:
    pkt.next = None
    if sock.tail is None:
        sock.head = pkt
    else:
        sock.tail.next = pkt
    sock.tail = pkt
    sock.queued += 1


def recvfrom(sock: Ptr[UdpSocket], out: Ptr[Datagram]) -> bool:
    """The oldest queued datagram into out (False when there is none)."""
    p = sock.head
    if p is None:
        return False
    sock.head = p.next
    if sock.head is None:
        sock.tail = None
    p.next = None
    sock.queued -= 1
    out.pkt = p
    out.payload = p.frame()
    out.src_ip = u32(p.cookie >> 16)
    out.src_port = u16(p.cookie)
    return True


def release(d: Ptr[Datagram]) -> None:
    packet.release(d.pkt)
    d.pkt = None
    d.payload = Bytes(ptr=None, len=0)


def max_payload(sock: Ptr[UdpSocket]) -> u32:
    return sock.iface.mtu - ipv4.HEADER_LEN - wire.HEADER_LEN


def sendto(sock: Ptr[UdpSocket], dst_ip: u32, dst_port: u16, data: Bytes, now_ns: u64) -> Tx:
    """Send a copy of data from sock's port to dst_ip:dst_port. Larger than
    max_payload() is refused (nothing is fragmented)."""
    st = addr(sock.iface.stats)
    if len(data) > max_payload(sock):
        st.tx_too_big += 1
        return Tx.TOO_BIG
    p = packet.alloc()
    if p is None:
        st.tx_no_buffer += 1
        return Tx.NO_BUFFER
    p.len = u32(len(data))
    field.copy(p.frame(), data)
    return send_packet(sock, dst_ip, dst_port, p, now_ns)


def send_packet(sock: Ptr[UdpSocket], dst_ip: u32, dst_port: u16, pkt: Ptr[Packet], now_ns: u64) -> Tx:
    """Send pkt's frame as the payload, without a copy: a received Datagram's pkt
    (after editing its payload in place) or a packet.alloc()ed one. The Packet needs
    HEADROOM bytes before its frame and is given away."""
    ifc = sock.iface
    if pkt.len > max_payload(sock):
        iface_mod.drop(pkt, addr(ifc.stats.tx_too_big))
        return Tx.TOO_BIG
    b = iface_mod.push(pkt, wire.HEADER_LEN)
    r = wire.Repr(src_port=sock.port, dst_port=dst_port, payload=b[wire.HEADER_LEN:len(b)])
    if ifc.dev.tx_checksum:
        wire.emit_partial(addr(r), b, ifc.ip, dst_ip)
        packet.checksum_partial(pkt, wire.CHECKSUM)
    else:
        wire.emit(addr(r), b, ifc.ip, dst_ip)
    ifc.stats.udp_tx += 1
    return iface_mod.output_ipv4(ifc, pkt, dst_ip, ipv4.PROTO_UDP, now_ns)
