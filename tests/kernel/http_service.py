# The service the HTTP and TCP tests talk to: HTTP on port 80 (GET /, POST /echo that
# answers with the body, GET /conns with the live TCP connection count) and a raw TCP
# echo on port 7 (bulk transfers both ways). msl_ms=N shortens TIME-WAIT to 2N ms.
from kaa.lang import *
import kernel.cmdline as cmdline
import kaa.http.connection as http
import kaa.http.json_writer as json
import kaa.http.server as httpd
import kernel.net.net as net
import kernel.net.tcp as tcp
import kernel.threads as threads

BUFFER: Final = 65536


def hello(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    http.text(resp, 200, "hello\n")


def echo(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    http.send_bytes(resp, 200, "application/octet-stream", req.body)


def conns(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "live", i64(tcp.live_connections()))
    json.end_object(j)


def netstat(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    net.dump()                      # to the console, for a test's failure report
    for i in range(tcp.BUCKETS):
        c = tcp.table[i]
        while c is not None:
            print(f"conn {c.local_port} {c.remote_port} {tcp.state_name(c.state)} una {c.snd_una} nxt {c.snd_nxt} "
                  f"max {c.snd_max} wnd {c.snd_wnd} snd {c.snd.len} cwnd {c.cwnd} rtx {c.rtx_at} "
                  f"persist {c.persisting} rcv_nxt {c.rcv_nxt} adv {c.rcv_adv} rcv {c.rcv.len} "
                  f"ooo {c.ooo_count} ready {c.ready is not None} now {threads.now_ns()}")
            c = c.hnext
    http.text(resp, 200, "dumped\n")


def echo_connection(arg: u64) -> i64:
    s = cast(Ptr[net.TcpSocket], arg)
    buf = new_array(u8, BUFFER)
    while True:
        n = net.tcp_recv(s, buf)
        if n <= 0 or net.tcp_send(s, buf[0:n]) < n:
            break
    net.tcp_close(s)
    free(buf)
    return 0


def tcp_echo(arg: u64) -> i64:
    l = net.tcp_listen(7, 64)
    while True:
        threads.spawn_detached(echo_connection, cast(u64, net.tcp_accept(l)), -1)
    return 0


def main() -> i32:
    if not net.up():
        return 1
    if cmdline.has("msl_ms"):       # shorter TIME-WAIT, so a test can see every connection go
        tcp.msl_ns = u64(cmdline.int_value("msl_ms", 30000)) * 1000000
    router: http.Router
    http.route(addr(router), "GET", "/", hello)
    http.route(addr(router), "POST", "/echo", echo)
    http.route(addr(router), "GET", "/conns", conns)
    http.route(addr(router), "GET", "/netstat", netstat)
    threads.spawn(tcp_echo, 0, -1)
    print("http_service: ready")
    httpd.serve(80, addr(router))
    return 0
