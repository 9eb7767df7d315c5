"""Reference frame builders for the network tests, written in CPython from the RFCs, and
checks of them against published examples.

tests/test_net_wire.py, test_net_iface.py and test_net_dhcp.py build the bytes they
feed the Kaa harnesses with these functions and decode what comes back with them, so
the Kaa code is always compared with an independent implementation. Addresses are
text ("10.0.2.15", "52:54:00:12:34:56") to keep tests readable.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass, field

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
PROTO_ICMP = 1
PROTO_UDP = 17
BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"
DHCP_COOKIE = b"\x63\x82\x53\x63"


def mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def ip(text: str) -> bytes:
    return socket.inet_aton(text)


def csum(data: bytes) -> int:
    """RFC 1071: the one's complement of the one's-complement sum of 16-bit words."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst: str, src: str, ethertype: int, payload: bytes, pad: bool = True) -> bytes:
    frame = mac(dst) + mac(src) + struct.pack("!H", ethertype) + payload
    return frame + b"\0" * (60 - len(frame)) if pad and len(frame) < 60 else frame


def arp(op: int, sha: str, spa: str, tha: str, tpa: str) -> bytes:
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + mac(sha) + ip(spa) + mac(tha) + ip(tpa)


def ipv4(src: str, dst: str, proto: int, payload: bytes, *, ttl: int = 64, ident: int = 0,
         flags: int = 0, frag: int = 0, tos: int = 0, options: bytes = b"", check: int | None = None) -> bytes:
    ihl = 5 + len(options) // 4
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + len(payload), ident,
                         (flags << 13) | (frag // 8), ttl, proto, 0, ip(src), ip(dst)) + options
    value = csum(header) if check is None else check
    return header[:10] + struct.pack("!H", value) + header[12:] + payload


def icmp_echo(msg_type: int, ident: int, seq: int, data: bytes, check: int | None = None) -> bytes:
    message = struct.pack("!BBHHH", msg_type, 0, 0, ident, seq) + data
    value = csum(message) if check is None else check
    return message[:2] + struct.pack("!H", value) + message[4:]


def udp_checksum(src: str, dst: str, datagram: bytes) -> int:
    pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, PROTO_UDP, len(datagram))
    value = csum(pseudo + datagram)
    return value if value != 0 else 0xFFFF


def udp(src: str, dst: str, sport: int, dport: int, payload: bytes, check: int | None = None) -> bytes:
    """check=None computes the checksum; an int is written as it is (0: none)."""
    datagram = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    value = udp_checksum(src, dst, datagram) if check is None else check
    return datagram[:6] + struct.pack("!H", value) + datagram[8:]


def udp_frame(dst_mac: str, src_mac: str, src: str, dst: str, sport: int, dport: int, payload: bytes,
              ident: int = 0) -> bytes:
    return eth(dst_mac, src_mac, ETH_IPV4,
               ipv4(src, dst, PROTO_UDP, udp(src, dst, sport, dport, payload), ident=ident))


@dataclass
class Dhcp:
    """A DHCP message's fields and options (code -> value bytes, in insertion order)."""
    op: int = 2
    xid: int = 0
    secs: int = 0
    flags: int = 0
    ciaddr: str = "0.0.0.0"
    yiaddr: str = "0.0.0.0"
    siaddr: str = "0.0.0.0"
    giaddr: str = "0.0.0.0"
    chaddr: str = "00:00:00:00:00:00"
    options: dict[int, bytes] = field(default_factory=dict)

    def build(self, size: int = 548) -> bytes:
        fixed = struct.pack("!BBBBIHH4s4s4s4s", self.op, 1, 6, 0, self.xid, self.secs, self.flags,
                            ip(self.ciaddr), ip(self.yiaddr), ip(self.siaddr), ip(self.giaddr))
        fixed += mac(self.chaddr) + b"\0" * 10 + b"\0" * 192
        opts = b"".join(bytes([code, len(v)]) + v for code, v in self.options.items()) + b"\xff"
        message = fixed + DHCP_COOKIE + opts
        return message + b"\0" * (size - len(message)) if len(message) < size else message

    @staticmethod
    def parse(b: bytes) -> "Dhcp":
        assert b[236:240] == DHCP_COOKIE
        op, _, _, _, xid, secs, flags = struct.unpack("!BBBBIHH", b[:12])
        addrs = [socket.inet_ntoa(b[i:i + 4]) for i in (12, 16, 20, 24)]
        d = Dhcp(op, xid, secs, flags, *addrs, chaddr=":".join(f"{x:02x}" for x in b[28:34]))
        i = 240
        while i < len(b) and b[i] != 255:
            if b[i] == 0:
                i += 1
                continue
            d.options[b[i]] = b[i + 2:i + 2 + b[i + 1]]
            i += 2 + b[i + 1]
        return d


def slirp_reply(msg_type: int, xid: int, chaddr: str, yiaddr: str = "10.0.2.15", lease: int = 86400,
                extra: dict[int, bytes] | None = None) -> Dhcp:
    """A reply the way QEMU's slirp writes one: type, server id, mask, router, DNS, lease."""
    opts = {53: bytes([msg_type]), 54: ip("10.0.2.2"), 1: ip("255.255.255.0"), 3: ip("10.0.2.2"),
            6: ip("10.0.2.3"), 51: struct.pack("!I", lease)}
    if msg_type == 6:
        opts = {53: bytes([6]), 56: b"requested address not available"}
    opts.update(extra or {})
    return Dhcp(op=2, xid=xid, yiaddr=yiaddr if msg_type != 6 else "0.0.0.0", siaddr="10.0.2.2",
                chaddr=chaddr, options=opts)


@dataclass
class Frame:
    """A frame the stack sent, decoded layer by layer (fields left empty when absent)."""
    raw: bytes
    dst: str = ""
    src: str = ""
    ethertype: int = 0
    arp_op: int = 0
    arp: tuple[str, str, str, str] = ("", "", "", "")
    ip_src: str = ""
    ip_dst: str = ""
    proto: int = 0
    ip_header: bytes = b""
    l4: bytes = b""
    sport: int = 0
    dport: int = 0
    payload: bytes = b""


def decode(raw: bytes) -> Frame:
    f = Frame(raw, dst=":".join(f"{x:02x}" for x in raw[:6]), src=":".join(f"{x:02x}" for x in raw[6:12]),
              ethertype=struct.unpack("!H", raw[12:14])[0])
    body = raw[14:]
    if f.ethertype == ETH_ARP:
        f.arp_op = struct.unpack("!H", body[6:8])[0]
        f.arp = (body[8:14].hex(":"), socket.inet_ntoa(body[14:18]), body[18:24].hex(":"),
                 socket.inet_ntoa(body[24:28]))
    elif f.ethertype == ETH_IPV4:
        ihl = (body[0] & 15) * 4
        total = struct.unpack("!H", body[2:4])[0]
        assert csum(body[:ihl]) == 0, "IPv4 header checksum"
        f.ip_header, f.l4 = body[:ihl], body[ihl:total]
        f.proto = body[9]
        f.ip_src, f.ip_dst = socket.inet_ntoa(body[12:16]), socket.inet_ntoa(body[16:20])
        if f.proto == PROTO_UDP:
            f.sport, f.dport, length, check = struct.unpack("!HHHH", f.l4[:8])
            pseudo = body[12:20] + struct.pack("!BBH", 0, PROTO_UDP, length)
            assert check == 0 or csum(pseudo + f.l4[:length]) == 0, "UDP checksum"
            f.payload = f.l4[8:length]
    return f


# Checks of the builders themselves, against published examples.

def test_checksum_rfc1071_example() -> None:
    # RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
    assert csum(bytes.fromhex("0001f203f4f5f6f7")) == 0xFFFF - 0xDDF2


def test_ipv4_header_example() -> None:
    # The IPv4 header used as the worked example of the header checksum (checksum b861).
    header = ipv4("192.168.0.1", "192.168.0.199", PROTO_UDP, b"\0" * 95, flags=2)[:20]
    assert header.hex() == "45000073000040004011b861c0a80001c0a800c7"


def test_dhcp_builder_round_trips() -> None:
    d = slirp_reply(2, 0x1234, "52:54:00:12:34:56")
    back = Dhcp.parse(d.build())
    assert back == d and len(d.build()) == 548
