"""UDP headers (RFC 768).

    0          2          4        6          8
    | src port | dst port | length | checksum | data ...

The length field counts header and data; it must be at least 8 and fit in the IPv4
payload (which may be longer: the rest is ignored). The checksum covers the IPv4
pseudo-header (source, destination, protocol, UDP length), the header and the data;
a transmitted checksum of 0 means "none" and is accepted, so a computed 0 is sent as
0xFFFF (its one's-complement equal).
"""

from kaa.lang import *
import kernel.net.wire.field as field
import kernel.net.wire.checksum as checksum
from kernel.net.wire.field import Error

HEADER_LEN: Final = 8
PROTOCOL: Final = 17

SRC_PORT: Final = 0
DST_PORT: Final = 2
LENGTH: Final = 4
CHECKSUM: Final = 6


@struct
class View:
    """A datagram whose length field was checked: payload() stays inside the buffer."""
    b: Bytes

    def src_port(self) -> u16:
        return field.get16(self.b, SRC_PORT)

    def dst_port(self) -> u16:
        return field.get16(self.b, DST_PORT)

    def length(self) -> u16:
        return field.get16(self.b, LENGTH)

    def checksum(self) -> u16:
        return field.get16(self.b, CHECKSUM)

    def datagram(self) -> Bytes:
        return self.b[0:self.length()]

    def payload(self) -> Bytes:
        return self.b[HEADER_LEN:self.length()]

    def checksum_ok(self, src: u32, dst: u32) -> bool:
        if self.checksum() == 0:
            return True                # the sender computed none (RFC 768)
        acc = checksum.pseudo_header(src, dst, PROTOCOL, self.length())
        return checksum.finish(checksum.add(acc, self.datagram())) == 0


@struct
class Repr:
    src_port: u16
    dst_port: u16
    payload: Bytes                     # a view into the parsed buffer


def checked(b: Bytes, out: Ptr[View]) -> Error:
    if len(b) < HEADER_LEN:
        return Error.TRUNCATED
    v = View(b=b)
    if v.length() < HEADER_LEN:
        return Error.MALFORMED
    if v.length() > len(b):
        return Error.TRUNCATED
    out.b = b
    return Error.OK


def parse(b: Bytes, src: u32, dst: u32, out: Ptr[Repr]) -> Error:
    """b is the IPv4 payload; src and dst the IPv4 addresses (for the pseudo-header)."""
    return parse_checked(b, src, dst, True, out)


def parse_checked(b: Bytes, src: u32, dst: u32, verify: bool, out: Ptr[Repr]) -> Error:
    """parse(), verifying the checksum only when asked (not when the NIC already did)."""
    v: View
    e = checked(b, addr(v))
    if e != Error.OK:
        return e
    if verify and not v.checksum_ok(src, dst):
        return Error.CHECKSUM
    out.src_port = v.src_port()
    out.dst_port = v.dst_port()
    out.payload = v.payload()
    return Error.OK


def buffer_len(r: Ptr[Repr]) -> int:
    return HEADER_LEN + len(r.payload)


def emit(r: Ptr[Repr], b: Bytes, src: u32, dst: u32) -> None:
    """Write the datagram into b[0:buffer_len(r)]; r.payload is copied unless it already
    sits at b[8:]. src and dst are the IPv4 addresses it will be sent between."""
    n = emit_header(r, b)
    field.put16(b, CHECKSUM, 0)
    acc = checksum.pseudo_header(src, dst, PROTOCOL, u16(n))
    sum = checksum.finish(checksum.add(acc, b[0:n]))
    field.put16(b, CHECKSUM, sum if sum != 0 else 0xFFFF)


def emit_partial(r: Ptr[Repr], b: Bytes, src: u32, dst: u32) -> None:
    """emit(), leaving the checksum to a NIC that offloads it: the field holds the
    pseudo-header's sum, folded, not complemented, so the NIC's checksum of the datagram
    from its first byte is the right one (virtio 1.x section 5.1.6.2)."""
    n = emit_header(r, b)
    field.put16(b, CHECKSUM, checksum.fold(checksum.pseudo_header(src, dst, PROTOCOL, u16(n))))


def emit_header(r: Ptr[Repr], b: Bytes) -> int:
    """Ports, length and payload (not the checksum); the datagram's length."""
    n = buffer_len(r)
    assert len(b) >= n and n <= 0xFFFF, "udp.emit: buffer too short or datagram too long"
    field.copy(b[HEADER_LEN:n], r.payload)
    field.put16(b, SRC_PORT, r.src_port)
    field.put16(b, DST_PORT, r.dst_port)
    field.put16(b, LENGTH, u16(n))
    return n
