"""HTTP/1.1 over TCP: a server loop for services (kaa/http/connection.py over net.tcp_*).

    r: http.Router
    http.route(addr(r), "GET", "/", hello)
    httpd.serve(80, addr(r))                # never returns while the network is up

or, to choose limits in the service:

    s = httpd.start(80, addr(r))            # the defaults, then http.* on the command line
    s.limits.max_body = 8 << 20             # the service's own choice wins over both
    s.per_address = 16
    httpd.run(s)

Each accepted connection gets a thread (on CPU 0, where the network runs) that drives
one HttpConnection through its blocking socket: keep-alive, pipelining, request limits
and deadlines are kaa/http/connection.py's. Nothing a client does holds the server's
resources for long:
- at most max_connections are served at once (more wait in the listener's backlog),
  and at most per_address of them come from one client address: more are answered 503
  with Retry-After and closed at once (nginx's limit_conn), so one address never takes
  every connection;
- a request must arrive whole within limits.request_timeout_ns of its first byte (else
  408), a new connection must begin its first request within that time too, and a
  kept-alive one is closed after limits.idle_timeout_ns without a request;
- a client that takes no byte of a response for limits.send_timeout_ns (it stopped
  reading) is reset, and so is one that has not acknowledged the end of the last
  response that long after its connection is done: a graceful close would leave the
  stack probing a shut window forever.

The kernel command line sets them for every server (`kaa run app.py -- http.send_timeout=10`):
    http.max_body=BYTES  http.request_timeout=S  http.idle_timeout=S  http.send_timeout=S
    http.max_connections=N  http.per_address=N (0: no cap)
A bad value is reported on the console and the default kept. The counters print when
`h` is typed on the console, and at exit with `netstat` on the command line.
"""

from __future__ import annotations

from kaa.lang import *
import kaa.http.connection as http
import kaa.http.parse as parse
import kernel.arch.x86_64.power as power
import kernel.cmdline as cmdline
import kernel.drivers.console_input as console_input
import kernel.net.net as net
import kernel.threads as threads

BACKLOG: Final = 128
MAX_CONNECTIONS: Final = 400        # at most about 235 KiB each (a 16 KiB stack, 80 KiB of buffers,
                                    # 128 KiB of TCP rings): 92 MiB, within a 128 MiB machine
PER_ADDRESS: Final = 300            # a proxy in front still gets most; 100 are left for the others
IN_BUFFER: Final = 16384            # a request's head; larger bodies move to a larger buffer
OUT_BUFFER: Final = 65536
LINGER_NS: Final = 2000000000
RESERVE_RETRY_NS: Final = 10_000_000    # with no memory for a connection, look again this often
SHED_AFTER_NS: Final = 1_000_000_000    # and with none served meanwhile, reset a waiting client after this
MOST_SECONDS: Final = 86400
BUSY: Str = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "Content-Length: 24\r\nRetry-After: 1\r\nConnection: close\r\n\r\n503 Service Unavailable\n")


@struct
class Server:
    listener: Ptr[net.TcpSocket]
    router: Ptr[http.Router]
    limits: http.Limits
    max_connections: i32            # served at once; more wait in the listener's backlog
    per_address: i32                # of those, from one client address (0: no cap); more get 503
    port: u16
    next: Ptr[Server]               # every server started, for the counters
    active: i32                     # connections being served
    served: u64                     # connections accepted since start
    refused: u64                    # answered 503: their address had per_address connections
    request_timeouts: u64           # answered 408: a request not whole within request_timeout
    send_timeouts: u64              # reset: the client took nothing for send_timeout
    idle_closes: u64                # closed with no request begun: idle, or new and silent
    unacknowledged: u64             # reset at the end: the last response was never acknowledged
    memory_waits: u64               # times accepting waited: no memory for the next connection
    shed: u64                       # waiting clients reset: no memory to serve one, none being served
    peers: Slice[u32]               # the address of each connection served (0: a free slot)
    slots: threads.WaitQueue        # accept waits here while max_connections are busy


@struct
class Client:
    server: Ptr[Server]
    sock: Ptr[net.TcpSocket]
    http: Ptr[http.HttpConnection]  # its buffers and its thread, taken before the accept (reserve())
    thread: Ptr[threads.Thread]
    slot: i64                       # its entry in server.peers


servers: Ptr[Server] = None
drained: Array[u8, 512]             # what a refused client had sent, thrown away


def serve(port: u16, router: Ptr[http.Router]) -> bool:
    """Serve router on port until the machine stops; False if the port is taken."""
    s = start(port, router)
    if s is None:
        return False
    run(s)
    return True


def start(port: u16, router: Ptr[http.Router]) -> Ptr[Server]:
    """Listen on port with the default limits, then the command line's; the service may
    change the Server's limits and caps before run()."""
    global servers
    l = net.tcp_listen(port, BACKLOG)
    if l is None:
        return None
    s = new(Server)
    s.listener = l
    s.router = router
    s.port = port
    s.limits = http.default_limits()
    s.max_connections = MAX_CONNECTIONS
    s.per_address = PER_ADDRESS
    configure(s)
    if servers is None:
        console_input.bind(104, "http counters", dump)     # 'h'
        if cmdline.has("netstat"):
            power.on_exit(dump)
    s.next = servers
    servers = s
    return s


def configure(s: Ptr[Server]) -> None:
    lim = addr(s.limits)
    lim.max_body = u32(option("http.max_body", i64(lim.max_body), 0, 0x7FFFFFFF, "bytes"))
    lim.request_timeout_ns = seconds("http.request_timeout", lim.request_timeout_ns)
    lim.idle_timeout_ns = seconds("http.idle_timeout", lim.idle_timeout_ns)
    lim.send_timeout_ns = seconds("http.send_timeout", lim.send_timeout_ns)
    s.max_connections = i32(option("http.max_connections", i64(s.max_connections), 1, 65536, "connections"))
    s.per_address = i32(option("http.per_address", i64(s.per_address), 0, 65536, "connections, 0: no cap"))


def option(name: Str, default: i64, least: i64, most: i64, what: Str) -> i64:
    """name=N from the command line, an integer from least to most; else (said on the
    console) default."""
    if not cmdline.has(name):
        return default
    v = cmdline.int_value(name, least - 1)
    if v < least or v > most:
        print(f"http: bad {name}={cmdline.get(name)} ({what}, {least} to {most}); using {default}")
        return default
    return v


def seconds(name: Str, default_ns: u64) -> u64:
    """A deadline in whole seconds from the command line (1 to a day), as nanoseconds."""
    return u64(option(name, i64(default_ns // parse.SECOND), 1, MOST_SECONDS, "seconds")) * parse.SECOND


def run(s: Ptr[Server]) -> None:
    """Accept connections forever, each served by its own thread."""
    s.peers = new_array(u32, s.max_connections)
    ready: Ptr[Client] = None       # the next connection's memory (reserve())
    stuck_since: u64 = 0            # when reserve() began to fail with nothing being served
    while True:
        while s.active >= s.max_connections:
            threads.wait(addr(s.slots))
        if ready is None:
            ready = reserve(s)
            if ready is None:
                s.memory_waits += 1         # clients wait in the backlog meanwhile
                now = threads.now_ns()
                if s.active > 0 or stuck_since == 0:
                    stuck_since = now
                elif now - stuck_since > SHED_AFTER_NS and net.tcp_shed(s.listener):
                    s.shed += 1             # nothing running will free memory: a waiting client goes
                    stuck_since = now
                threads.wait_timeout(addr(s.slots), RESERVE_RETRY_NS)
                continue
            stuck_since = 0
        sock = net.tcp_accept(s.listener)
        slot = take_slot(s, sock.conn.remote_ip)
        if slot < 0:
            refuse(s, sock)
            continue
        c = ready
        ready = None
        c.sock = sock
        c.slot = slot
        s.active += 1
        s.served += 1
        threads.start_detached(c.thread)


def reserve(s: Ptr[Server]) -> Ptr[Client]:
    """What the next connection needs, taken before it is accepted: its Client, its HTTP
    buffers and its thread. None when memory is short: then nothing is accepted until a
    connection ends (or RESERVE_RETRY_NS passes), and new clients wait in the listener's
    backlog, their handshake done: back-pressure, where a failure after the accept
    would reset them. Should memory stay short with no connection being served (none
    will end and give some back), the oldest waiting client is reset (shed) every
    SHED_AFTER_NS: the machine goes on."""
    c = try_new(Client)
    if c is None:
        return None
    in_size = parse.head_room(addr(s.limits))
    c.http = http.create(addr(s.limits), in_size if in_size > IN_BUFFER else IN_BUFFER, OUT_BUFFER)
    if c.http is not None:
        c.thread = threads.prepare(connection, cast(u64, c), -1)
        if c.thread is not None:
            c.server = s
            return c
        http.destroy(c.http)
    free(c)
    return None


def take_slot(s: Ptr[Server], ip: u32) -> i64:
    """A free entry of s.peers, now ip's; -1 when ip has per_address connections."""
    free_slot: i64 = -1
    same = 0
    for i in range(len(s.peers)):
        if s.peers[i] == ip:
            same += 1
        elif s.peers[i] == 0 and free_slot < 0:
            free_slot = i
    if s.per_address > 0 and same >= s.per_address:
        return -1
    s.peers[free_slot] = ip                 # active < max_connections: there is one
    return free_slot


def refuse(s: Ptr[Server], sock: Ptr[net.TcpSocket]) -> None:
    """503 and close, without waiting for anything: the accept loop goes on at once.
    What the client already sent is read first, so the close is not a reset."""
    s.refused += 1
    now = threads.now_ns()
    answer: Array[u8, 256]
    w = Writer(buf=addr(answer[0]), cap=len(answer))
    w.write(BUSY)
    net.tcp_send_until(sock, w.bytes(), now)
    while net.tcp_recv_until(sock, drained[0:len(drained)], now) > 0:
        pass
    net.tcp_close(sock)


def recv(ctx: Ptr[None], into: Bytes, deadline_ns: u64) -> i64:
    return net.tcp_recv_until(cast(Ptr[Client], ctx).sock, into, deadline_ns)


def send(ctx: Ptr[None], data: Bytes) -> i64:
    c = cast(Ptr[Client], ctx)
    n = net.tcp_send_until(c.sock, data, threads.now_ns() + c.server.limits.send_timeout_ns)
    if n == net.TIMEOUT:
        c.server.send_timeouts += 1
    return n


def connection(arg: u64) -> i64:
    client = cast(Ptr[Client], arg)
    s = client.server
    sock = client.sock
    c = client.http
    t = http.Transport(context=cast(Ptr[None], client), recv=recv, send=send, now=threads.now_ns)
    http.run(c, s.router, addr(t))
    if c.last_status == 408:
        s.request_timeouts += 1
    if c.idle_closed:
        s.idle_closes += 1
    broken = c.broken
    if c.linger and not broken:     # an error went out while the client may still be sending:
        net.tcp_shutdown(sock)      # read what it sends so its TCP does not reset our answer
        until = threads.now_ns() + LINGER_NS
        while net.tcp_recv_until(sock, c.out, until) > 0:
            pass
    http.destroy(c)                 # the buffers go back before the wait below
    if broken:
        net.tcp_abort(sock)
    elif net.tcp_flush_until(sock, threads.now_ns() + s.limits.send_timeout_ns):
        net.tcp_close(sock)
    else:
        s.unacknowledged += 1
        net.tcp_abort(sock)
    s.peers[client.slot] = 0
    free(client)
    s.active -= 1
    threads.wake_one(addr(s.slots))
    return 0


def dump() -> None:
    """A line of counters per server."""
    s = servers
    while s is not None:
        print(f"http :{s.port}: active {s.active}/{s.max_connections}, accepted {s.served}, "
              f"refused {s.refused} (per address {s.per_address}); timeouts: request {s.request_timeouts}, "
              f"send {s.send_timeouts}, idle {s.idle_closes}; unacknowledged {s.unacknowledged}; "
              f"memory waits {s.memory_waits}, shed {s.shed}")
        s = s.next
