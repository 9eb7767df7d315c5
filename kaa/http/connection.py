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
limits.request_timeout_ns, else 408 and close; between requests, idle_timeout_ns,
then a quiet close (RFC 9112 section 9.5 lets a server close an idle connection).
"""

from kaa.lang import *
import kaa.http.parse as parse
import kaa.http.response as rs
import kaa.http.router as router_mod
from kaa.http.parse import Limits, Parser, Result, default_limits
from kaa.http.request import Header, Method, Request, header, has_header, find_header, \
    query_param, percent_decode
from kaa.http.response import BodySource, Response, set_header, text, send_bytes, send_source, \
    json_body, error
from kaa.http.router import Router, route
from kaa.http.json_writer import Json

MIN_OUTPUT: Final = rs.HEAD_ROOM + 256
PIECE_ALIGN: Final = 4096          # body pieces start this far apart (a file block)
TIMEOUT: Final = -2                 # Transport.recv: the deadline passed (as net.tcp_recv_until)


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
    """A connection and its buffers on the heap; give it back with destroy()."""
    c = new(HttpConnection)
    init(c, new_array(u8, in_size), new_array(u8, out_size), limits)
    c.owned = True
    return c


def destroy(c: Ptr[HttpConnection]) -> None:
    end_source(c)                   # the transport gave up in the middle of a body
    if c.owned:
        free(c.parser.buf)
        free(c.out)
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
    if p.req.expect_continue and not c.continue_sent and parse.in_body(p):
        send_continue(c)
        return Action.WRITE
    if c.deadline_ns == 0:
        c.deadline_ns = now_ns + c.limits.idle_timeout_ns
    if now_ns < c.deadline_ns:
        return Action.READ
    if c.in_request:
        fail(c, 408, now_ns)
        return Action.WRITE
    c.closing = True
    return Action.CLOSE


def run(c: Ptr[HttpConnection], r: Ptr[Router], t: Ptr[Transport]) -> None:
    """Serve the connection until it should close (or the transport fails); the caller
    then closes it. If c.linger, an error response went out while the peer may still be
    sending: shut down the sending side and read and discard for a second or two
    before closing, or the peer's TCP may reset the connection and drop the response
    unread (RFC 9112 section 9.6)."""
    while True:
        a = step(c, r, t.now())
        if a == Action.WRITE:
            n = t.send(t.context, output(c))
            if n <= 0:
                return
            sent(c, n if n < len(c.pending) else len(c.pending))
        elif a == Action.READ:
            n = t.recv(t.context, read_space(c), deadline(c))
            if n < 0 and n != TIMEOUT:
                return
            if n != TIMEOUT:
                received(c, n, t.now())     # on TIMEOUT, step() answers 408 or closes
        else:
            return


def start_request(c: Ptr[HttpConnection], now_ns: u64) -> None:
    c.in_request = True
    c.deadline_ns = now_ns + c.limits.request_timeout_ns


def answer(c: Ptr[HttpConnection], r: Ptr[Router], now_ns: u64) -> None:
    req = addr(c.parser.req)
    req.context = c.context
    rs.begin(addr(c.resp), c.out)
    router_mod.dispatch(r, req, addr(c.resp))
    respond(c, req.method == Method.HEAD, req.keep_alive and not c.resp.close, req.version, now_ns)


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
    c.continue_sent = False
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
    w.write("HTTP/1.1 100 Continue\r\n\r\n")
    c.pending = w.bytes()
    c.continue_sent = True
