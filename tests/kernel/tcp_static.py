# The service tests/test_tcp_static.py talks to: zero-copy sends of static data.
# `table` (1 MiB) is filled once at boot and never written again. On port 9 a client
# sends one line "REPS MODE\n"; the answer is REPS blocks, then the end of the stream.
# Block r is the header "block rrrrrrrr\n" (sent by copy), then the whole table, sent
# as MODE says: "static" in three pieces, table[0:a] and table[a+100:] by reference
# (net.tcp_send_static) with table[a:a+100] copied between them (net.tcp_send), a
# varying with r, so the two kinds interleave on one connection; "copy" all by
# tcp_send. The server then shuts down its side and waits for the client's end of
# stream (so the client has everything), and the console says what went out:
#   tcp_static: conn K MODE bytes B segments S zero-copy Z copied C linearized L
#               unacknowledged U ms T
# over the connection's life (one connection at a time): data segments sent, frames
# whose payload the NIC read in place, the rest (C = S - Z), external payloads copied
# instead (the ring had one descriptor left), static bytes still unacknowledged (0),
# and the milliseconds from the request to the client's end of stream.
from kaa.lang import *
import kernel.net.net as net
import kernel.threads as threads

TABLE: Final = 1048576
PORT: Final = 9

table: Array[u8, 1048576]
conns: u64 = 0


def fill() -> None:
    for i in range(TABLE):
        table[i] = u8((u32(i) * 2654435761) >> 24) ^ u8(i >> 12)


def read_line(s: Ptr[net.TcpSocket], buf: Bytes) -> i64:
    """Bytes up to the first newline (not counted); -1 if the stream ends first."""
    n: i64 = 0
    while n < len(buf):
        r = net.tcp_recv(s, buf[n:n + 1])
        if r <= 0:
            return -1
        if buf[n] == 10:
            return n
        n += 1
    return -1


def number(b: Bytes) -> u64:
    v: u64 = 0
    for c in b:
        if c < 48 or c > 57:
            break
        v = v * 10 + u64(c - 48)
    return v


def send_block(s: Ptr[net.TcpSocket], r: u64, static: bool) -> bool:
    head: Array[u8, 32]
    w = Writer(buf=addr(head[0]), cap=len(head))
    w.write(f"block {r:08}\n")
    if net.tcp_send(s, w.bytes()) < 0:
        return False
    if not static:
        return net.tcp_send(s, table[0:TABLE]) == TABLE
    a = i64((r * 7919) % 500000 + 1)
    return net.tcp_send_static(s, table[0:a]) == a and net.tcp_send(s, table[a:a + 100]) == 100 \
        and net.tcp_send_static(s, table[a + 100:TABLE]) == TABLE - a - 100


def serve(arg: u64) -> i64:
    global conns
    s = cast(Ptr[net.TcpSocket], arg)
    line: Array[u8, 64]
    n = read_line(s, line[0:len(line)])
    if n < 0:
        net.tcp_close(s)
        return 0
    reps = number(line[0:n])
    static = False                     # the mode word: "static" or "copy"
    for i in range(n - 1):
        if line[i] == 32 and line[i + 1] == 115:
            static = True
    start = threads.now_ns()
    segs0 = net.ifc.stats.tcp_tx_data
    zc0 = net.dev.stats.tx_gathered
    lin0 = net.dev.stats.tx_linearized + net.ifc.stats.tx_linearized
    sent: u64 = 0
    for r in range(reps):
        if not send_block(s, r, static):
            break
        sent += 15 + TABLE
    net.tcp_shutdown(s)                # queued is not sent: wait for the client to have it all
    while net.tcp_recv(s, line[0:len(line)]) > 0:
        pass
    left = net.tcp_unacknowledged_static(s)
    ms = (threads.now_ns() - start) // 1000000
    net.tcp_close(s)
    conns += 1
    segs = net.ifc.stats.tcp_tx_data - segs0
    zc = net.dev.stats.tx_gathered - zc0
    lin = net.dev.stats.tx_linearized + net.ifc.stats.tx_linearized - lin0
    print(f"tcp_static: conn {conns} {'static' if static else 'copy'} bytes {sent} segments {segs} "
          f"zero-copy {zc} copied {segs - zc} linearized {lin} unacknowledged {left} ms {ms}")
    return 0


def main() -> i32:
    fill()
    if not net.up():
        return 1
    l = net.tcp_listen(PORT, 16)
    print(f"tcp_static: ready on {net.dev.name}")
    while True:
        threads.spawn_detached(serve, cast(u64, net.tcp_accept(l)), -1)
    return 0
