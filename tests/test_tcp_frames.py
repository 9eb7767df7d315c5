"""Reference TCP segment builders and decoders for the TCP tests, written in CPython from
RFC 9293 section 3.1 (and RFC 7323, RFC 2018 for options), checked here against scapy's.

tests/test_tcp_wire.py, test_tcp_states.py and test_tcp_sim.py build what the peer
sends with these functions and decode what the Kaa stack sends with them, so the Kaa
code is always compared with an independent implementation. Addresses are text.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from test_net_frames import ETH_IPV4, csum, eth, ip, ipv4, mac

PROTO_TCP = 6
FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80
FLAG_NAMES = "FSRPAUEC"

US_MAC, US = "52:54:00:12:34:56", "10.0.0.1"
PEER_MAC, PEER = "52:55:0a:00:00:02", "10.0.0.2"


def opt_mss(value: int) -> bytes:
    return struct.pack("!BBH", 2, 4, value)


def opt_ws(shift: int) -> bytes:
    return b"\x01" + struct.pack("!BBB", 3, 3, shift)


def opt_sack_permitted() -> bytes:
    return b"\x01\x01\x04\x02"


def opt_sack(blocks: list[tuple[int, int]]) -> bytes:
    return b"\x01\x01" + struct.pack(f"!BB{2 * len(blocks)}I", 5, 2 + 8 * len(blocks),
                                     *[x & 0xFFFFFFFF for b in blocks for x in b])


def opt_ts(val: int, ecr: int) -> bytes:
    return b"\x01\x01" + struct.pack("!BBII", 8, 10, val, ecr)


def pad(options: bytes) -> bytes:
    """To a multiple of 4 bytes with EOL (RFC 9293 section 3.1, "Padding")."""
    return options + b"\0" * (-len(options) % 4)


def tcp_checksum(src: str, dst: str, segment: bytes) -> int:
    return csum(ip(src) + ip(dst) + struct.pack("!BBH", 0, PROTO_TCP, len(segment)) + segment)


def tcp(src: str, dst: str, sport: int, dport: int, seq: int, ack: int, flags: int, window: int = 65535,
        payload: bytes = b"", options: bytes = b"", urgent: int = 0, check: int | None = None,
        offset: int | None = None) -> bytes:
    """A TCP segment; options are padded; check and offset (in words) override."""
    options = pad(options)
    words = 5 + len(options) // 4 if offset is None else offset
    header = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, words << 4, flags,
                         window, 0, urgent) + options
    seg = header + payload
    value = tcp_checksum(src, dst, seg) if check is None else check
    return seg[:16] + struct.pack("!H", value) + seg[18:]


def tcp_frame(seg: bytes, src: str = PEER, dst: str = US, src_mac: str = PEER_MAC, dst_mac: str = US_MAC,
              ident: int = 0) -> bytes:
    return eth(dst_mac, src_mac, ETH_IPV4, ipv4(src, dst, PROTO_TCP, seg, ident=ident))


@dataclass
class Seg:
    """A decoded segment (from an Ethernet frame the stack sent)."""
    src: str
    dst: str
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    window: int
    urgent: int
    payload: bytes
    options: dict[str, object] = field(default_factory=dict)

    def has(self, flags: int) -> bool:
        return self.flags & flags == flags

    @property
    def names(self) -> str:
        return "".join(n for i, n in enumerate(FLAG_NAMES) if self.flags & (1 << i))

    @property
    def seg_len(self) -> int:
        return len(self.payload) + (1 if self.flags & SYN else 0) + (1 if self.flags & FIN else 0)


def parse_options(b: bytes) -> dict[str, object]:
    out: dict[str, object] = {}
    i = 0
    while i < len(b):
        kind = b[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        n = b[i + 1]
        assert n >= 2 and i + n <= len(b), f"bad option length at {i}: {b.hex()}"
        data = b[i + 2:i + n]
        if kind == 2:
            out["mss"] = struct.unpack("!H", data)[0]
        elif kind == 3:
            out["ws"] = data[0]
        elif kind == 4:
            out["sackp"] = True
        elif kind == 5:
            words = struct.unpack(f"!{len(data) // 4}I", data)
            out["sack"] = [(words[i], words[i + 1]) for i in range(0, len(words), 2)]
        elif kind == 8:
            out["ts"] = struct.unpack("!II", data)
        else:
            out[f"kind{kind}"] = data
        i += n
    return out


def decode_tcp(src: str, dst: str, seg: bytes) -> Seg:
    """A TCP segment whose checksum must verify."""
    assert len(seg) >= 20, seg.hex()
    sport, dport, seq, ack, off, flags, window, _, urgent = struct.unpack("!HHIIBBHHH", seg[:20])
    hlen = (off >> 4) * 4
    assert 20 <= hlen <= len(seg), seg.hex()
    assert tcp_checksum(src, dst, seg) == 0, f"bad TCP checksum: {seg.hex()}"
    return Seg(src, dst, sport, dport, seq, ack, flags, window, urgent, seg[hlen:], parse_options(seg[20:hlen]))


def decode(frame: bytes) -> Seg:
    """An Ethernet frame carrying IPv4 and TCP; every checksum must verify."""
    assert frame[12:14] == struct.pack("!H", ETH_IPV4), frame.hex()
    h = frame[14:]
    ihl = (h[0] & 15) * 4
    assert h[0] >> 4 == 4 and csum(h[:ihl]) == 0, f"bad IPv4 header: {h[:ihl].hex()}"
    total = struct.unpack("!H", h[2:4])[0]
    assert h[9] == PROTO_TCP
    src, dst = ".".join(map(str, h[12:16])), ".".join(map(str, h[16:20]))
    return decode_tcp(src, dst, h[ihl:total])


# The builders against scapy, an implementation of their own.

def test_builder_matches_scapy() -> None:
    from scapy.layers.inet import IP, TCP
    opts = opt_mss(1460) + opt_ws(7) + opt_sack_permitted() + opt_ts(1, 2)
    ours = tcp("10.0.0.2", "10.0.0.1", 40000, 80, 1000, 2000, SYN | ACK, 29200, b"hi", opts)
    theirs = bytes(IP(src="10.0.0.2", dst="10.0.0.1") /
                   TCP(sport=40000, dport=80, seq=1000, ack=2000, flags="SA", window=29200,
                       options=[("MSS", 1460), ("NOP", None), ("WScale", 7), ("NOP", None), ("NOP", None),
                                ("SAckOK", b""), ("NOP", None), ("NOP", None), ("Timestamp", (1, 2))]) / b"hi")[20:]
    assert ours == theirs


def test_sack_builder_matches_scapy() -> None:
    from scapy.layers.inet import IP, TCP
    ours = tcp("10.0.0.2", "10.0.0.1", 1, 2, 3, 4, ACK, options=opt_sack([(10, 20), (30, 40)]))
    theirs = bytes(IP(src="10.0.0.2", dst="10.0.0.1") /
                   TCP(sport=1, dport=2, seq=3, ack=4, flags="A", window=65535,
                       options=[("NOP", None), ("NOP", None), ("SAck", (10, 20, 30, 40))]))[20:]
    assert ours == theirs
    assert decode_tcp("10.0.0.2", "10.0.0.1", ours).options == {"sack": [(10, 20), (30, 40)]}


def test_decoder_reads_scapy_segments() -> None:
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    frame = bytes(Ether(dst=PEER_MAC, src=US_MAC) / IP(src=US, dst=PEER) /
                  TCP(sport=80, dport=40000, seq=7, ack=9, flags="FPA", window=512,
                      options=[("MSS", 536), ("WScale", 3)]) / b"data")
    s = decode(frame)
    assert (s.src, s.dst, s.sport, s.dport, s.seq, s.ack, s.window) == (US, PEER, 80, 40000, 7, 9, 512)
    assert s.names == "FPA" and s.payload == b"data" and s.options == {"mss": 536, "ws": 3}
    assert s.seg_len == 5
