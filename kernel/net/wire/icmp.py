"""ICMP echo request and reply (RFC 792, "Echo or Echo Reply Message").

    0      1      2          4       6        8
    | type | code | checksum | ident | seq    | data ...

The checksum covers the whole message (header and data). Every ICMP message has at
least these 8 bytes, so checked() tests that much; parse() models echo only: other
types (unreachable, time exceeded, ...) verify their checksum and then parse as
UNSUPPORTED, which the interface counts and drops.
"""

from kaa.lang import *
import kernel.net.wire.field as field
import kernel.net.wire.checksum as checksum
from kernel.net.wire.field import Error

HEADER_LEN: Final = 8
TYPE_ECHO_REPLY: Final = 0
TYPE_DEST_UNREACHABLE: Final = 3
TYPE_ECHO_REQUEST: Final = 8

TYPE: Final = 0
CODE: Final = 1
CHECKSUM: Final = 2
IDENT: Final = 4
SEQ: Final = 6


@struct
class View:
    b: Bytes

    def msg_type(self) -> u8:
        return self.b[TYPE]

    def code(self) -> u8:
        return self.b[CODE]

    def checksum(self) -> u16:
        return field.get16(self.b, CHECKSUM)

    def ident(self) -> u16:
        return field.get16(self.b, IDENT)

    def seq(self) -> u16:
        return field.get16(self.b, SEQ)

    def data(self) -> Bytes:
        return self.b[HEADER_LEN:len(self.b)]


@struct
class Repr:
    msg_type: u8                       # TYPE_ECHO_REQUEST or TYPE_ECHO_REPLY
    code: u8
    ident: u16
    seq: u16
    data: Bytes                        # a view into the parsed buffer


def checked(b: Bytes, out: Ptr[View]) -> Error:
    if len(b) < HEADER_LEN:
        return Error.TRUNCATED
    out.b = b
    return Error.OK


def parse(b: Bytes, out: Ptr[Repr]) -> Error:
    """b is the whole message: the IPv4 payload, trimmed to the datagram's length."""
    v: View
    e = checked(b, addr(v))
    if e != Error.OK:
        return e
    if not checksum.verify(b):
        return Error.CHECKSUM
    out.msg_type = v.msg_type()
    out.code = v.code()
    if v.msg_type() != TYPE_ECHO_REQUEST and v.msg_type() != TYPE_ECHO_REPLY:
        return Error.UNSUPPORTED
    out.ident = v.ident()
    out.seq = v.seq()
    out.data = v.data()
    return Error.OK


def buffer_len(r: Ptr[Repr]) -> int:
    return HEADER_LEN + len(r.data)


def emit(r: Ptr[Repr], b: Bytes) -> None:
    """Write the message into b[0:buffer_len(r)]; r.data is copied unless it already
    sits at b[8:] (a reply built in the request's buffer)."""
    n = buffer_len(r)
    assert len(b) >= n, "icmp.emit: buffer too short"
    field.copy(b[HEADER_LEN:n], r.data)
    b[TYPE] = r.msg_type
    b[CODE] = r.code
    field.put16(b, CHECKSUM, 0)
    field.put16(b, IDENT, r.ident)
    field.put16(b, SEQ, r.seq)
    field.put16(b, CHECKSUM, checksum.of(b[0:n]))
