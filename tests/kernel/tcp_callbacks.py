# The service tests/test_tcp_callbacks.py talks to: four ports in callback form
# (kernel/net/tcp_server.py), all served by one thread, the main one.
#   7  echo: what comes in goes back; flow-controlled by what send() takes.
#   10 echo with keep-alive, for peers that vanish (keepalive_ms=N below).
#   9  line count: reads to the end of the stream, answers "lines N bytes M\n", closes.
#   8  status: answers "live L served S conns C refused R\n" and the connections by state (tcp.live_connections(),
#      connections accepted, connections being served, refused) and closes; the
#      asking connection is one of L and C.
# msl_ms=N shortens TIME-WAIT to 2N ms; keepalive_ms=N turns keep-alive on for port 10's
# connections (probes every N ms, 3 unanswered: TIMEOUT). Only there: a keep-alive this
# short takes a busy link's lost answers for a dead peer.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.net.net as net
import kernel.net.tcp as tcp
import kernel.net.tcp_server as tcp_server


@struct
class Count:
    lines: u64
    bytes: u64


server: Ptr[tcp_server.Server] = None
keepalive_ns: u64 = 0
resets: u64 = 0                        # connections that ended in a reset or a timeout
timeouts: u64 = 0


def echo_accept(c: Ptr[tcp_server.Conn]) -> Ptr[None]:
    return None


def watched_accept(c: Ptr[tcp_server.Conn]) -> Ptr[None]:
    if keepalive_ns != 0:
        tcp_server.set_keepalive(c, keepalive_ns, keepalive_ns, 3)
    return None


def echo_data(c: Ptr[tcp_server.Conn], data: Bytes) -> u64:
    if len(data) == 0:
        tcp_server.close(c)
        return 0
    n = tcp_server.send(c, data)
    if n < 0:
        tcp_server.abort(c)
        return 0
    return u64(n)


def closed(c: Ptr[tcp_server.Conn]) -> None:
    global resets, timeouts
    f = tcp_server.failure(c)
    if f != tcp.Failure.NONE:
        resets += 1
    if f == tcp.Failure.TIMEOUT:
        timeouts += 1


def count_accept(c: Ptr[tcp_server.Conn]) -> Ptr[None]:
    return cast(Ptr[None], new(Count))


def count_data(c: Ptr[tcp_server.Conn], data: Bytes) -> u64:
    n = cast(Ptr[Count], tcp_server.context(c))
    if len(data) == 0:
        buf: Array[u8, 64]
        w = Writer(buf=addr(buf[0]), cap=len(buf))
        w.write(f"lines {n.lines} bytes {n.bytes}\n")
        tcp_server.send(c, w.bytes())
        tcp_server.close(c)
        return 0
    for b in data:
        if b == 10:
            n.lines += 1
    n.bytes += u64(len(data))
    return u64(len(data))


def count_close(c: Ptr[tcp_server.Conn]) -> None:
    closed(c)
    free(cast(Ptr[Count], tcp_server.context(c)))


def status_accept(c: Ptr[tcp_server.Conn]) -> Ptr[None]:
    buf: Array[u8, 512]
    w = Writer(buf=addr(buf[0]), cap=len(buf))
    w.write(f"live {tcp.live_connections()} served {server.accepted} conns {tcp_server.live(server)} "
            f"refused {server.refused} resets {resets} timeouts {timeouts}\n")
    tcp.write_states(addr(w))           # a second line: the connections by state (for failure messages)
    w.write("\n")
    tcp_server.send(c, w.bytes())
    tcp_server.close(c)
    return None


def ignore_data(c: Ptr[tcp_server.Conn], data: Bytes) -> u64:
    return u64(len(data))


def main() -> i32:
    global server, keepalive_ns
    if not net.up():
        return 1
    if cmdline.has("msl_ms"):
        tcp.msl_ns = u64(cmdline.int_value("msl_ms", 30000)) * 1000000
    keepalive_ns = u64(cmdline.int_value("keepalive_ms", 0)) * 1000000
    echo = tcp_server.Callbacks(on_accept=echo_accept, on_data=echo_data, on_close=closed)
    watched = tcp_server.Callbacks(on_accept=watched_accept, on_data=echo_data, on_close=closed)
    count = tcp_server.Callbacks(on_accept=count_accept, on_data=count_data, on_close=count_close)
    status = tcp_server.Callbacks(on_accept=status_accept, on_data=ignore_data, on_close=closed)
    server = tcp_server.create()
    if not tcp_server.listen(server, 7, addr(echo), 128) or not tcp_server.listen(server, 9, addr(count), 64) \
            or not tcp_server.listen(server, 8, addr(status), 16) \
            or not tcp_server.listen(server, 10, addr(watched), 64):
        print("tcp_callbacks: a port is taken")
        return 1
    print("tcp_callbacks: ready")
    tcp_server.run(server)
    return 0
