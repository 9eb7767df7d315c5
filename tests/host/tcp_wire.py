# kernel/net/wire/tcp.py on the host. Each line (or command-line word) is a command:
#   parse:SRC:DST:HEX   parse HEX as a segment between the dotted addresses; print the
#                       fields and the bytes emit() writes back for them
#   fuzz:HEX            HEX with its checksum fixed (between 10.0.0.1 and 10.0.0.2) is
#                       parsed; what parses is emitted, parsed again and must describe
#                       the same fields ("mismatch" otherwise), and emit_gather() with
#                       half the payload external must write the same header
#   seq:A:B             lt le gt ge max min of two sequence numbers (decimal)
#   win:X:START:SIZE    seq_in_window;  between:LO:X:HI  seq_between
from kaa.lang import *
import kernel.net.wire.field as field
import kernel.net.wire.checksum as checksum
import kernel.net.wire.address as address
import kernel.net.wire.tcp as tcp
from kernel.net.wire.field import Error
import net_hex

input_buf: Array[u8, 4096]
out_buf: Array[u8, 4096]
gather_buf: Array[u8, 4096]
mismatches: i32 = 0
A: Final = 0x0A000001
B: Final = 0x0A000002


def describe(w: Ptr[Writer], r: Ptr[tcp.Repr]) -> None:
    w.write(f" sport={r.src_port} dport={r.dst_port} seq={r.seq} ack={r.ack} flags={r.flags:02x}")
    w.write(f" win={r.window} urg={r.urgent} mss={r.mss}")
    if r.has_window_scale:
        w.write(f" ws={r.window_scale}")
    if r.sack_permitted:
        w.write(" sackp")
    for i in range(i64(r.sack_count)):
        w.write(f" sack={r.sack[2 * i]}-{r.sack[2 * i + 1]}")
    if r.has_timestamps:
        w.write(f" ts={r.ts_val},{r.ts_ecr}")
    w.write(f" len={r.seg_len()} payload=")
    net_hex.write_hex(w, r.payload)


def same_sack(a: Ptr[tcp.Repr], b: Ptr[tcp.Repr]) -> bool:
    """b was emitted from a: the SACK blocks that fit went through."""
    n = tcp.sack_blocks(a)
    if i64(b.sack_count) != n:
        return False
    for i in range(2 * n):
        if a.sack[i] != b.sack[i]:
            return False
    return True


def same(a: Ptr[tcp.Repr], b: Ptr[tcp.Repr]) -> bool:
    return same_sack(a, b) and a.src_port == b.src_port and a.dst_port == b.dst_port and a.seq == b.seq \
        and a.ack == b.ack \
        and a.flags == b.flags and a.window == b.window and a.urgent == b.urgent and a.mss == b.mss \
        and a.has_window_scale == b.has_window_scale and a.window_scale == b.window_scale \
        and a.sack_permitted == b.sack_permitted and a.has_timestamps == b.has_timestamps \
        and a.ts_val == b.ts_val and a.ts_ecr == b.ts_ecr and field.same(a.payload, b.payload)


def do_parse(src: u32, dst: u32, b: Bytes) -> None:
    w = net_hex.line()
    r: tcp.Repr
    e = tcp.parse(b, src, dst, addr(r))
    w.write(f"tcp {field.error_name(e)}")
    if e == Error.OK:
        describe(addr(w), addr(r))
        out = out_buf[0:tcp.buffer_len(addr(r))]
        tcp.emit(addr(r), out, src, dst)
        w.write(" emit=")
        net_hex.write_hex(addr(w), out)
    print(w.text())


def fix_checksum(b: Bytes) -> None:
    if len(b) < tcp.HEADER_LEN or len(b) > 0xFFFF:
        return
    field.put16(b, tcp.CHECKSUM, 0)
    acc = checksum.pseudo_header(A, B, tcp.PROTOCOL, u16(len(b)))
    field.put16(b, tcp.CHECKSUM, checksum.finish(checksum.add(acc, b)))


def do_fuzz(b: Bytes) -> None:
    global mismatches
    fix_checksum(b)
    r: tcp.Repr
    e = tcp.parse(b, A, B, addr(r))
    if e != Error.OK:
        print(f"fuzz {field.error_name(e)}")
        return
    out = out_buf[0:tcp.buffer_len(addr(r))]
    tcp.emit(addr(r), out, A, B)
    again: tcp.Repr
    e2 = tcp.parse(out, A, B, addr(again))
    if e2 != Error.OK or not same(addr(r), addr(again)) or not gathers_alike(addr(r), out):
        mismatches += 1
        print("fuzz ok mismatch")
    else:
        print("fuzz ok same")


def gathers_alike(r: Ptr[tcp.Repr], out: Bytes) -> bool:
    """emit_gather() with the payload's second half left external writes the same
    header and checksum as emit() with all of it in place."""
    n = len(r.payload)
    k = (n // 2) & ~1
    part = r[0]
    part.payload = r.payload[0:k]
    ext = r.payload[k:n]
    h = tcp.header_len(r)
    g = gather_buf[0:h + k]
    tcp.emit_gather(addr(part), g, A, B, ext)
    for i in range(h + k):
        if g[i] != out[i]:
            return False
    return True


def num(s: Str) -> u32:
    return u32(net_hex.number(s))


def do_seq(a: u32, b: u32) -> None:
    print(f"seq {tcp.seq_lt(a, b)} {tcp.seq_le(a, b)} {tcp.seq_gt(a, b)} {tcp.seq_ge(a, b)} "
          f"{tcp.seq_max(a, b)} {tcp.seq_min(a, b)}")


def run(cmd: Str) -> None:
    kind = net_hex.split(cmd, 58, 0)
    if kind == "parse":
        src: u32 = 0
        dst: u32 = 0
        address.parse_ip(net_hex.split(cmd, 58, 1), addr(src))
        address.parse_ip(net_hex.split(cmd, 58, 2), addr(dst))
        do_parse(src, dst, net_hex.unhex(net_hex.split(cmd, 58, 3), input_buf[0:len(input_buf)]))
    elif kind == "fuzz":
        do_fuzz(net_hex.unhex(net_hex.split(cmd, 58, 1), input_buf[0:len(input_buf)]))
    elif kind == "seq":
        do_seq(num(net_hex.split(cmd, 58, 1)), num(net_hex.split(cmd, 58, 2)))
    elif kind == "win":
        x = num(net_hex.split(cmd, 58, 1))
        print(f"win {tcp.seq_in_window(x, num(net_hex.split(cmd, 58, 2)), num(net_hex.split(cmd, 58, 3)))}")
    elif kind == "between":
        lo = num(net_hex.split(cmd, 58, 1))
        print(f"between {tcp.seq_between(lo, num(net_hex.split(cmd, 58, 2)), num(net_hex.split(cmd, 58, 3)))}")
    else:
        print(f"unknown {cmd}")


def main() -> i32:
    args = net_hex.script()
    start = 0
    for i in range(len(args) + 1):
        if i == len(args) or net_hex.is_space(args[i]):
            if i > start:
                run(args[start:i])
            start = i + 1
    return 1 if mismatches > 0 else 0
