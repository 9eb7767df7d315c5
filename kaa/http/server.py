"""HTTP/1.1 over TCP: a server loop for services (kaa/http/connection.py over net.tcp_*).

    r: http.Router
    http.route(addr(r), "GET", "/", hello)
    httpd.serve(80, addr(r))                # never returns while the network is up

Each accepted connection gets a thread (on CPU 0, where the network runs) that drives
one HttpConnection through its blocking socket: keep-alive, pipelining, limits and
timeouts are kaa/http/connection.py's. At most MAX_CONNECTIONS are served at once; more
wait in the listener's backlog. A client that stops reading is given SEND_TIMEOUT to
take its response, then the connection is reset: a slow client holds one thread, not
the server.
"""

from kaa.lang import *
import kaa.http.connection as http
import kernel.net.net as net
import kernel.threads as threads

BACKLOG: Final = 128
MAX_CONNECTIONS: Final = 256
IN_BUFFER: Final = 16384
OUT_BUFFER: Final = 65536
LINGER_NS: Final = 2000000000


@struct
class Server:
    listener: Ptr[net.TcpSocket]
    router: Ptr[http.Router]
    limits: http.Limits
    active: i32                     # connections being served
    served: u64                     # connections accepted since start
    slots: threads.WaitQueue        # accept waits here while MAX_CONNECTIONS are busy


@struct
class Client:
    server: Ptr[Server]
    sock: Ptr[net.TcpSocket]


def serve(port: u16, router: Ptr[http.Router]) -> bool:
    """Serve router on port until the machine stops; False if the port is taken."""
    s = start(port, router)
    if s is None:
        return False
    run(s)
    return True


def start(port: u16, router: Ptr[http.Router]) -> Ptr[Server]:
    l = net.tcp_listen(port, BACKLOG)
    if l is None:
        return None
    s = new(Server)
    s.listener = l
    s.router = router
    s.limits = http.default_limits()
    return s


def run(s: Ptr[Server]) -> None:
    """Accept connections forever, each served by its own thread."""
    while True:
        while s.active >= MAX_CONNECTIONS:
            threads.wait(addr(s.slots))
        sock = net.tcp_accept(s.listener)
        c = new(Client)
        c.server = s
        c.sock = sock
        s.active += 1
        s.served += 1
        threads.spawn_detached(connection, cast(u64, c), -1)


def recv(ctx: Ptr[None], into: Bytes, deadline_ns: u64) -> i64:
    return net.tcp_recv_until(cast(Ptr[net.TcpSocket], ctx), into, deadline_ns)


def send(ctx: Ptr[None], data: Bytes) -> i64:
    return net.tcp_send(cast(Ptr[net.TcpSocket], ctx), data)


def connection(arg: u64) -> i64:
    client = cast(Ptr[Client], arg)
    s = client.server
    sock = client.sock
    free(client)
    c = http.create(addr(s.limits), IN_BUFFER, OUT_BUFFER)
    t = http.Transport(context=cast(Ptr[None], sock), recv=recv, send=send, now=threads.now_ns)
    http.run(c, s.router, addr(t))
    if c.linger:                    # an error went out while the client may still be sending:
        net.tcp_shutdown(sock)      # read what it sends so its TCP does not reset our answer
        drain: Array[u8, 512]
        until = threads.now_ns() + LINGER_NS
        while net.tcp_recv_until(sock, drain[0:len(drain)], until) > 0:
            pass
    net.tcp_close(sock)
    http.destroy(c)
    s.active -= 1
    threads.wake_one(addr(s.slots))
    return 0
