"""ARP for IPv4 over Ethernet (RFC 826): the 28-byte request and reply.

    0      2      4    5    6    8            14          18           24          28
    | htype| ptype|hlen|plen| op | sender mac | sender ip | target mac | target ip |

RFC 826 allows any hardware and protocol pair; this stack only speaks Ethernet (1)
and IPv4 (0x0800) with their 6- and 4-byte addresses, so anything else parses as
UNSUPPORTED, and so do operations other than request (1) and reply (2).
"""

from kaa.lang import *
import kernel.net.wire.field as field
from kernel.net.wire.field import Error

LEN: Final = 28
HTYPE_ETHERNET: Final = 1
PTYPE_IPV4: Final = 0x0800
OP_REQUEST: Final = 1
OP_REPLY: Final = 2

HTYPE: Final = 0
PTYPE: Final = 2
HLEN: Final = 4
PLEN: Final = 5
OPER: Final = 6
SHA: Final = 8
SPA: Final = 14
THA: Final = 18
TPA: Final = 24


@struct
class View:
    """A packet of at least LEN bytes (checked()); the format fields are not yet trusted."""
    b: Bytes

    def htype(self) -> u16:
        return field.get16(self.b, HTYPE)

    def ptype(self) -> u16:
        return field.get16(self.b, PTYPE)

    def hlen(self) -> u8:
        return self.b[HLEN]

    def plen(self) -> u8:
        return self.b[PLEN]

    def op(self) -> u16:
        return field.get16(self.b, OPER)

    def sender_mac(self) -> u64:
        return field.get48(self.b, SHA)

    def sender_ip(self) -> u32:
        return field.get32(self.b, SPA)

    def target_mac(self) -> u64:
        return field.get48(self.b, THA)

    def target_ip(self) -> u32:
        return field.get32(self.b, TPA)


@struct
class Repr:
    op: u16
    sender_mac: u64
    sender_ip: u32
    target_mac: u64
    target_ip: u32


def checked(b: Bytes, out: Ptr[View]) -> Error:
    if len(b) < LEN:
        return Error.TRUNCATED
    out.b = b
    return Error.OK


def parse(b: Bytes, out: Ptr[Repr]) -> Error:
    v: View
    e = checked(b, addr(v))
    if e != Error.OK:
        return e
    if v.htype() != HTYPE_ETHERNET or v.ptype() != PTYPE_IPV4 or v.hlen() != 6 or v.plen() != 4:
        return Error.UNSUPPORTED
    if v.op() != OP_REQUEST and v.op() != OP_REPLY:
        return Error.UNSUPPORTED
    out.op = v.op()
    out.sender_mac = v.sender_mac()
    out.sender_ip = v.sender_ip()
    out.target_mac = v.target_mac()
    out.target_ip = v.target_ip()
    return Error.OK


def emit(r: Ptr[Repr], b: Bytes) -> None:
    """Write the LEN-byte packet into b[0:LEN]."""
    assert len(b) >= LEN, "arp.emit: buffer too short"
    field.put16(b, HTYPE, HTYPE_ETHERNET)
    field.put16(b, PTYPE, PTYPE_IPV4)
    b[HLEN] = 6
    b[PLEN] = 4
    field.put16(b, OPER, r.op)
    field.put48(b, SHA, r.sender_mac)
    field.put32(b, SPA, r.sender_ip)
    field.put48(b, THA, r.target_mac)
    field.put32(b, TPA, r.target_ip)
