"""IPv4 headers (RFC 791 section 3.1).

    0        1       2               4         6              8     9      10        12    16    20
    |ver|ihl | tos   | total length  | ident   |flags|offset  | ttl | proto| checksum| src | dst | options

checked() makes the lengths trustworthy: version 4, a header of at least 20 bytes
(IHL >= 5) that fits inside the total length, and a total length that fits inside
the frame (a frame may be longer: Ethernet pads). parse() also verifies the header
checksum. Options are covered by the checksum and otherwise skipped: RFC 1122 section
3.2.1.8 lets a host ignore the ones it does not implement. Fragments parse fine and
say so (is_fragment()): this stack does not reassemble, so its caller drops them.
emit() writes a 20-byte header without options.
"""

from kaa.lang import *
import kernel.net.wire.field as field
import kernel.net.wire.checksum as checksum
from kernel.net.wire.field import Error

HEADER_LEN: Final = 20
DEFAULT_TTL: Final = 64                # RFC 1700's recommendation; Linux uses it too

PROTO_ICMP: Final = 1
PROTO_TCP: Final = 6
PROTO_UDP: Final = 17

VER_IHL: Final = 0
TOS: Final = 1
TOTAL_LEN: Final = 2
IDENT: Final = 4
FLAGS_FRAG: Final = 6
TTL: Final = 8
PROTOCOL: Final = 9
CHECKSUM: Final = 10
SRC: Final = 12
DST: Final = 16

FLAG_DF: Final = 0x4000                # don't fragment
FLAG_MF: Final = 0x2000                # more fragments
OFFSET_MASK: Final = 0x1FFF            # in units of 8 bytes


@struct
class View:
    """A header whose lengths were checked (checked()): every accessor stays in bounds."""
    b: Bytes

    def version(self) -> u8:
        return self.b[VER_IHL] >> 4

    def header_len(self) -> u32:
        return u32(self.b[VER_IHL] & 15) * 4

    def tos(self) -> u8:
        return self.b[TOS]

    def total_len(self) -> u16:
        return field.get16(self.b, TOTAL_LEN)

    def ident(self) -> u16:
        return field.get16(self.b, IDENT)

    def dont_fragment(self) -> bool:
        return field.get16(self.b, FLAGS_FRAG) & FLAG_DF != 0

    def more_fragments(self) -> bool:
        return field.get16(self.b, FLAGS_FRAG) & FLAG_MF != 0

    def frag_offset(self) -> u32:
        """In bytes."""
        return u32(field.get16(self.b, FLAGS_FRAG) & OFFSET_MASK) * 8

    def ttl(self) -> u8:
        return self.b[TTL]

    def protocol(self) -> u8:
        return self.b[PROTOCOL]

    def checksum(self) -> u16:
        return field.get16(self.b, CHECKSUM)

    def src(self) -> u32:
        return field.get32(self.b, SRC)

    def dst(self) -> u32:
        return field.get32(self.b, DST)

    def header(self) -> Bytes:
        return self.b[0:self.header_len()]

    def payload(self) -> Bytes:
        """The datagram's data: up to the total length, not to the frame's end."""
        return self.b[self.header_len():self.total_len()]

    def checksum_ok(self) -> bool:
        return checksum.verify(self.header())


@struct
class Repr:
    src: u32
    dst: u32
    protocol: u8
    ttl: u8
    tos: u8
    ident: u16
    dont_fragment: bool
    more_fragments: bool
    frag_offset: u32                  # bytes
    header_len: u32                   # as received (options included); emit writes 20
    payload_len: u32

    def is_fragment(self) -> bool:
        """Part of a larger datagram (RFC 791 section 2.3, "Fragmentation")."""
        return self.more_fragments or self.frag_offset != 0


def checked(b: Bytes, out: Ptr[View]) -> Error:
    if len(b) < HEADER_LEN:
        return Error.TRUNCATED
    v = View(b=b)
    if v.version() != 4 or v.header_len() < HEADER_LEN or u32(v.total_len()) < v.header_len():
        return Error.MALFORMED
    if v.total_len() > len(b):
        return Error.TRUNCATED
    out.b = b
    return Error.OK


def parse(b: Bytes, out: Ptr[Repr]) -> Error:
    v: View
    e = checked(b, addr(v))
    if e != Error.OK:
        return e
    if not v.checksum_ok():
        return Error.CHECKSUM
    out.src = v.src()
    out.dst = v.dst()
    out.protocol = v.protocol()
    out.ttl = v.ttl()
    out.tos = v.tos()
    out.ident = v.ident()
    out.dont_fragment = v.dont_fragment()
    out.more_fragments = v.more_fragments()
    out.frag_offset = v.frag_offset()
    out.header_len = v.header_len()
    out.payload_len = u32(v.total_len()) - v.header_len()
    return Error.OK


def buffer_len(r: Ptr[Repr]) -> int:
    return HEADER_LEN + i64(r.payload_len)


def emit(r: Ptr[Repr], b: Bytes) -> None:
    """Write a 20-byte header (no options) for r into b[0:20], checksum included.
    The payload is not touched: it follows in b (or is written later)."""
    assert len(b) >= HEADER_LEN, "ipv4.emit: buffer too short"
    b[VER_IHL] = 0x45
    b[TOS] = r.tos
    field.put16(b, TOTAL_LEN, u16(HEADER_LEN + r.payload_len))
    field.put16(b, IDENT, r.ident)
    flags: u16 = u16(r.frag_offset // 8) & OFFSET_MASK
    if r.dont_fragment:
        flags |= FLAG_DF
    if r.more_fragments:
        flags |= FLAG_MF
    field.put16(b, FLAGS_FRAG, flags)
    b[TTL] = r.ttl
    b[PROTOCOL] = r.protocol
    field.put16(b, CHECKSUM, 0)
    field.put32(b, SRC, r.src)
    field.put32(b, DST, r.dst)
    field.put16(b, CHECKSUM, checksum.of(b[0:HEADER_LEN]))
