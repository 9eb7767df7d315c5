"""Sockets for services: the kernel side of the service-level `socket` module
(kaa/stdlib/socket.py), in int handles.

A handle names a slot of a table here holding one of kernel/net/net.py's sockets: a TCP
connection, a TCP listener or a UDP socket. A handle is the slot's index plus its
generation times MAX_SOCKETS, so a closed (or made-up) handle never reaches a later
socket in the same slot: every call checks it and answers -EBADF.

Results are Linux errno numbers negated, which the service turns into CPython's
exceptions (ECONNREFUSED: ConnectionRefusedError ...); -EAGAIN means the caller's
timeout passed. recv and recvfrom return bytes (an empty result: last_error() says
why: 0 for the end of the stream); recvfrom's sender is in last_sender(). Timeouts are
relative, in nanoseconds; a negative one waits as long as it takes.

Threads are cooperative and the network lives on CPU 0 (net.py): a call blocks the
calling thread on its socket's wait queue and is made from CPU 0, as net's calls are.
Received bytes land in one buffer here that the service copies before it can yield, so
one buffer serves every thread; last_error() and last_sender() likewise.
"""

from kaa.lang import *
import kernel.net.net as net
import kernel.net.tcp as tcp
import kernel.net.tcp_timers as tcp_timers
import kernel.net.udp as udp
import kernel.net.wire.field as field
import kernel.threads as threads

MAX_SOCKETS: Final = 256

FREE: Final = 0
TCP: Final = 1                      # a connection
LISTENER: Final = 2
UDP: Final = 3

# Linux's errno numbers (the service maps them to exception classes and messages)
EBADF: Final = 9
EAGAIN: Final = 11                  # the caller's timeout passed
EMFILE: Final = 24                  # the table is full
EPIPE: Final = 32
EMSGSIZE: Final = 90
EADDRINUSE: Final = 98
ENETUNREACH: Final = 101
ECONNRESET: Final = 104
ENOBUFS: Final = 105
ETIMEDOUT: Final = 110
ECONNREFUSED: Final = 111
EHOSTUNREACH: Final = 113


@struct
class Slot:
    kind: u8
    gen: u64                        # bumped each time the slot is taken
    tcp: Ptr[net.TcpSocket]         # TCP and LISTENER
    udp: Ptr[net.Socket]            # UDP


slots: Array[Slot, 256]
buffer: Array[u8, 65536]            # received bytes, copied out by the service at once
last: i64 = 0                       # why the last recv or recvfrom gave no bytes
sender: i64 = 0                     # the last datagram's source: ip << 16 | port


def up() -> bool:
    """Bring the network up (once); False when the machine has no address."""
    return net.up()


def dhcp_dns() -> u32:
    """The DNS server the DHCP lease named (0: none, or no DHCP)."""
    if not net.up() or not net.use_dhcp:
        return 0
    return net.client.dns


def local_ip() -> u32:
    return net.ifc.ip if net.up() else u32(0)


# ---- the handle table -----------------------------------------------------------------

def take(kind: u8) -> i64:
    """A free slot made `kind`: its handle, or -EMFILE."""
    for i in range(MAX_SOCKETS):
        s = addr(slots[i])
        if s.kind == FREE:
            s.kind = kind
            s.gen += 1
            return i64(s.gen) * MAX_SOCKETS + i
    return -EMFILE


def slot(h: i64, kind: u8) -> Ptr[Slot]:
    """The slot of a live handle of that kind (FREE: any kind), else None."""
    if h < MAX_SOCKETS:
        return None
    s = addr(slots[h % MAX_SOCKETS])
    if s.kind == FREE or u64(h // MAX_SOCKETS) != s.gen or (kind != FREE and s.kind != kind):
        return None
    return s


def deadline(timeout_ns: i64) -> u64:
    """The absolute time a relative timeout ends (0: never)."""
    if timeout_ns < 0:
        return 0
    return threads.now_ns() + u64(timeout_ns) + 1


def wait(q: Ptr[threads.WaitQueue], until: u64) -> bool:
    """Sleep on q until woken or until `until` (0: no limit); False once it has passed."""
    if until == 0:
        threads.wait(q)
        return True
    now = threads.now_ns()
    if now >= until:
        return False
    threads.wait_timeout(q, until - now)
    return True


def failure(c: Ptr[tcp.Connection], otherwise: i64) -> i64:
    """The errno of a connection that broke (otherwise when the stack names no failure)."""
    e = tcp.error(c)
    if e == tcp.Failure.REFUSED:
        return -ECONNREFUSED
    if e == tcp.Failure.RESET:
        return -ECONNRESET
    if e == tcp.Failure.TIMEOUT:
        return -ETIMEDOUT
    if e == tcp.Failure.NO_MEMORY:
        return -ENOBUFS
    return otherwise


# ---- TCP ------------------------------------------------------------------------------

def tcp_connect(ip: u32, port: u16, timeout_ns: i64) -> i64:
    """Open a connection to ip:port and wait for the handshake: a handle, or -errno."""
    if not net.up():
        return -ENETUNREACH
    h = take(TCP)
    if h < 0:
        return h
    c = tcp.connect(addr(net.ifc), ip, port, threads.now_ns())
    if c is None:
        release(h)
        return -ENOBUFS
    net.replan(tcp_timers.deadline(c))      # the SYN's retransmission timer
    s = net.wrap(c)
    if s is None:
        tcp.abort(c, threads.now_ns())
        release(h)
        return -ENOBUFS
    until = deadline(timeout_ns)
    while tcp.state(c) == tcp.State.SYN_SENT:
        if not wait(addr(s.waiters), until):
            net.tcp_abort(s)
            release(h)
            return -EAGAIN
    if tcp.state(c) == tcp.State.CLOSED:
        r = failure(c, -ECONNREFUSED)
        net.tcp_close(s)
        release(h)
        return r
    slots[h % MAX_SOCKETS].tcp = s
    return h


def tcp_listen(port: u16, backlog: u32) -> i64:
    """A listening socket on port: a handle, or -EADDRINUSE."""
    if not net.up():
        return -ENETUNREACH
    h = take(LISTENER)
    if h < 0:
        return h
    s = net.tcp_listen(port, backlog)
    if s is None:
        release(h)
        return -EADDRINUSE
    slots[h % MAX_SOCKETS].tcp = s
    return h


def accept(h: i64, timeout_ns: i64) -> i64:
    """The next connection to listener h: its handle, or -errno."""
    l = slot(h, LISTENER)
    if l is None:
        return -EBADF
    until = deadline(timeout_ns)
    while True:
        c = tcp.accept(l.tcp.listener)
        if c is not None:
            n = take(TCP)
            if n < 0:
                tcp.abort(c, threads.now_ns())
                return n
            s = net.wrap(c)
            if s is None:
                release(n)
                net.refuse(c)           # no memory to serve it: reset, counted; wait for the next
                continue
            slots[n % MAX_SOCKETS].tcp = s
            return n
        if not wait(addr(l.tcp.waiters), until):
            return -EAGAIN


def send(h: i64, data: Bytes, timeout_ns: i64) -> i64:
    """Send all of data, waiting for room: the bytes sent (fewer when the timeout
    passed first; -EAGAIN when none were), or -errno when the connection broke."""
    s = slot(h, TCP)
    if s is None:
        return -EBADF
    c = s.tcp.conn
    until = deadline(timeout_ns)
    done: i64 = 0
    while done < len(data):
        n = tcp.send(c, data[done:len(data)], threads.now_ns())
        if n < 0:
            return failure(c, -EPIPE)
        net.replan(tcp_timers.deadline(c))
        done += n
        if done < len(data) and not wait(addr(s.tcp.waiters), until):
            return done if done > 0 else -EAGAIN
    return done


def recv(h: i64, most: i64, timeout_ns: i64) -> Bytes:
    """Up to `most` bytes, waiting for some; none at the end of the stream, on a
    timeout or on an error, which last_error() tells apart."""
    global last
    s = slot(h, TCP)
    if s is None:
        last = -EBADF
        return buffer[0:0]
    n = i64(len(buffer)) if most > i64(len(buffer)) or most < 0 else most
    r = net.tcp_recv_until(s.tcp, buffer[0:n], deadline(timeout_ns))
    if r > 0:
        last = 0
        return buffer[0:r]
    last = 0 if r == 0 else -EAGAIN if r == -2 else failure(s.tcp.conn, -ECONNRESET)
    return buffer[0:0]


def last_error() -> i64:
    """Why the last recv or recvfrom gave no bytes: 0 (the end of the stream) or -errno."""
    return last


def shutdown(h: i64, how: i64) -> i64:
    """SHUT_WR (1) and SHUT_RDWR (2) send a FIN after the data; SHUT_RD (0) does nothing."""
    s = slot(h, TCP)
    if s is None:
        return -EBADF
    if how != 0:
        net.tcp_shutdown(s.tcp)
    return 0


def peer(h: i64) -> i64:
    """The remote end of a connection: ip << 16 | port."""
    s = slot(h, TCP)
    if s is None:
        return -EBADF
    return i64(s.tcp.conn.remote_ip) << 16 | i64(s.tcp.conn.remote_port)


def local(h: i64) -> i64:
    """The local end of any socket: ip << 16 | port."""
    s = slot(h, FREE)
    if s is None:
        return -EBADF
    port: u16 = 0
    if s.kind == TCP:
        port = s.tcp.conn.local_port
    elif s.kind == LISTENER:
        port = s.tcp.listener.port
    else:
        port = s.udp.udp.port
    return i64(net.ifc.ip) << 16 | i64(port)


def close(h: i64) -> i64:
    """Close any socket (a connection gracefully) and free its handle."""
    s = slot(h, FREE)
    if s is None:
        return -EBADF
    if s.kind == UDP:
        udp.close(s.udp.udp)
        free(s.udp)
    else:
        net.tcp_close(s.tcp)
    release(h)
    return 0


def release(h: i64) -> None:
    s = addr(slots[h % MAX_SOCKETS])
    s.kind = FREE
    s.tcp = None
    s.udp = None


# ---- UDP ------------------------------------------------------------------------------

def udp_open(port: u16) -> i64:
    """A UDP socket on port (0: any free one): a handle, or -errno."""
    if not net.up():
        return -ENETUNREACH
    h = take(UDP)
    if h < 0:
        return h
    s = net.udp_bind(port)
    if s is None:
        release(h)
        return -EADDRINUSE
    slots[h % MAX_SOCKETS].udp = s
    return h


def sendto(h: i64, ip: u32, port: u16, data: Bytes) -> i64:
    """One datagram to ip:port: its length, or -errno."""
    s = slot(h, UDP)
    if s is None:
        return -EBADF
    if len(data) > udp.max_payload(s.udp.udp):
        return -EMSGSIZE
    if not net.udp_send(s.udp, ip, port, data):
        return -EHOSTUNREACH
    return i64(len(data))


def recvfrom(h: i64, most: i64, timeout_ns: i64) -> Bytes:
    """The next datagram (its first `most` bytes, the rest discarded), its sender in
    last_sender(); none on a timeout (last_error() -EAGAIN) or a bad handle."""
    global last, sender
    s = slot(h, UDP)
    if s is None:
        last = -EBADF
        return buffer[0:0]
    d: udp.Datagram
    if timeout_ns < 0:
        net.udp_recv(s.udp, addr(d))
    elif not net.udp_recv_timeout(s.udp, addr(d), u64(timeout_ns)):
        last = -EAGAIN
        return buffer[0:0]
    n = i64(len(d.payload))
    if n > most and most >= 0:
        n = most
    if n > i64(len(buffer)):
        n = i64(len(buffer))
    field.copy(buffer[0:n], d.payload[0:n])
    sender = i64(d.src_ip) << 16 | i64(d.src_port)
    net.udp_done(addr(d))
    last = 0
    return buffer[0:n]


def last_sender() -> i64:
    """The source of the datagram recvfrom() returned last: ip << 16 | port."""
    return sender
