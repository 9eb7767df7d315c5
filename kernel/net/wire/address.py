"""IPv4 and MAC addresses: plain integers, and their text forms.

An IPv4 address is a u32 in host order (10.0.2.15 is 0x0A00020F), so masks and
comparisons are integer operations; wire modules convert at the byte boundary. A MAC
address is a u64 holding 48 bits, the first byte on the wire in bits 47..40: it
compares with ==, fits a register, and needs no Array copies. Text forms are written
into a caller's Writer (write_ip) or into a small Text buffer for print (ip_str).
"""

from kaa.lang import *
import kernel.net.wire.field as field

BROADCAST_MAC: Final = 0xFFFFFFFFFFFF
BROADCAST: Final = 0xFFFFFFFF          # the limited broadcast 255.255.255.255 (RFC 919)
ANY: Final = 0                         # 0.0.0.0: "this host" before it has an address


@struct
class Text:
    """Room for the longest text form: "255.255.255.255/32" or "ff:ff:ff:ff:ff:ff"."""
    buf: Array[u8, 24]


def ipv4(a: u32, b: u32, c: u32, d: u32) -> u32:
    return ((a & 255) << 24) | ((b & 255) << 16) | ((c & 255) << 8) | (d & 255)


def mac_from(b: Bytes) -> u64:
    """The MAC address in the first six bytes of b (a NetDevice's mac[0:6])."""
    return field.get48(b, 0)


def netmask(prefix: u32) -> u32:
    if prefix == 0:
        return 0
    if prefix >= 32:
        return 0xFFFFFFFF
    return u32(0xFFFFFFFF) << (32 - prefix)


def prefix_of(mask: u32) -> i32:
    """The prefix length of a contiguous netmask, or -1 when its ones have a hole."""
    n: i32 = 0
    while n < 32 and (mask >> (31 - n)) & 1 == 1:
        n += 1
    if n < 32 and mask << n != 0:
        return -1
    return n


def is_multicast_mac(mac: u64) -> bool:
    """The group bit, the low bit of the first byte (IEEE 802.3); broadcast has it too."""
    return (mac >> 40) & 1 == 1


def is_multicast(ip: u32) -> bool:
    return ip >> 28 == 14                    # 224.0.0.0/4 (RFC 1112)


def write_ip(w: Ptr[Writer], ip: u32) -> None:
    w.write(f"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}")


def write_mac(w: Ptr[Writer], mac: u64) -> None:
    for i in range(6):
        if i > 0:
            w.write(":")
        w.write(f"{(mac >> u64(40 - 8 * i)) & 255:02x}")


def ip_str(t: Ptr[Text], ip: u32) -> Str:
    """ip as a.b.c.d in t's buffer: valid until t is reused."""
    w = Writer(buf=addr(t.buf[0]), cap=len(t.buf))
    write_ip(addr(w), ip)
    return w.text()


def mac_str(t: Ptr[Text], mac: u64) -> Str:
    w = Writer(buf=addr(t.buf[0]), cap=len(t.buf))
    write_mac(addr(w), mac)
    return w.text()


def parse_ip(s: Str, out: Ptr[u32]) -> bool:
    """a.b.c.d, each part a decimal 0..255; False (out untouched) otherwise."""
    ip: u32 = 0
    part: u32 = 0
    digits = 0
    dots = 0
    for c in s:
        if 48 <= c <= 57:
            part = part * 10 + u32(c - 48)
            digits += 1
            if digits > 3 or part > 255:
                return False
        elif c == 46 and digits > 0 and dots < 3:     # '.'
            ip = (ip << 8) | part
            part = 0
            digits = 0
            dots += 1
        else:
            return False
    if dots != 3 or digits == 0:
        return False
    out[0] = (ip << 8) | part
    return True


def parse_cidr(s: Str, ip: Ptr[u32], prefix: Ptr[u32]) -> bool:
    """a.b.c.d/n (n in 0..32); a bare address means /32."""
    slash = 0
    while slash < len(s) and s[slash] != 47:          # '/'
        slash += 1
    if not parse_ip(s[0:slash], ip):
        return False
    if slash == len(s):
        prefix[0] = 32
        return True
    n: u32 = 0
    rest = s[slash + 1:len(s)]
    if len(rest) == 0 or len(rest) > 2:
        return False
    for c in rest:
        if c < 48 or c > 57:
            return False
        n = n * 10 + u32(c - 48)
    if n > 32:
        return False
    prefix[0] = n
    return True
