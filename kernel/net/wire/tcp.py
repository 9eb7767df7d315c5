"""TCP headers (RFC 9293 section 3.1) and sequence-number arithmetic (section 3.4).

    0        2        4       8       12        13      14       16         18       20
    | sport  | dport  | seq   | ack   |off|rsvd | flags | window | checksum | urgent | options | data

checked() makes the lengths trustworthy: at least a 20-byte header, a data offset of at
least 5 words that stays inside the segment (RFC 9293 section 3.1, "Data Offset"). The
segment is the whole IPv4 payload: TCP has no length field of its own. parse() also
verifies the checksum over the IPv4 pseudo-header (section 3.1, "Checksum") and reads
the options (section 3.2): End of Option List and No-Operation are single bytes; every
other kind has a length byte that counts kind and length (section 3.1, "Options"). A
length below 2 or past the options area is malformed (MUST-7: the segment is dropped);
known kinds must have their own length (MSS 4, Window Scale 3 (RFC 7323 section 2.2),
SACK-Permitted 2 (RFC 2018 section 2), SACK 2 + 8 n with n from 1 to 4 (RFC 2018 section
3), Timestamps 10 (RFC 7323 section 3.2)); unknown kinds are skipped (MUST-6). A
repeated option: the last wins.

emit() writes the header, the options a Repr asks for (MSS, then Window Scale,
SACK-Permitted, SACK blocks and Timestamps, each padded with NOPs to a 4-byte
boundary), the payload (unless it is already in place after the header) and the
checksum; emit_gather() does the same for a segment whose data ends in an external
piece that is not copied (the checksum reads it where it is).

Sequence numbers live modulo 2^32 (section 3.4): a < b when the distance from a to b,
read as a signed 32-bit number, is positive. That is meaningful only for numbers less
than 2^31 apart, which TCP's windows guarantee.
"""

from kaa.lang import *
import kernel.net.wire.field as field
import kernel.net.wire.checksum as checksum
from kernel.net.wire.field import Error

HEADER_LEN: Final = 20
MAX_HEADER_LEN: Final = 60             # data offset 15 words
PROTOCOL: Final = 6

SRC_PORT: Final = 0
DST_PORT: Final = 2
SEQ: Final = 4
ACK_NUM: Final = 8
OFFSET: Final = 12                     # data offset in the high 4 bits
FLAGS: Final = 13
WINDOW: Final = 14
CHECKSUM: Final = 16
URGENT: Final = 18

# Control bits (section 3.1; CWR and ECE from RFC 3168).
FIN: Final = 0x01
SYN: Final = 0x02
RST: Final = 0x04
PSH: Final = 0x08
ACK: Final = 0x10
URG: Final = 0x20
ECE: Final = 0x40
CWR: Final = 0x80

# Option kinds (section 3.2; RFC 7323; RFC 2018).
OPT_EOL: Final = 0
OPT_NOP: Final = 1
OPT_MSS: Final = 2
OPT_WINDOW_SCALE: Final = 3
OPT_SACK_PERMITTED: Final = 4
OPT_SACK: Final = 5
OPT_TIMESTAMPS: Final = 8

MAX_WINDOW_SHIFT: Final = 14           # RFC 7323 section 2.3
MAX_SACK_BLOCKS: Final = 4             # what fits without timestamps (RFC 2018 section 3)


@struct
class View:
    """A segment whose header length was checked (checked()): accessors stay in bounds."""
    b: Bytes

    def src_port(self) -> u16:
        return field.get16(self.b, SRC_PORT)

    def dst_port(self) -> u16:
        return field.get16(self.b, DST_PORT)

    def seq(self) -> u32:
        return field.get32(self.b, SEQ)

    def ack(self) -> u32:
        return field.get32(self.b, ACK_NUM)

    def header_len(self) -> u32:
        return u32(self.b[OFFSET] >> 4) * 4

    def flags(self) -> u8:
        return self.b[FLAGS]

    def window(self) -> u16:
        return field.get16(self.b, WINDOW)

    def checksum(self) -> u16:
        return field.get16(self.b, CHECKSUM)

    def urgent(self) -> u16:
        return field.get16(self.b, URGENT)

    def options(self) -> Bytes:
        return self.b[HEADER_LEN:self.header_len()]

    def payload(self) -> Bytes:
        return self.b[self.header_len():len(self.b)]

    def checksum_ok(self, src: u32, dst: u32) -> bool:
        acc = checksum.pseudo_header(src, dst, PROTOCOL, u16(len(self.b)))
        return checksum.finish(checksum.add(acc, self.b)) == 0


@struct
class Repr:
    src_port: u16
    dst_port: u16
    seq: u32
    ack: u32
    flags: u8
    window: u16                        # as on the wire: not scaled
    urgent: u16
    mss: u16                           # the MSS option's value; 0: absent
    has_window_scale: bool
    window_scale: u8                   # the shift as received (may exceed 14)
    sack_permitted: bool
    sack_count: u8                     # SACK blocks: [sack[2 i], sack[2 i + 1]) for i < count
    sack: Array[u32, 8]
    has_timestamps: bool
    ts_val: u32
    ts_ecr: u32
    payload: Bytes                     # a view into the parsed buffer

    def has(self, flag: u8) -> bool:
        return self.flags & flag != 0

    def seg_len(self) -> u32:
        """SEG.LEN: the sequence space the segment occupies (data, SYN and FIN)."""
        n = u32(len(self.payload))
        if self.has(SYN):
            n += 1
        if self.has(FIN):
            n += 1
        return n


def checked(b: Bytes, out: Ptr[View]) -> Error:
    if len(b) < HEADER_LEN:
        return Error.TRUNCATED
    v = View(b=b)
    if v.header_len() < HEADER_LEN:
        return Error.MALFORMED
    if v.header_len() > len(b):
        return Error.TRUNCATED
    out.b = b
    return Error.OK


def parse_options(o: Bytes, out: Ptr[Repr]) -> Error:
    """Section 3.1 "Options": a list of (kind) or (kind, length, data) up to EOL or
    the end of the header."""
    i = 0
    while i < len(o):
        kind = o[i]
        if kind == OPT_EOL:
            break
        if kind == OPT_NOP:
            i += 1
            continue
        if i + 1 >= len(o):
            return Error.MALFORMED         # no room for the length byte
        n = i64(o[i + 1])
        if n < 2 or i + n > len(o):
            return Error.MALFORMED
        if not option(kind, o[i + 2:i + n], out):
            return Error.MALFORMED
        i += n
    return Error.OK


def option(kind: u8, data: Bytes, out: Ptr[Repr]) -> bool:
    """One option's data into out; False when a known kind has the wrong length."""
    if kind == OPT_MSS:
        if len(data) != 2:
            return False
        out.mss = field.get16(data, 0)
    elif kind == OPT_WINDOW_SCALE:
        if len(data) != 1:
            return False
        out.has_window_scale = True
        out.window_scale = data[0]
    elif kind == OPT_SACK_PERMITTED:
        if len(data) != 0:
            return False
        out.sack_permitted = True
    elif kind == OPT_SACK:
        n = len(data) // 8
        if len(data) % 8 != 0 or n < 1 or n > MAX_SACK_BLOCKS:
            return False
        out.sack_count = u8(n)
        for i in range(2 * n):
            out.sack[i] = field.get32(data, 4 * i)
    elif kind == OPT_TIMESTAMPS:
        if len(data) != 8:
            return False
        out.has_timestamps = True
        out.ts_val = field.get32(data, 0)
        out.ts_ecr = field.get32(data, 4)
    return True                            # unknown kinds: skipped


def parse(b: Bytes, src: u32, dst: u32, out: Ptr[Repr]) -> Error:
    """b is the IPv4 payload; src and dst the IPv4 addresses (for the pseudo-header).
    TRUNCATED or MALFORMED: the data offset; CHECKSUM; MALFORMED also for the options."""
    return parse_checked(b, src, dst, True, out)


def parse_checked(b: Bytes, src: u32, dst: u32, verify: bool, out: Ptr[Repr]) -> Error:
    """parse(), verifying the checksum only when asked (not when the NIC already did)."""
    v: View
    e = checked(b, addr(v))
    if e != Error.OK:
        return e
    if verify and not v.checksum_ok(src, dst):
        return Error.CHECKSUM
    out[0] = Repr()
    out.src_port = v.src_port()
    out.dst_port = v.dst_port()
    out.seq = v.seq()
    out.ack = v.ack()
    out.flags = v.flags()
    out.window = v.window()
    out.urgent = v.urgent()
    out.payload = v.payload()
    return parse_options(v.options(), out)


def other_options_len(r: Ptr[Repr]) -> int:
    n = 0
    if r.mss != 0:
        n += 4
    if r.has_window_scale:
        n += 4                             # NOP, kind, length, shift
    if r.sack_permitted:
        n += 4                             # NOP, NOP, kind, length
    if r.has_timestamps:
        n += 12                            # NOP, NOP, kind, length, 8 bytes
    return n


def sack_blocks(r: Ptr[Repr]) -> int:
    """How many of r's SACK blocks emit() writes: those that fit the 40 bytes of
    options after the others (RFC 2018 section 3: 3 beside timestamps, else 4)."""
    room = (MAX_HEADER_LEN - HEADER_LEN - other_options_len(r) - 4) // 8
    n = i64(r.sack_count)
    return n if n < room else (room if room > 0 else 0)


def options_len(r: Ptr[Repr]) -> int:
    n = other_options_len(r)
    if sack_blocks(r) > 0:
        n += 4 + 8 * sack_blocks(r)        # NOP, NOP, kind, length, blocks
    return n


def header_len(r: Ptr[Repr]) -> int:
    return HEADER_LEN + options_len(r)


def buffer_len(r: Ptr[Repr]) -> int:
    return header_len(r) + len(r.payload)


def emit_options(r: Ptr[Repr], o: Bytes) -> None:
    i = 0
    if r.mss != 0:
        o[0] = OPT_MSS
        o[1] = 4
        field.put16(o, 2, r.mss)
        i = 4
    if r.has_window_scale:
        o[i] = OPT_NOP
        o[i + 1] = OPT_WINDOW_SCALE
        o[i + 2] = 3
        o[i + 3] = r.window_scale
        i += 4
    if r.sack_permitted:
        o[i] = OPT_NOP
        o[i + 1] = OPT_NOP
        o[i + 2] = OPT_SACK_PERMITTED
        o[i + 3] = 2
        i += 4
    blocks = sack_blocks(r)
    if blocks > 0:
        o[i] = OPT_NOP
        o[i + 1] = OPT_NOP
        o[i + 2] = OPT_SACK
        o[i + 3] = u8(2 + 8 * blocks)
        for j in range(2 * blocks):
            field.put32(o, i + 4 + 4 * j, r.sack[j])
        i += 4 + 8 * blocks
    if r.has_timestamps:
        o[i] = OPT_NOP
        o[i + 1] = OPT_NOP
        o[i + 2] = OPT_TIMESTAMPS
        o[i + 3] = 10
        field.put32(o, i + 4, r.ts_val)
        field.put32(o, i + 8, r.ts_ecr)


def emit(r: Ptr[Repr], b: Bytes, src: u32, dst: u32) -> None:
    """Write the segment into b[0:buffer_len(r)]; r.payload is copied unless it already
    sits right after the header. src and dst are the IPv4 addresses it goes between."""
    emit_gather(r, b, src, dst, Bytes(ptr=None, len=0))


def emit_gather(r: Ptr[Repr], b: Bytes, src: u32, dst: u32, ext: Bytes) -> None:
    """emit(), for a segment whose data goes on past r.payload with ext, which stays
    where it is (sent after b[0:buffer_len(r)] by a device that gathers): the checksum
    covers it, read in place. buffer_len(r) must then be even (a checksum piece)."""
    n = buffer_len(r)
    total = n + i64(len(ext))
    assert len(ext) == 0 or n % 2 == 0, "tcp.emit_gather: odd length before the external data"
    emit_header(r, b, total)
    acc = checksum.pseudo_header(src, dst, PROTOCOL, u16(total))
    acc = checksum.add(acc, b[0:n])
    field.put16(b, CHECKSUM, checksum.finish(checksum.add(acc, ext)))


def emit_partial(r: Ptr[Repr], b: Bytes, src: u32, dst: u32, ext_len: int) -> None:
    """emit_gather(), leaving the checksum to a NIC that offloads it (ext_len bytes of
    external data follow, unread here): the field holds the pseudo-header's sum, folded,
    not complemented, so the NIC's checksum of the segment from its first byte is the
    right one (virtio 1.x section 5.1.6.2)."""
    total = buffer_len(r) + ext_len
    emit_header(r, b, total)
    field.put16(b, CHECKSUM, checksum.fold(checksum.pseudo_header(src, dst, PROTOCOL, u16(total))))


def emit_header(r: Ptr[Repr], b: Bytes, total: int) -> None:
    """Header, options and payload, with a zero checksum; total is the segment's length."""
    h = header_len(r)
    n = buffer_len(r)
    assert len(b) >= n and total <= 0xFFFF, "tcp.emit: buffer too short or segment too long"
    field.copy(b[h:n], r.payload)
    field.put16(b, SRC_PORT, r.src_port)
    field.put16(b, DST_PORT, r.dst_port)
    field.put32(b, SEQ, r.seq)
    field.put32(b, ACK_NUM, r.ack)
    b[OFFSET] = u8(h // 4) << 4
    b[FLAGS] = r.flags
    field.put16(b, WINDOW, r.window)
    field.put16(b, CHECKSUM, 0)
    field.put16(b, URGENT, r.urgent)
    emit_options(r, b[HEADER_LEN:h])


# Sequence-number arithmetic (section 3.4): comparisons modulo 2^32.

def seq_lt(a: u32, b: u32) -> bool:
    return i32(a - b) < 0


def seq_le(a: u32, b: u32) -> bool:
    return i32(a - b) <= 0


def seq_gt(a: u32, b: u32) -> bool:
    return i32(a - b) > 0


def seq_ge(a: u32, b: u32) -> bool:
    return i32(a - b) >= 0


def seq_max(a: u32, b: u32) -> u32:
    return a if seq_ge(a, b) else b


def seq_min(a: u32, b: u32) -> u32:
    return a if seq_le(a, b) else b


def seq_in_window(x: u32, start: u32, size: u32) -> bool:
    """start =< x < start + size (the receive-window test of section 3.10.7.4)."""
    return x - start < size


def seq_between(lo: u32, x: u32, hi: u32) -> bool:
    """lo =< x =< hi, modulo 2^32 (an ACK between SND.UNA and SND.NXT, say)."""
    return x - lo <= hi - lo
