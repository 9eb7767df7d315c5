"""DHCP messages (RFC 2131 section 2) and the options a client uses (RFC 2132).

    0    1     2    3    4     8     10     12      16      20      24      28       44      108     236     240
    | op |htype|hlen|hops| xid | secs| flags| ciaddr| yiaddr| siaddr| giaddr| chaddr | sname | file  |cookie | options

Options are type-length-value after the magic cookie 99.130.83.99 (RFC 2132 section
2), with pad (0) and end (255) as single bytes. parse() reads the ones a client needs
into Repr and skips the rest; an option running past the message is MALFORMED.
Option overload (52: more options in sname/file) is not followed: servers use it only
when options do not fit, which a client asking for six of them never causes.

emit() writes a message of MESSAGE_LEN bytes: the fixed part and the 312-byte options
field a client must be ready to receive (RFC 2131 section 2). Shorter requests are
legal, but QEMU's user networking (slirp) drops any smaller than that.
"""

from kaa.lang import *
import kernel.net.wire.field as field
from kernel.net.wire.field import Error

FIXED_LEN: Final = 236
OPTIONS: Final = 240                   # the first option, after the cookie
MESSAGE_LEN: Final = 548               # FIXED_LEN + 312 bytes of options
COOKIE: Final = 0x63825363
SERVER_PORT: Final = 67
CLIENT_PORT: Final = 68

OP_REQUEST: Final = 1                  # BOOTREQUEST: client to server
OP_REPLY: Final = 2
FLAG_BROADCAST: Final = 0x8000

# Message types (option 53, RFC 2132 section 9.6).
DISCOVER: Final = 1
OFFER: Final = 2
REQUEST: Final = 3
DECLINE: Final = 4
ACK: Final = 5
NAK: Final = 6
RELEASE: Final = 7

# Option codes (RFC 2132).
OPT_PAD: Final = 0
OPT_SUBNET_MASK: Final = 1
OPT_ROUTER: Final = 3
OPT_DNS: Final = 6
OPT_REQUESTED_IP: Final = 50
OPT_LEASE_TIME: Final = 51
OPT_MESSAGE_TYPE: Final = 53
OPT_SERVER_ID: Final = 54
OPT_PARAMS: Final = 55
OPT_RENEWAL_TIME: Final = 58           # T1
OPT_REBINDING_TIME: Final = 59         # T2
OPT_END: Final = 255

OP: Final = 0
HTYPE: Final = 1
HLEN: Final = 2
HOPS: Final = 3
XID: Final = 4
SECS: Final = 8
FLAGS: Final = 10
CIADDR: Final = 12
YIADDR: Final = 16
SIADDR: Final = 20
GIADDR: Final = 24
CHADDR: Final = 28
COOKIE_AT: Final = 236


@struct
class Repr:
    op: u8
    xid: u32
    secs: u16
    flags: u16
    ciaddr: u32                        # the client's address, when it has one
    yiaddr: u32                        # "your" address: what the server offers
    siaddr: u32
    giaddr: u32
    chaddr: u64                        # the client's MAC
    message_type: u8                   # 0: none (plain BOOTP)
    server_id: u32
    requested_ip: u32
    subnet_mask: u32
    has_subnet_mask: bool              # a mask of 0 is legal, so presence is separate
    router: u32                        # the first router listed
    dns: u32                           # the first name server listed
    lease_s: u32                       # 0xFFFFFFFF: infinite
    renewal_s: u32                     # T1; 0 when absent
    rebinding_s: u32                   # T2; 0 when absent
    request_params: bool               # emit asks for mask, router, DNS and times


def parse(b: Bytes, out: Ptr[Repr]) -> Error:
    if len(b) < OPTIONS:
        return Error.TRUNCATED
    if field.get32(b, COOKIE_AT) != COOKIE or (b[OP] != OP_REQUEST and b[OP] != OP_REPLY):
        return Error.MALFORMED
    if b[HTYPE] != 1 or b[HLEN] != 6:
        return Error.UNSUPPORTED
    out[0] = Repr()
    out.op = b[OP]
    out.xid = field.get32(b, XID)
    out.secs = field.get16(b, SECS)
    out.flags = field.get16(b, FLAGS)
    out.ciaddr = field.get32(b, CIADDR)
    out.yiaddr = field.get32(b, YIADDR)
    out.siaddr = field.get32(b, SIADDR)
    out.giaddr = field.get32(b, GIADDR)
    out.chaddr = field.get48(b, CHADDR)
    return parse_options(b, out)


def parse_options(b: Bytes, out: Ptr[Repr]) -> Error:
    i: int = OPTIONS
    while i < len(b):
        code = b[i]
        if code == OPT_END:
            break
        if code == OPT_PAD:
            i += 1
            continue
        if i + 2 > len(b) or i + 2 + i64(b[i + 1]) > len(b):
            return Error.MALFORMED
        value = b[i + 2:i + 2 + i64(b[i + 1])]
        if not parse_option(code, value, out):
            return Error.MALFORMED
        i += 2 + len(value)
    return Error.OK


def parse_option(code: u8, v: Bytes, out: Ptr[Repr]) -> bool:
    """Store one option's value; False when it is too short for its kind."""
    if code == OPT_MESSAGE_TYPE:
        if len(v) < 1:
            return False
        out.message_type = v[0]
        return True
    if code != OPT_SUBNET_MASK and code != OPT_ROUTER and code != OPT_DNS and code != OPT_REQUESTED_IP \
            and code != OPT_LEASE_TIME and code != OPT_SERVER_ID and code != OPT_RENEWAL_TIME \
            and code != OPT_REBINDING_TIME:
        return True                    # not one we use
    if len(v) < 4:
        return False
    x = field.get32(v, 0)
    if code == OPT_SUBNET_MASK:
        out.subnet_mask = x
        out.has_subnet_mask = True
    elif code == OPT_ROUTER:
        out.router = x
    elif code == OPT_DNS:
        out.dns = x
    elif code == OPT_REQUESTED_IP:
        out.requested_ip = x
    elif code == OPT_LEASE_TIME:
        out.lease_s = x
    elif code == OPT_SERVER_ID:
        out.server_id = x
    elif code == OPT_RENEWAL_TIME:
        out.renewal_s = x
    else:
        out.rebinding_s = x
    return True


def emit(r: Ptr[Repr], b: Bytes) -> int:
    """Write r into b[0:MESSAGE_LEN] and return MESSAGE_LEN. Options are written for
    the fields that are set (non-zero), in RFC 2132's numeric order."""
    assert len(b) >= MESSAGE_LEN, "dhcp.emit: buffer too short"
    field.zero(b[0:MESSAGE_LEN])
    emit_fixed(r, b)
    emit_options(r, b)
    return MESSAGE_LEN


def emit_fixed(r: Ptr[Repr], b: Bytes) -> None:
    b[OP] = r.op
    b[HTYPE] = 1
    b[HLEN] = 6
    field.put32(b, XID, r.xid)
    field.put16(b, SECS, r.secs)
    field.put16(b, FLAGS, r.flags)
    field.put32(b, CIADDR, r.ciaddr)
    field.put32(b, YIADDR, r.yiaddr)
    field.put32(b, SIADDR, r.siaddr)
    field.put32(b, GIADDR, r.giaddr)
    field.put48(b, CHADDR, r.chaddr)
    field.put32(b, COOKIE_AT, COOKIE)


def emit_options(r: Ptr[Repr], b: Bytes) -> None:
    i: int = OPTIONS
    if r.message_type != 0:
        b[i] = OPT_MESSAGE_TYPE
        b[i + 1] = 1
        b[i + 2] = r.message_type
        i += 3
    if r.has_subnet_mask:              # written even when 0.0.0.0: presence is the point
        b[i] = OPT_SUBNET_MASK
        b[i + 1] = 4
        field.put32(b, i + 2, r.subnet_mask)
        i += 6
    i = put_option32(b, i, OPT_ROUTER, r.router)
    i = put_option32(b, i, OPT_DNS, r.dns)
    i = put_option32(b, i, OPT_REQUESTED_IP, r.requested_ip)
    i = put_option32(b, i, OPT_LEASE_TIME, r.lease_s)
    i = put_option32(b, i, OPT_SERVER_ID, r.server_id)
    if r.request_params:
        i = put_params(b, i)
    i = put_option32(b, i, OPT_RENEWAL_TIME, r.renewal_s)
    i = put_option32(b, i, OPT_REBINDING_TIME, r.rebinding_s)
    b[i] = OPT_END


def put_option32(b: Bytes, i: int, code: u8, v: u32) -> int:
    """A four-byte option at b[i], unless v is 0 (absent); the next option's offset."""
    if v == 0:
        return i
    b[i] = code
    b[i + 1] = 4
    field.put32(b, i + 2, v)
    return i + 6


def put_params(b: Bytes, i: int) -> int:
    """Option 55 (RFC 2132 section 9.8): what the client wants in the server's reply."""
    b[i] = OPT_PARAMS
    b[i + 1] = 6
    b[i + 2] = OPT_SUBNET_MASK
    b[i + 3] = OPT_ROUTER
    b[i + 4] = OPT_DNS
    b[i + 5] = OPT_LEASE_TIME
    b[i + 6] = OPT_RENEWAL_TIME
    b[i + 7] = OPT_REBINDING_TIME
    return i + 8
