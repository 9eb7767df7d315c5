"""TCP servers in callback form: one thread serves every connection of a service.

    def greet(c: Ptr[tcp_server.Conn]) -> Ptr[None]:
        return None                                     # the connection's context

    def echo(c: Ptr[tcp_server.Conn], data: Bytes) -> u64:
        if len(data) == 0:                              # the end of the peer's stream
            tcp_server.close(c)
            return 0
        n = tcp_server.send(c, data)                    # never blocks: takes what fits
        return u64(n) if n > 0 else 0                   # bytes consumed; the rest comes again

    def bye(c: Ptr[tcp_server.Conn]) -> None:
        pass                                            # free the context here

    cb = tcp_server.Callbacks(on_accept=greet, on_data=echo, on_close=bye)
    s = tcp_server.create()
    tcp_server.listen(s, 7, addr(cb), 64)               # False when port 7 is taken
    tcp_server.run(s)                                   # serves forever (start(s): in a new thread)

Design. A Server is one thread (the dispatcher, on the network's CPU) and a queue of
connections that have something to handle; it serves any number of listening ports.
kernel/net/tcp.py's ready hooks run inside its input() and tick(), where calling back
into the stack is forbidden, so the hooks here only record the events in the Conn,
link it onto the server's queue (intrusive: no allocation; a `queued` flag keeps a
connection on it at most once) and wake the dispatcher. The dispatcher takes
connections off the queue in order and runs the callbacks, where the whole tcp API is
allowed. Threads are cooperative, so nothing here takes a lock; all calls must come
from threads of the network's CPU (net.NET_CPU). After DISPATCH_BATCH connections in a
row the dispatcher yields, so the network thread polls the device in between.

Callbacks (a Callbacks struct, copied by listen(); on_writable may be None):
- on_accept(c) -> context: a new connection. What it returns is context(c). It may
  send, or close() / abort() to refuse.
- on_data(c, data) -> consumed: the bytes received and not yet consumed, in order;
  it returns how many of them it consumed (0 .. len(data)). Bytes not consumed are
  offered again, in front of newer ones, when more data arrives, when the connection
  becomes writable, or after wake(c). `data` is a view of the connection's stage (a
  buffer of STAGE bytes): valid during the call only. While the stage is full and the
  service consumes nothing, nothing more is read, the TCP receive ring fills and the
  window closes: back-pressure reaches the peer. Once the peer's stream has ended
  (FIN) and everything before it was consumed, on_data is called once with empty
  data; the service then sends what it still owes and closes.
- on_writable(c): after a send() took fewer bytes than asked, send space has been
  freed (the staged data is offered again right after).
- on_close(c): last, exactly once per accepted connection, whatever ended it: the
  service's close() or abort(), the peer's reset, a timeout. failure(c) says which
  (tcp.Failure.NONE when the service closed a healthy connection). After a reset or
  a timeout no other callback runs: data still staged is dropped, as TCP drops it. Free the context here; c is freed
  when it returns.

From the callbacks (and from other threads of that CPU): send() (non-blocking: bytes
taken, maybe fewer than asked, -1 once the connection cannot send), close() (the stack
sends what is queued, then a FIN, and finishes on its own; unread data makes it a
reset, as tcp.close() does), abort() (a reset), wake(). After close() or abort(), send()
returns -1 and on_data is not called again; on_close follows when the callback
returns. A service that must notice peers that vanish without a word turns on
keep-alive in on_accept (set_keepalive): the connection then fails with TIMEOUT and
on_close runs.

Resources. Per connection: a Conn and its stage, allocated at accept (a connection
refused for want of memory is reset), freed after on_close; the tcp.Connection is
handed back to the stack (tcp.close) at the same time, or at close()/abort(). live(s)
counts the connections being served.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.net.net as net
import kernel.net.tcp as tcp
import kernel.net.tcp_ring as ring
import kernel.net.tcp_timers as tcp_timers
import kernel.net.wire.field as field
import kernel.threads as threads

STAGE: Final = 16384                   # stage bytes per connection (at most on_data's data)
DISPATCH_BATCH: Final = 64             # connections handled before the dispatcher yields


@struct
class Callbacks:
    on_accept: Fn[[Ptr[Conn]], Ptr[None]]
    on_data: Fn[[Ptr[Conn], Bytes], u64]
    on_writable: Fn[[Ptr[Conn]], None]
    on_close: Fn[[Ptr[Conn]], None]


@struct
class Port:
    next: Ptr[Port]                    # the server's ports
    server: Ptr[Server]
    listener: Ptr[tcp.Listener]
    callbacks: Callbacks
    acceptable: bool                   # the listener has connections waiting


@struct
class Conn:
    # Written by the hooks (inside tcp input/tick) and the dispatcher.
    next: Ptr[Conn]                    # link in the server's queue
    queued: bool
    events: u32                        # tcp events since the dispatcher last looked
    # The dispatcher's and the service's.
    port: Ptr[Port]
    tcp: Ptr[tcp.Connection]           # None once closed or aborted by the service
    context: Ptr[None]                 # on_accept's result
    stage: Bytes                       # received, not yet consumed: stage[0:staged]
    staged: u32
    ended: bool                        # the peer's stream ended (recv read 0)
    end_told: bool                     # on_data heard the end
    blocked: bool                      # a send() took less than asked: on_writable is due
    finished: bool                     # close()/abort() called, or the connection died
    failure: tcp.Failure


@struct
class Server:
    ports: Ptr[Port]
    head: Ptr[Conn]                    # the queue: connections with something to handle
    tail: Ptr[Conn]
    accept_due: bool                   # a port has connections waiting
    wakeup: threads.WaitQueue          # the dispatcher waits here
    live: u64                          # connections being served
    accepted: u64                      # connections accepted since create()
    refused: u64                       # accepted by tcp but reset for want of memory


# ---- setting up ----------------------------------------------------------------------

def create() -> Ptr[Server]:
    """A server with no ports yet; net.up() must have succeeded."""
    return new(Server)


def listen(s: Ptr[Server], port: u16, callbacks: Ptr[Callbacks], backlog: u32) -> bool:
    """Serve port with callbacks (copied); False when the port is taken."""
    assert callbacks.on_accept is not None and callbacks.on_data is not None and callbacks.on_close is not None, \
        "tcp_server.listen: on_accept, on_data and on_close are required"
    l = tcp.listen(addr(net.ifc), port, backlog)
    if l is None:
        return False
    p = new(Port)
    p.server = s
    p.listener = l
    p.callbacks = callbacks[0]
    p.next = s.ports
    s.ports = p
    l.ready = listener_ready
    l.context = cast(Ptr[None], p)
    return True


def run(s: Ptr[Server]) -> None:
    """Dispatch forever in the calling thread (of the network's CPU)."""
    if threads.cpu_id() != net.NET_CPU:
        panic("tcp_server.run: call it from CPU 0, where the network runs")
    done = 0
    while True:
        if s.accept_due:
            accept_all(s)
        k = s.head
        if k is None:
            done = 0
            threads.wait(addr(s.wakeup))
            continue
        s.head = k.next
        if s.head is None:
            s.tail = None
        k.next = None
        k.queued = False
        dispatch(k)
        done += 1
        if done == DISPATCH_BATCH:
            done = 0
            threads.yield_now()


def start(s: Ptr[Server]) -> Ptr[threads.Thread]:
    """run(s) in a new thread on the network's CPU."""
    return threads.spawn(run_thread, cast(u64, s), net.NET_CPU)


def run_thread(arg: u64) -> i64:
    run(cast(Ptr[Server], arg))
    return 0


# ---- the hooks: inside tcp.input() and tcp.tick(), so they only queue -------------------

def listener_ready(l: Ptr[tcp.Listener], events: u32) -> None:
    p = cast(Ptr[Port], l.context)
    p.acceptable = True
    p.server.accept_due = True
    threads.wake_one(addr(p.server.wakeup))


def connection_ready(c: Ptr[tcp.Connection], events: u32) -> None:
    k = cast(Ptr[Conn], c.context)
    k.events |= events
    enqueue(k)


def enqueue(k: Ptr[Conn]) -> None:
    if k.queued:
        return
    s = k.port.server
    k.queued = True
    k.next = None
    if s.tail is None:
        s.head = k
    else:
        s.tail.next = k
    s.tail = k
    threads.wake_one(addr(s.wakeup))


# ---- the dispatcher ------------------------------------------------------------------

def accept_all(s: Ptr[Server]) -> None:
    s.accept_due = False
    p = s.ports
    while p is not None:
        if p.acceptable:
            p.acceptable = False
            c = tcp.accept(p.listener)
            while c is not None:
                adopt(p, c)
                c = tcp.accept(p.listener)
        p = p.next


def adopt(p: Ptr[Port], c: Ptr[tcp.Connection]) -> None:
    """A new connection: its Conn and stage, then on_accept. Data (or a FIN) may have
    come before accept(), with no event: the connection is queued to look."""
    s = p.server
    k = try_new(Conn)
    stage = ring.try_new_bytes(STAGE) if k is not None else Bytes(ptr=None, len=0)
    if stage.ptr is None:
        if k is not None:
            free(k)
        s.refused += 1
        tcp.count_refused(c)
        tcp.abort(c, threads.now_ns())
        return
    k.port = p
    k.tcp = c
    k.stage = stage
    c.ready = connection_ready
    c.context = cast(Ptr[None], k)
    s.live += 1
    s.accepted += 1
    k.context = p.callbacks.on_accept(k)
    k.events |= tcp.READABLE
    enqueue(k)


def dispatch(k: Ptr[Conn]) -> None:
    """What k's events call for: on_writable, on_data, and at the end on_close."""
    events = k.events
    k.events = 0
    if not k.finished and tcp.error(k.tcp) != tcp.Failure.NONE:
        k.finished = True              # reset or timed out: what is staged is dropped
        k.failure = tcp.error(k.tcp)
    if not k.finished and events & tcp.WRITABLE != 0 and k.blocked:
        k.blocked = False
        if k.port.callbacks.on_writable is not None:
            k.port.callbacks.on_writable(k)
    if not k.finished:
        deliver(k)
    if not k.finished and tcp.state(k.tcp) == tcp.State.CLOSED:
        k.finished = True              # it died during the callbacks
        k.failure = tcp.error(k.tcp)
    if k.finished and not k.queued:    # queued again by a callback: finish when it comes
        finish(k)


def deliver(k: Ptr[Conn]) -> None:
    """Offer the stage to on_data, refilled from the receive ring, until the service
    consumes nothing, the stage and ring are empty, or the connection is finished."""
    cap = u32(len(k.stage))
    while not k.finished:
        if k.staged < cap and not k.ended:
            n = tcp.recv(k.tcp, k.stage[k.staged:cap])
            if n > 0:
                k.staged += u32(n)
            elif n == 0:
                if tcp.error(k.tcp) != tcp.Failure.NONE:
                    return             # a reset: dispatch() finishes it
                k.ended = True
        if k.staged == 0:
            if k.ended and not k.end_told:
                k.end_told = True
                k.port.callbacks.on_data(k, k.stage[0:0])
            return
        used = k.port.callbacks.on_data(k, k.stage[0:k.staged])
        if k.finished:
            return
        if used > u64(k.staged):
            panic(f"tcp_server.deliver: on_data consumed {used} of {k.staged} bytes")
        if used == 0:
            return                     # offered again on the next event or wake()
        if used < u64(k.staged):
            field.copy(k.stage, k.stage[used:k.staged])     # the rest to the front
        k.staged -= u32(used)


def finish(k: Ptr[Conn]) -> None:
    """on_close, then give everything back."""
    k.port.callbacks.on_close(k)
    if k.tcp is not None:
        release_tcp(k, False)
    free(k.stage)
    k.port.server.live -= 1
    free(k)


def release_tcp(k: Ptr[Conn], reset: bool) -> None:
    c = k.tcp
    k.tcp = None
    c.ready = None
    c.context = None
    if reset:
        tcp.abort(c, threads.now_ns())
    else:
        net.replan(tcp.close(c, threads.now_ns()))


# ---- for the callbacks (and threads of the network's CPU) ----------------------------

def send(k: Ptr[Conn], data: Bytes) -> i64:
    """Queue data without waiting: bytes taken (fewer than asked when the send ring is
    full: on_writable follows once there is room); -1 once the connection cannot send."""
    if k.finished or k.tcp is None:
        return -1
    n = tcp.send(k.tcp, data, threads.now_ns())
    if n >= 0 and n < i64(len(data)):
        k.blocked = True
    net.replan(tcp_timers.deadline(k.tcp))
    return n


def send_space(k: Ptr[Conn]) -> u32:
    """Bytes send() would take now."""
    if k.finished or k.tcp is None:
        return 0
    return tcp.send_space(k.tcp)


def close(k: Ptr[Conn]) -> None:
    """Finish: data already sent goes out, then a FIN (a reset if received data was
    left unread); on_close follows. k stays valid until on_close returns."""
    end(k, False)


def abort(k: Ptr[Conn]) -> None:
    """Reset the connection; on_close follows."""
    end(k, True)


def end(k: Ptr[Conn], reset: bool) -> None:
    if k.finished:
        return
    k.finished = True
    if k.tcp is not None:
        k.failure = tcp.error(k.tcp)   # it may have failed before the service noticed
        release_tcp(k, reset)
    enqueue(k)


def wake(k: Ptr[Conn]) -> None:
    """Offer k's unconsumed data to on_data again (for a service that declined it while
    waiting on something else)."""
    enqueue(k)


def set_keepalive(k: Ptr[Conn], idle_ns: u64, interval_ns: u64, count: u32) -> None:
    """tcp.set_keepalive: a peer that stops answering fails the connection (TIMEOUT)."""
    if k.tcp is not None:
        tcp.set_keepalive(k.tcp, idle_ns, interval_ns, count)


def context(k: Ptr[Conn]) -> Ptr[None]:
    return k.context


def failure(k: Ptr[Conn]) -> tcp.Failure:
    """In on_close: why the connection ended (NONE when the service closed it)."""
    return k.failure


def live(s: Ptr[Server]) -> u64:
    return s.live
