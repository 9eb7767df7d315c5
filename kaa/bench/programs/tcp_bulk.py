"""A TCP sink and a TCP source for `kaa bench tcp`: bulk throughput one way at a time.

    kaa run kaa/bench/programs/tcp_bulk.py -p 5001:5001 -p 5002:5002

  port 5001  sink:   reads and discards everything the peer sends; at the end of the
                     stream it answers "received N" (the byte count) and closes, so
                     the host times the data as the guest got it, not as it left.
  port 5002  source: sends a 64 KiB pattern over and over until the peer closes or
                     resets the connection.

Each connection has its own thread (on CPU 0, as the network API asks). `sink=P` and
`source=P` on the command line move the ports. It prints "tcp_bulk: ready" once both
listen.
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.net.net as net
import kernel.threads as threads

CHUNK: Final = 65536
BACKLOG: Final = 16


def sink(arg: u64) -> i64:
    s = cast(Ptr[net.TcpSocket], arg)
    buf = new_array(u8, CHUNK)
    total: u64 = 0
    while True:
        n = net.tcp_recv(s, buf)
        if n <= 0:
            break
        total += u64(n)
    line: Array[u8, 48]
    w = Writer(buf=addr(line[0]), cap=len(line))
    w.write(f"received {total}\n")
    net.tcp_send(s, w.bytes())
    net.tcp_close(s)
    free(buf)
    return 0


def source(arg: u64) -> i64:
    s = cast(Ptr[net.TcpSocket], arg)
    buf = new_array(u8, CHUNK)
    for i in range(CHUNK):
        buf[i] = u8(i * 7 + 1)
    while net.tcp_send(s, buf) == CHUNK:
        pass
    net.tcp_close(s)
    free(buf)
    return 0


def serve(listener: Ptr[net.TcpSocket], handler: Fn[[u64], i64]) -> None:
    while True:
        threads.spawn_detached(handler, cast(u64, net.tcp_accept(listener)), 0)


def accept_sources(arg: u64) -> i64:
    serve(cast(Ptr[net.TcpSocket], arg), source)
    return 0


def main() -> i32:
    if not net.up():
        return 1
    sink_port = cmdline.int_value("sink", 5001)
    source_port = cmdline.int_value("source", 5002)
    sinks = net.tcp_listen(u16(sink_port), BACKLOG)
    sources = net.tcp_listen(u16(source_port), BACKLOG)
    if sinks is None or sources is None:
        print(f"tcp_bulk: port {sink_port} or {source_port} is taken")
        return 1
    threads.spawn_detached(accept_sources, cast(u64, sources), 0)
    print(f"tcp_bulk: ready (sink {sink_port}, source {source_port})")
    serve(sinks, sink)
    return 0
