# The wire formats of kernel/net/wire on the host. Each command-line word is a command:
#   eth:HEX  arp:HEX  ipv4:HEX  icmp:HEX  dhcp:HEX  udp:SRC:DST:HEX (dotted addresses)
#       parse HEX, print the fields and the bytes emit() writes back for them
#   fuzz:HEX      every parser on HEX; whatever parses is emitted and parsed again, and
#                 must describe the same fields ("mismatch KIND" otherwise)
#   csum:HEX      checksum.of, and the same sum taken in two pieces
#   update:C:OLD:NEW   checksum.update16 (decimal numbers)
#   ip:TEXT       address.parse_cidr and the text forms back
from kaa.lang import *
import kernel.net.wire.field as field
import kernel.net.wire.checksum as checksum
import kernel.net.wire.address as address
import kernel.net.wire.ethernet as ethernet
import kernel.net.wire.arp as arp
import kernel.net.wire.ipv4 as ipv4
import kernel.net.wire.icmp as icmp
import kernel.net.wire.udp as udp
import kernel.net.wire.dhcp as dhcp
from kernel.net.wire.field import Error
import net_hex

input_buf: Array[u8, 4096]
scratch_buf: Array[u8, 4096]
first_buf: Array[u8, 4096]
mismatches: i32 = 0


def scratch() -> Bytes:
    field.zero(scratch_buf[0:len(scratch_buf)])
    return scratch_buf[0:len(scratch_buf)]


def put_ip(w: Ptr[Writer], name: Str, ip: u32) -> None:
    w.write(f" {name}=")
    address.write_ip(w, ip)


def put_mac(w: Ptr[Writer], name: Str, mac: u64) -> None:
    w.write(f" {name}=")
    address.write_mac(w, mac)


def put_hex(w: Ptr[Writer], name: Str, b: Bytes) -> None:
    w.write(f" {name}=")
    net_hex.write_hex(w, b)


# Each kind: parse b; describe the fields into w; emit into out and return the emitted
# bytes (an empty view when the parse failed).

def do_eth(b: Bytes, w: Ptr[Writer], out: Bytes) -> Bytes:
    r: ethernet.Repr
    e = ethernet.parse(b, addr(r))
    w.write(f"eth {field.error_name(e)}")
    if e != Error.OK:
        return out[0:0]
    put_mac(w, "dst", r.dst)
    put_mac(w, "src", r.src)
    w.write(f" type={r.ethertype:04x}")
    ethernet.emit(addr(r), out)
    field.copy(out[ethernet.HEADER_LEN:len(out)], b[ethernet.HEADER_LEN:len(b)])
    return out[0:len(b)]


def do_arp(b: Bytes, w: Ptr[Writer], out: Bytes) -> Bytes:
    r: arp.Repr
    e = arp.parse(b, addr(r))
    w.write(f"arp {field.error_name(e)}")
    if e != Error.OK:
        return out[0:0]
    w.write(f" op={r.op}")
    put_mac(w, "sha", r.sender_mac)
    put_ip(w, "spa", r.sender_ip)
    put_mac(w, "tha", r.target_mac)
    put_ip(w, "tpa", r.target_ip)
    arp.emit(addr(r), out)
    return out[0:arp.LEN]


def do_ipv4(b: Bytes, w: Ptr[Writer], out: Bytes) -> Bytes:
    r: ipv4.Repr
    e = ipv4.parse(b, addr(r))
    w.write(f"ipv4 {field.error_name(e)}")
    if e != Error.OK:
        return out[0:0]
    put_ip(w, "src", r.src)
    put_ip(w, "dst", r.dst)
    w.write(f" proto={r.protocol} ttl={r.ttl} tos={r.tos} id={r.ident} df={r.dont_fragment}")
    w.write(f" mf={r.more_fragments} off={r.frag_offset} plen={r.payload_len} frag={r.is_fragment()}")
    ipv4.emit(addr(r), out)
    n = ipv4.buffer_len(addr(r))
    field.copy(out[ipv4.HEADER_LEN:n], b[r.header_len:r.header_len + r.payload_len])
    return out[0:n]


def do_icmp(b: Bytes, w: Ptr[Writer], out: Bytes) -> Bytes:
    r: icmp.Repr
    e = icmp.parse(b, addr(r))
    w.write(f"icmp {field.error_name(e)}")
    if e == Error.UNSUPPORTED:
        w.write(f" type={r.msg_type} code={r.code}")
    if e != Error.OK:
        return out[0:0]
    w.write(f" type={r.msg_type} code={r.code} id={r.ident} seq={r.seq}")
    put_hex(w, "data", r.data)
    icmp.emit(addr(r), out)
    return out[0:icmp.buffer_len(addr(r))]


def do_udp(b: Bytes, src: u32, dst: u32, w: Ptr[Writer], out: Bytes) -> Bytes:
    r: udp.Repr
    e = udp.parse(b, src, dst, addr(r))
    w.write(f"udp {field.error_name(e)}")
    if e != Error.OK:
        return out[0:0]
    w.write(f" sport={r.src_port} dport={r.dst_port}")
    put_hex(w, "payload", r.payload)
    udp.emit(addr(r), out, src, dst)
    return out[0:udp.buffer_len(addr(r))]


def do_dhcp(b: Bytes, w: Ptr[Writer], out: Bytes) -> Bytes:
    r: dhcp.Repr
    e = dhcp.parse(b, addr(r))
    w.write(f"dhcp {field.error_name(e)}")
    if e != Error.OK:
        return out[0:0]
    w.write(f" op={r.op} xid={r.xid:08x} secs={r.secs} flags={r.flags:04x}")
    put_ip(w, "ciaddr", r.ciaddr)
    put_ip(w, "yiaddr", r.yiaddr)
    put_ip(w, "siaddr", r.siaddr)
    put_ip(w, "giaddr", r.giaddr)
    put_mac(w, "chaddr", r.chaddr)
    w.write(f" type={r.message_type}")
    put_ip(w, "server", r.server_id)
    put_ip(w, "requested", r.requested_ip)
    if r.has_subnet_mask:
        put_ip(w, "mask", r.subnet_mask)
    put_ip(w, "router", r.router)
    put_ip(w, "dns", r.dns)
    w.write(f" lease={r.lease_s} t1={r.renewal_s} t2={r.rebinding_s}")
    return out[0:dhcp.emit(addr(r), out)]


def run(kind: Str, b: Bytes, src: u32, dst: u32, w: Ptr[Writer], out: Bytes) -> Bytes:
    if kind == "eth":
        return do_eth(b, w, out)
    if kind == "arp":
        return do_arp(b, w, out)
    if kind == "ipv4":
        return do_ipv4(b, w, out)
    if kind == "icmp":
        return do_icmp(b, w, out)
    if kind == "udp":
        return do_udp(b, src, dst, w, out)
    return do_dhcp(b, w, out)


def parse_show(kind: Str, b: Bytes, src: u32, dst: u32) -> None:
    w = net_hex.line()
    emitted = run(kind, b, src, dst, addr(w), scratch())
    if len(emitted) > 0:
        put_hex(addr(w), "emit", emitted)
    print(w.text())


def round_trip(kind: Str, b: Bytes, src: u32, dst: u32) -> None:
    """Parse b; if that works, what emit() writes must parse to the same fields."""
    global mismatches
    w1 = Writer(buf=addr(first_buf[0]), cap=len(first_buf))
    emitted = run(kind, b, src, dst, addr(w1), scratch())
    if len(emitted) == 0:
        return
    again: Array[u8, 4096]
    field.copy(again[0:len(emitted)], emitted)
    w2 = net_hex.line()
    run(kind, again[0:len(emitted)], src, dst, addr(w2), scratch())
    if not (w1.text() == w2.text()):
        mismatches += 1
        print(f"mismatch {kind}")
        print(w1.text())
        print(w2.text())


def fuzz(b: Bytes) -> None:
    src = address.ipv4(10, 0, 2, 2)
    dst = address.ipv4(10, 0, 2, 15)
    round_trip("eth", b, src, dst)
    round_trip("arp", b, src, dst)
    round_trip("ipv4", b, src, dst)
    round_trip("icmp", b, src, dst)
    round_trip("udp", b, src, dst)
    round_trip("dhcp", b, src, dst)


def show_ip(text: Str) -> None:
    ip: u32 = 0
    prefix: u32 = 0
    if not address.parse_cidr(text, addr(ip), addr(prefix)):
        print("ip bad")
        return
    t: address.Text
    mask = address.netmask(prefix)
    w = net_hex.line()
    w.write(f"ip {address.ip_str(addr(t), ip)}/{prefix} hex={ip:08x}")
    w.write(f" mask={address.ip_str(addr(t), mask)} back={address.prefix_of(mask)}")
    print(w.text())


def show_csum(b: Bytes) -> None:
    half = (len(b) // 4) * 2                 # an even split point
    acc = checksum.add(checksum.add(0, b[0:half]), b[half:len(b)])
    print(f"csum {checksum.of(b):04x} {checksum.finish(acc):04x} {checksum.verify(b)}")


def command(word: Str) -> None:
    colon = 0
    while colon < len(word) and word[colon] != 58:      # ':'
        colon += 1
    kind = word[0:colon]
    arg = word[colon + 1:len(word)] if colon < len(word) else ""
    if kind == "ip":
        show_ip(arg)
    elif kind == "update":
        c = u16(net_hex.number(net_hex.split(arg, 58, 0)))
        old = u16(net_hex.number(net_hex.split(arg, 58, 1)))
        new = u16(net_hex.number(net_hex.split(arg, 58, 2)))
        print(f"update {checksum.update16(c, old, new):04x}")
    elif kind == "udp":
        src: u32 = 0
        dst: u32 = 0
        address.parse_ip(net_hex.split(arg, 58, 0), addr(src))
        address.parse_ip(net_hex.split(arg, 58, 1), addr(dst))
        b = net_hex.unhex(net_hex.split(arg, 58, 2), input_buf[0:len(input_buf)])
        parse_show(kind, b, src, dst)
    else:
        b = net_hex.unhex(arg, input_buf[0:len(input_buf)])
        if kind == "fuzz":
            fuzz(b)
        elif kind == "csum":
            show_csum(b)
        else:
            parse_show(kind, b, 0, 0)


def main() -> i32:
    args = net_hex.script()
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or net_hex.is_space(args[i]):
            if i > start:
                command(args[start:i])
            start = i + 1
    return 1 if mismatches > 0 else 0
