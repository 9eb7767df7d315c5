"""An HTTP/1.1 server connection, independent of the transport (RFC 9112 section 9).

An HttpConnection owns an input buffer (requests are parsed in place, so it bounds a
request's head and body), an output buffer (one whole response at a time) and two
deadlines. The transport drives it with step(), which says what to do next:

    READ   read into read_space(c), waiting at most until deadline(c); then call
           received(c, n, now) with the count, 0 meaning the peer closed its side.
           On the deadline, just call step() again: it answers 408 or closes.
    WRITE  write all of output(c), calling sent(c, n) for what went out.
    CLOSE  close the connection: everything there was to send has been written.

    c = http.create(addr(limits), 8192, 16384)
    while True:
        a = http.step(c, addr(router), now())
        if a == http.Action.WRITE: ...send output(c), sent(c, n)...
        elif a == http.Action.READ: ...recv into read_space(c) until deadline(c), received(c, n, now())...
        else: break
    http.destroy(c)

run() is that loop over a Transport: three functions around a blocking socket.

A response whose body comes from a BodySource (http_response.py) is sent as its head
and the first piece together, then one piece per WRITE: each piece is read straight
into the output buffer, at offsets into the body that are multiples of PIECE_ALIGN
(so a file source reads whole blocks from the disk, never through the block cache).
If the first read fails, nothing has gone out yet and the answer becomes a 500; a
later failure leaves the body short of its Content-Length, so the connection closes.

step() parses what has arrived; each complete request goes through the router and
its response is queued before the next pipelined request is looked at, so responses
leave in request order. Keep-alive follows the request (HTTP/1.1 keeps, HTTP/1.0
closes unless asked) and the handler (resp.close). Every error is answered with its
status and Connection: close, then CLOSE; nothing a peer sends makes step() panic or
return READ without room to read into.

Deadlines (slowloris defence): from the first byte of a request to its last, at most
limits.request_timeout_ns, else 408 and close; a new connection must start its first
request within that time too, and a kept-alive one its next within idle_timeout_ns,
else a quiet close (RFC 9112 section 9.5 lets a server close an idle connection). The
send deadline (limits.send_timeout_ns) is the transport's: a send that moves nothing
for that long fails, and run() returns with `broken` set (reset, do not close).

Bodies. A request is parsed in the input buffer, so the buffer bounds it; a connection
made by create() starts with a small one and moves to a larger one when a request
within the limits needs it (a 1 MiB body gets a buffer its size, then the small one is
taken back once it is answered). No memory for it: 503. A route added with
route_stream() gets its body streamed instead: its handler runs as soon as the head is
complete and pulls the body with read_body(), through the fixed buffer (run()'s
transport is what it reads from). If the body then fails (framing, a limit, the request
deadline), the handler's answer is replaced by the error; if the handler leaves part of
it unread, the connection closes after the response.
"""

from kaa.lang import *
import kaa.http.parse as parse
import kaa.http.response as rs
import kaa.http.router as router_mod
from kaa.http.parse import Limits, Parser, Result, default_limits
from kaa.http.request import Header, Method, Request, header, has_header, find_header, \
    query_param, percent_decode
from kaa.http.response import BodySource, Response, set_header, text, send_bytes, send_source, send_copy, \
    json_body, error
from kaa.http.router import Router, route, route_stream
import kernel.net.tcp_ring as tcp_ring
from kaa.http.json_writer import Json

MIN_OUTPUT: Final = rs.HEAD_ROOM + 256
PIECE_ALIGN: Final = 4096          # body pieces start this far apart (a file block)
TIMEOUT: Final = -2                 # Transport.recv/send: the deadline passed (as net.tcp_recv_until)
CONTINUE: Str = "HTTP/1.1 100 Continue\r\n\r\n"


class Action(IntEnum):
    READ = 1
    WRITE = 2
    CLOSE = 3


@struct
class Transport:
    """A blocking byte stream for run(), such as a TCP socket."""
    context: Ptr[None]              # the socket, handed back to each function
    recv: Fn[[Ptr[None], Bytes, u64], i64]   # read into the Bytes, waiting until the deadline
                                    # (ns): the count, 0 at the end of the stream, TIMEOUT,
                                    # or another negative on an error
    send: Fn[[Ptr[None], Bytes], i64]        # write some of the Bytes: the count, <= 0 on an error
                                    # (TIMEOUT: the peer took nothing for the send deadline)
    now: Fn[[], u64]                # the clock deadlines are measured on


@struct
class HttpConnection:
    parser: Parser
    limits: Limits                  # this connection's copy: parser.limits points here
    out: Bytes                      # the output buffer
    pending: Bytes                  # the part of out still to write
    resp: Response
    deadline_ns: u64                # when step() gives up waiting (0: not armed yet)
    in_request: bool                # bytes of a request came since the last response
    closing: bool                   # close once pending is written
    eof: bool                       # the peer will send nothing more
    continue_sent: bool             # 100 Continue already sent for this request
    linger: bool                    # closing after an error: the peer may still be sending
    owned: bool                     # create() allocated the buffers: destroy() frees them
    context: Ptr[None]              # handed to handlers as req.context
    served: u64                     # responses produced, errors included
    last_status: u16                # the status of the latest response
    source: BodySource              # the body being streamed (taken from resp), if any
    body_left: i64                  # bytes of it still to read
    small: Bytes                    # create()'s input buffer, kept while a larger one is used
    head_buf: Bytes                 # where the request's head is, its body moved to a larger
                                    # buffer: kept, with the views into it, until the answer
    routed: bool                    # the route was asked whether it streams this request's body
    body_read: i64                  # bytes of a buffered body read_body() has given
    transport: Ptr[Transport]       # run()'s: read_body() waits on it
    broken: bool                    # the transport failed or a send timed out: reset, do not close
    idle_closed: bool               # closed by a deadline with no request begun


def init(c: Ptr[HttpConnection], inbuf: Bytes, outbuf: Bytes, limits: Ptr[Limits]) -> None:
    """A connection over caller-owned buffers; the connection must not move (the
    parser points into it). outbuf holds one response: HEAD_ROOM bytes of head and
    the body."""
    if len(outbuf) < MIN_OUTPUT or len(inbuf) < 64:
        panic("http.init: buffers too small")
    c[0] = HttpConnection(limits=limits[0], out=outbuf)
    parse.init(addr(c.parser), inbuf, addr(c.limits))
    c.pending = outbuf[0:0]


def create(limits: Ptr[Limits], in_size: i64, out_size: i64) -> Ptr[HttpConnection]:
    """A connection and its buffers (tcp_ring.take_buffer(): whole pages, not zeroed),
    given back with destroy(); None when memory is short (the caller refuses or defers
    the client: no panic)."""
    c = try_new(HttpConnection)
    inbuf = tcp_ring.take_buffer(u32(in_size)) if c is not None else Bytes(ptr=None, len=0)
    outbuf = tcp_ring.take_buffer(u32(out_size)) if inbuf.ptr is not None else Bytes(ptr=None, len=0)
    if outbuf.ptr is None:
        tcp_ring.give_buffer(inbuf)
        if c is not None:
            free(c)
        return None
    init(c, inbuf, outbuf, limits)
    c.owned = True
    c.small = c.parser.buf
    return c


def destroy(c: Ptr[HttpConnection]) -> None:
    end_source(c)                   # the transport gave up in the middle of a body
    if c.owned:
        release_head(c)
        if c.parser.buf.ptr != c.small.ptr:
            free(c.parser.buf)
        tcp_ring.give_buffer(c.small)       # create()'s, page-sized (take_buffer())
        tcp_ring.give_buffer(c.out)
    free(c)


def read_space(c: Ptr[HttpConnection]) -> Bytes:
    return parse.space(addr(c.parser))


def received(c: Ptr[HttpConnection], n: i64, now_ns: u64) -> None:
    """n bytes were read into read_space(c); 0: the peer closed its sending side."""
    if n <= 0:
        c.eof = True
        return
    if n > len(read_space(c)):
        panic("http.received: more bytes than read_space had room for")
    parse.commit(addr(c.parser), n)
    if not c.in_request:
        start_request(c, now_ns)


def feed(c: Ptr[HttpConnection], data: Bytes, now_ns: u64) -> i64:
    """Copy as much of data as fits into read_space and take it as received; how much."""
    space = read_space(c)
    n = len(data) if len(data) < len(space) else len(space)
    for i in range(n):
        space[i] = data[i]
    if n > 0:
        received(c, n, now_ns)
    return n


def output(c: Ptr[HttpConnection]) -> Bytes:
    return c.pending


def sent(c: Ptr[HttpConnection], n: i64) -> None:
    """n bytes of output(c) were written; the rest is output(c) next time."""
    if n < 0 or n > len(c.pending):
        panic("http.sent: more bytes than output had")
    c.pending = c.pending[n:len(c.pending)]


def deadline(c: Ptr[HttpConnection]) -> u64:
    """When a READ wait should end (valid after step() returned READ)."""
    return c.deadline_ns


def step(c: Ptr[HttpConnection], r: Ptr[Router], now_ns: u64) -> Action:
    """What the transport should do next; see the module comment."""
    if len(c.pending) > 0:
        return Action.WRITE
    if c.body_left > 0:
        next_piece(c)
        return Action.WRITE if len(c.pending) > 0 else Action.CLOSE
    if c.closing:
        return Action.CLOSE
    p = addr(c.parser)
    res = parse.run(p)
    if res == Result.DONE:
        answer(c, r, now_ns)
        return Action.WRITE
    if res == Result.ERROR:
        fail(c, p.status, now_ns)
        return Action.WRITE
    if c.eof:
        c.closing = True                    # a partial request can never complete
        return Action.CLOSE
    if parse.in_body(p) and not c.routed:
        c.routed = True
        if router_mod.streams(r, addr(p.req)):
            p.streaming = True              # the handler reads the body as it comes
            answer(c, r, now_ns)
            return Action.WRITE if len(c.pending) > 0 else Action.CLOSE
    if res == Result.FULL and not grow(c, now_ns):
        return Action.WRITE
    if p.req.expect_continue and not c.continue_sent and parse.in_body(p):
        send_continue(c)
        return Action.WRITE
    if c.deadline_ns == 0:
        wait = c.limits.idle_timeout_ns if c.served > 0 else c.limits.request_timeout_ns
        c.deadline_ns = now_ns + wait
    if now_ns < c.deadline_ns:
        return Action.READ
    if c.in_request:
        fail(c, 408, now_ns)
        return Action.WRITE
    c.closing = True
    c.idle_closed = True
    return Action.CLOSE


def grow(c: Ptr[HttpConnection], now_ns: u64) -> bool:
    """The request needs a larger input buffer (FULL): move to one; False when there is
    none to have (caller-owned buffers: 413; no memory: 503), the error queued."""
    p = addr(c.parser)
    want = parse.wanted_room(p)
    if not c.owned or want > 0xFFFFFFFF:
        parse.too_large(p)
        fail(c, p.status, now_ns)
        return False
    larger = tcp_ring.try_new_bytes(u32(want))
    if larger.ptr is None:
        fail(c, 503, now_ns)
        return False
    old = p.buf
    parse.move_body(p, larger)
    if c.head_buf.ptr is None:
        c.head_buf = old                    # the head is there
    else:
        free(old)                           # a larger buffer of this body's: body only
    return True


def release_head(c: Ptr[HttpConnection]) -> None:
    """The request is answered: the buffer its head stayed in goes (unless it is small)."""
    h = c.head_buf
    c.head_buf = Bytes(ptr=None, len=0)
    if h.ptr is not None and h.ptr != c.small.ptr:
        free(h)


def shrink(c: Ptr[HttpConnection]) -> None:
    """Between requests (no views left): back to the small buffer, if what waits in the
    larger one fits."""
    p = addr(c.parser)
    if p.buf.ptr == c.small.ptr or c.small.ptr is None or p.len > len(c.small):
        return
    larger = p.buf
    parse.move_body(p, c.small)
    free(larger)


def read_body(req: Ptr[Request], into: Bytes) -> i64:
    """The next piece of req's body, into `into`: the count, 0 at the body's end, -1
    when the rest cannot be had (the peer stopped sending or broke the framing, the body
    passed limits.max_body or the request deadline came: the connection then answers
    with that error, whatever the handler answers). For a route_stream() handler; on
    another route it reads req.body."""
    c = cast(Ptr[HttpConnection], req.connection)
    if c is None:
        return -1
    p = addr(c.parser)
    if not p.streaming:
        n = rs.copy_from(req.body, c.body_read, into)
        c.body_read += n
        return n
    while True:
        res = parse.run(p)
        n = parse.take_body(p, into)
        if n > 0 or res == Result.DONE:
            return n
        if res != Result.MORE or not more_body(c):
            return -1


def more_body(c: Ptr[HttpConnection]) -> bool:
    """Wait for more of a streamed body, until the request deadline; False when no more
    can come (the reason is in the parser's failure, eof or broken)."""
    p = addr(c.parser)
    t = c.transport
    if t is None or c.eof or c.broken:
        return False
    if p.req.expect_continue and not c.continue_sent:
        c.continue_sent = True              # the client waits for it before sending the body
        line: Array[u8, 32]
        w = Writer(buf=addr(line[0]), cap=len(line))
        w.write(CONTINUE)
        if t.send(t.context, w.bytes()) != i64(w.len):
            c.broken = True
            return False
    space = read_space(c)
    if len(space) == 0:
        parse.fail(p, 413)                  # framing that fills the buffer: a buffer too small
        return False
    n = t.recv(t.context, space, c.deadline_ns)
    if n == TIMEOUT:
        parse.fail(p, 408)
        return False
    if n == 0:
        c.eof = True
        return False
    if n < 0:
        c.broken = True
        return False
    parse.commit(p, n)
    return True


def run(c: Ptr[HttpConnection], r: Ptr[Router], t: Ptr[Transport]) -> None:
    """Serve the connection until it should close (or the transport fails); the caller
    then closes it. If c.linger, an error response went out while the peer may still be
    sending: shut down the sending side and read and discard for a second or two
    before closing, or the peer's TCP may reset the connection and drop the response
    unread (RFC 9112 section 9.6)."""
    c.transport = t
    while not c.broken:
        a = step(c, r, t.now())
        if a == Action.WRITE:
            n = t.send(t.context, output(c))
            if n <= 0:
                c.broken = True
                return
            sent(c, n if n < len(c.pending) else len(c.pending))
        elif a == Action.READ:
            n = t.recv(t.context, read_space(c), deadline(c))
            if n < 0 and n != TIMEOUT:
                c.broken = True
                return
            if n != TIMEOUT:
                received(c, n, t.now())     # on TIMEOUT, step() answers 408 or closes
        else:
            return


def start_request(c: Ptr[HttpConnection], now_ns: u64) -> None:
    c.in_request = True
    c.deadline_ns = now_ns + c.limits.request_timeout_ns


def answer(c: Ptr[HttpConnection], r: Ptr[Router], now_ns: u64) -> None:
    p = addr(c.parser)
    req = addr(p.req)
    req.context = c.context
    req.connection = cast(Ptr[None], c)
    rs.begin(addr(c.resp), c.out)
    router_mod.dispatch(r, req, addr(c.resp))
    if p.phase == parse.Phase.FAILED:       # a streamed body went wrong: that is the answer
        rs.release_source(addr(c.resp))
        fail(c, p.status, now_ns)
        return
    if p.phase != parse.Phase.DONE and (c.eof or c.broken):     # the peer left mid-body
        rs.release_source(addr(c.resp))
        c.closing = True
        return
    whole = p.phase == parse.Phase.DONE     # else the handler left some of the body unread
    respond(c, req.method == Method.HEAD, req.keep_alive and not c.resp.close and whole, req.version, now_ns)
    if not whole:
        c.linger = True


def fail(c: Ptr[HttpConnection], status: u16, now_ns: u64) -> None:
    """An error response, then close: after a framing error the rest of the stream
    cannot be trusted (RFC 9112 section 11.2)."""
    rs.begin(addr(c.resp), c.out)
    rs.error(addr(c.resp), status)
    c.linger = True
    respond(c, c.parser.req.method == Method.HEAD, False, 11, now_ns)


def respond(c: Ptr[HttpConnection], head_only: bool, keep_alive: bool, version: u8, now_ns: u64) -> None:
    """Queue the response and make ready for the next request."""
    resp = addr(c.resp)
    c.pending = rs.finish(resp, c.out, head_only, keep_alive, version)
    if rs.has_source(resp) and not first_piece(c):
        rs.error(resp, 500)                 # nothing has gone out: the head can still change
        c.pending = rs.finish(resp, c.out, head_only, keep_alive, version)
    c.last_status = c.resp.status
    c.served += 1
    if not keep_alive:
        c.closing = True
    p = addr(c.parser)
    parse.next_request(p)
    release_head(c)
    shrink(c)
    c.continue_sent = False
    c.routed = False
    c.body_read = 0
    c.in_request = False
    c.deadline_ns = 0
    if p.len > 0:
        start_request(c, now_ns)            # a pipelined request is already here


def first_piece(c: Ptr[HttpConnection]) -> bool:
    """Take the body source over from the response and read its first piece just after
    the head; False if that read failed (the source is released)."""
    resp = addr(c.resp)
    c.source = resp.source
    resp.source = BodySource()
    c.body_left = c.source.length
    room = len(c.out) - rs.HEAD_ROOM
    if room >= PIECE_ALIGN:
        room -= room % PIECE_ALIGN
    n = read_piece(c, c.out[rs.HEAD_ROOM:rs.HEAD_ROOM + room])
    if n < 0:
        return False
    head = c.pending                        # out[start:HEAD_ROOM]: extend it over the piece
    start = rs.HEAD_ROOM - len(head)
    c.pending = c.out[start:rs.HEAD_ROOM + n]
    return True


def next_piece(c: Ptr[HttpConnection]) -> None:
    """Read the next piece of the body into the output buffer; on a failure, close."""
    n = read_piece(c, c.out)
    if n < 0:
        c.closing = True                    # the peer sees the body end early
        c.pending = c.out[0:0]
        return
    c.pending = c.out[0:n]


def read_piece(c: Ptr[HttpConnection], space: Bytes) -> i64:
    """Read at most len(space) of the body left into space: the count, or -1 after a
    failure. The source is released once the body is complete or has failed."""
    want = c.body_left if c.body_left < len(space) else len(space)
    if want == 0:
        end_source(c)
        return 0
    n = c.source.read(c.source.context, space[0:want])
    if n <= 0 or n > want:
        end_source(c)
        return -1
    c.body_left -= n
    if c.body_left == 0:
        end_source(c)
    return n


def end_source(c: Ptr[HttpConnection]) -> None:
    s = c.source
    c.source = BodySource()
    c.body_left = 0
    if s.release is not None:
        s.release(s.context)


def send_continue(c: Ptr[HttpConnection]) -> None:
    """RFC 9110 section 10.1.1: the client waits for this before sending the body."""
    w = Writer(buf=c.out.ptr, cap=u64(len(c.out)))
    w.write(CONTINUE)
    c.pending = w.bytes()
    c.continue_sent = True
