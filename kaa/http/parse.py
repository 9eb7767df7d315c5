"""Incremental HTTP/1.1 request parsing (RFC 9112) in a buffer the connection owns.

The connection appends received bytes at `len`; run() parses from `pos` as far as they
go and says MORE (needs bytes), DONE (`req` is a complete request) or ERROR (`status`
is the response to send before closing). It stops at the end of one request, so the
bytes of a pipelined next one wait in the buffer; next_request() moves them to the
start once the response is built. A line is parsed when its LF arrives, and `scan`
remembers how far the search for it got, so a request fed a byte at a time costs no
more than one fed whole.

Everything in `req` is a view into the buffer, so the buffer never moves under a
request being parsed, with two exceptions that hold no views: empty lines before the
request line are dropped, and a chunked body is decoded in place, each chunk's data
moved down to follow the previous one (`body_end`); the gap the chunk framing leaves
is closed before asking for more bytes. When the buffer is full and the request is
still incomplete, it is too large: 414, 431 or 413 by where it stopped; except that in
the body, when limits.max_body allows more than the buffer holds, run() says FULL: the
connection moves the body to a buffer of wanted_room(p) bytes (move_body(): the head
and its views stay in the old one) or gives up with too_large(). The head is expected
to fit the buffer (head_room() says how much a head within the limits can take).

A body can also be streamed (`streaming`, set once the head is parsed): take_body()
then moves each decoded piece out of the buffer as it arrives, so a body of any size
up to limits.max_body passes through a buffer of fixed size.

Strict where leniency lets two parsers disagree about where a message ends (request
smuggling, RFC 9112 section 11.2): single spaces in the request line, no whitespace
before a field's colon, no obs-fold, no bare CR, Content-Length and Transfer-Encoding
never together. Lenient where RFC 9112 section 2.2 allows: a bare LF ends a line, and
empty lines before a request line are ignored.
"""

from kaa.lang import *
import kaa.http.fields as fields
import kaa.http.request as rq
from kaa.http.request import Header, Method, Request

MAX_METHOD: Final = 16              # longer method tokens get 501 (RFC 9112 section 3)
HUGE: Final = 1 << 62               # a saturated chunk size: larger than any limit


class Phase(IntEnum):
    START = 0                       # empty lines, then the request line
    HEADERS = 1                     # field lines until an empty one
    BODY = 2                        # content_length bytes
    CHUNK_SIZE = 3                  # chunk-size [chunk-ext] CRLF
    CHUNK_DATA = 4                  # chunk_left bytes of data
    CHUNK_END = 5                   # the CRLF after a chunk's data
    TRAILERS = 6                    # trailer field lines (checked and skipped)
    DONE = 7
    FAILED = 8


class Result(IntEnum):
    MORE = 0
    DONE = 1
    ERROR = 2
    FULL = 3                        # the buffer is full; a larger one would let it go on


class Line(IntEnum):
    FOUND = 0
    NEED = 1
    TOO_LONG = 2
    BAD = 3                         # a CR not followed by LF


@struct
class Limits:
    max_target: u32                 # request-target bytes: 414 beyond
    max_headers: u32                # field lines (at most MAX_HEADERS): 431 beyond
    max_header_bytes: u32           # bytes of all field and trailer lines, ends not counted: 431
    max_body: u32                   # decoded body bytes: 413 beyond
    max_chunk_line: u32             # a chunk-size line with its extensions: 400 beyond
    request_timeout_ns: u64         # a request's first byte to its last (and a new connection
                                    # to its first request's start): 408 (or a quiet close) after
    idle_timeout_ns: u64            # a kept-alive connection waiting for its next request: closed after
    send_timeout_ns: u64            # a response the peer takes nothing of for this long: reset


SECOND: Final = 1000000000


def default_limits() -> Limits:
    """1 MiB bodies, as nginx's client_max_body_size. A request must arrive whole within
    10 s of its first byte (1 MiB at 1 Mbit/s), where nginx gives a head 60 s: each
    waiting request holds a thread and its buffers here. Idle keep-alive connections
    last 75 s, as nginx's: longer than the 60 s after which load balancers drop their
    own idle connections, so a proxy never sends a request on a connection we are
    closing. A peer that takes no byte of a response for 60 s is cut off (nginx's
    send_timeout)."""
    return Limits(max_target=2048, max_headers=rq.MAX_HEADERS, max_header_bytes=4096,
                  max_body=1 << 20, max_chunk_line=256,
                  request_timeout_ns=10 * SECOND, idle_timeout_ns=75 * SECOND, send_timeout_ns=60 * SECOND)


@struct
class Parser:
    buf: Bytes                      # the input buffer (the connection's)
    len: i64                        # buf[0:len] holds received bytes
    pos: i64                        # the first byte not parsed yet
    scan: i64                       # the search for the current line's LF resumes here
    phase: Phase
    limits: Ptr[Limits]
    head_bytes: i64                 # field-line bytes so far (limits.max_header_bytes)
    body_start: i64
    body_end: i64                   # the decoded body so far is buf[body_start:body_end]
    left: i64                       # data bytes still to come: of the current chunk, or of
                                    # a Content-Length body
    streaming: bool                 # the body goes out through take_body(), not into req.body
    taken: i64                      # body bytes take_body() has moved out
    status: u16                     # the response status when phase is FAILED
    req: Request


def init(p: Ptr[Parser], buf: Bytes, limits: Ptr[Limits]) -> None:
    p[0] = Parser(buf=buf, limits=limits)


def space(p: Ptr[Parser]) -> Bytes:
    """Where the next received bytes go (never empty while run() says MORE)."""
    return p.buf[p.len:len(p.buf)]


def commit(p: Ptr[Parser], n: i64) -> None:
    p.len += n


def in_body(p: Ptr[Parser]) -> bool:
    """The header section is complete; the body (or its trailers) is not."""
    return Phase.BODY <= p.phase <= Phase.TRAILERS


def run(p: Ptr[Parser]) -> Result:
    while p.phase != Phase.DONE and p.phase != Phase.FAILED:
        if not advance(p):
            return out_of_data(p)
    return Result.DONE if p.phase == Phase.DONE else Result.ERROR


def head_room(l: Ptr[Limits]) -> i64:
    """The most bytes a request's head can take within l: its request line and field
    lines with their line ends."""
    return MAX_METHOD + 1 + i64(l.max_target) + 1 + 8 + 2 + i64(l.max_header_bytes) + 2 * (i64(l.max_headers) + 1)


def most_room(p: Ptr[Parser]) -> i64:
    """The most buffer the body can need: limits.max_body, and one chunk's framing not
    yet squeezed out."""
    return i64(p.limits.max_body) + i64(p.limits.max_chunk_line) + 4


def wanted_room(p: Ptr[Parser]) -> i64:
    """After FULL: the size of the buffer to move the body to. A Content-Length body
    gets exactly its room; a chunked one doubles the buffer, up to most_room()."""
    if p.phase == Phase.BODY:
        return p.req.content_length
    n = 2 * len(p.buf)
    most = most_room(p)
    return n if n < most else most


def move_body(p: Ptr[Parser], to: Bytes) -> None:
    """Carry on in `to` (at least p.len - p.body_start bytes): what has come of the body,
    and after it, is copied to its start. The head stays where it is, with the request's
    views into it: the old buffer must be kept until the request is answered."""
    n = p.len - p.body_start
    for i in range(n):
        to[i] = p.buf[p.body_start + i]
    p.buf = to
    p.len = n
    p.pos -= p.body_start
    p.scan -= p.body_start
    p.body_end -= p.body_start
    p.body_start = 0


def too_large(p: Ptr[Parser]) -> Result:
    """After FULL, when no larger buffer can be had: fail as a full buffer does."""
    fail(p, full_status(p))
    return Result.ERROR


def take_body(p: Ptr[Parser], into: Bytes) -> i64:
    """Streaming: move up to len(into) bytes of the body decoded so far out of the
    buffer into `into` (making room for more): the count, 0 when none is there yet.
    Call run() first to decode what has arrived."""
    n = p.body_end - p.body_start
    if n > len(into):
        n = len(into)
    for i in range(n):
        into[i] = p.buf[p.body_start + i]
    for i in range(p.body_start, p.len - n):
        p.buf[i] = p.buf[i + n]
    p.len -= n
    p.pos -= n
    p.scan -= n
    p.body_end -= n
    p.taken += n
    return n


def next_request(p: Ptr[Parser]) -> None:
    """Forget the request just served; bytes after it move to the buffer's start."""
    shift(p, 0)
    p.phase = Phase.START
    p.head_bytes = 0
    p.body_start = 0
    p.body_end = 0
    p.left = 0
    p.streaming = False
    p.taken = 0
    p.status = 0
    p.req = Request()


def advance(p: Ptr[Parser]) -> bool:
    """One step of the current phase; False when it needs bytes that are not there."""
    ph = p.phase
    if ph == Phase.START:
        return start_line(p)
    if ph == Phase.HEADERS or ph == Phase.TRAILERS:
        return field_line(p)
    if ph == Phase.BODY:
        return fixed_body(p)
    if ph == Phase.CHUNK_SIZE:
        return chunk_size(p)
    if ph == Phase.CHUNK_DATA:
        return chunk_data(p)
    return chunk_end(p)


def fail(p: Ptr[Parser], status: u16) -> bool:
    p.status = status
    p.phase = Phase.FAILED
    return True


def finish(p: Ptr[Parser]) -> None:
    if not p.streaming:
        p.req.body = p.buf[p.body_start:p.body_end]
    p.phase = Phase.DONE


def out_of_data(p: Ptr[Parser]) -> Result:
    """Close the gap left by dropped bytes, then make sure there is room for more."""
    if p.phase == Phase.START:
        shift(p, 0)                         # only empty lines are behind pos: no views
    elif Phase.CHUNK_SIZE <= p.phase <= Phase.TRAILERS:
        shift(p, p.body_end)                # chunk framing between the body and pos
    if p.len < len(p.buf) or (p.streaming and p.body_end > p.body_start):
        return Result.MORE                  # (streaming: take_body() makes the room)
    if Phase.BODY <= p.phase <= Phase.CHUNK_END and not p.streaming and len(p.buf) - p.body_start < most_room(p):
        return Result.FULL
    fail(p, full_status(p))
    return Result.ERROR


def full_status(p: Ptr[Parser]) -> u16:
    """What a request that fills the buffer gets, by where it stopped."""
    if p.phase == Phase.START:
        return long_line_status(p)
    if p.phase == Phase.HEADERS or p.phase == Phase.TRAILERS:
        return 431
    return 413


def shift(p: Ptr[Parser], to: i64) -> None:
    """Move buf[pos:len] down to buf[to:]."""
    gap = p.pos - to
    if gap <= 0:
        return
    for i in range(to, p.len - gap):
        p.buf[i] = p.buf[i + gap]
    p.len -= gap
    p.pos = to
    p.scan -= gap


def view(p: Ptr[Parser], a: i64, b: i64) -> Str:
    return Str(ptr=p.buf.ptr + a, len=b - a)


def take_line(p: Ptr[Parser], limit: i64, out: Ptr[Str]) -> Line:
    """The line at pos (without its CR LF or LF) into out, pos past it; NEED when its
    end has not arrived, TOO_LONG when it has more than limit bytes."""
    i = p.scan
    while i < p.len:
        c = p.buf[i]
        if c == 10:
            end = i - 1 if i > p.pos and p.buf[i - 1] == 13 else i
            out[0] = view(p, p.pos, end)
            p.pos = i + 1
            p.scan = p.pos
            return Line.FOUND
        if c == 13:
            if i + 1 == p.len:
                break                       # its LF may be in the next bytes: look again
            if p.buf[i + 1] != 10:
                return Line.BAD
        elif i + 1 - p.pos > limit:
            return Line.TOO_LONG
        i += 1
    p.scan = i
    return Line.NEED


# ---- the request line (RFC 9112 section 3) ----------------------------------------

def start_line(p: Ptr[Parser]) -> bool:
    line: Str
    limit = MAX_METHOD + 1 + i64(p.limits.max_target) + 1 + 8
    r = take_line(p, limit, addr(line))
    if r == Line.NEED:
        return False
    if r == Line.BAD:
        return fail(p, 400)
    if r == Line.TOO_LONG:
        return fail(p, long_line_status(p))
    if len(line) == 0:
        return True                         # RFC 9112 section 2.2: ignore empty lines here
    st = request_line(p, line)
    if st != 0:
        return fail(p, st)
    p.phase = Phase.HEADERS
    return True


def long_line_status(p: Ptr[Parser]) -> u16:
    """An over-long request line: 414 if it starts with a method, 501 if that method
    is an over-long token, else 400."""
    part = view(p, p.pos, p.len)
    sp = rq.index_of(part, 32, 0)
    if 0 < sp <= MAX_METHOD and rq.is_token(part[0:sp]):
        return 414
    head = part[0:MAX_METHOD + 1] if len(part) > MAX_METHOD else part
    return 501 if sp != 0 and rq.is_token(head) else 400


def request_line(p: Ptr[Parser], line: Str) -> u16:
    """method SP request-target SP HTTP-version, into req; 0 or an error status."""
    req = addr(p.req)
    sp1 = rq.index_of(line, 32, 0)
    if sp1 <= 0 or not rq.is_token(line[0:sp1]):
        return 400
    if sp1 > MAX_METHOD:
        return 501
    sp2 = rq.index_of(line, 32, sp1 + 1)
    if sp2 < 0:
        return 400                          # HTTP/0.9 or garbage
    target = line[sp1 + 1:sp2]
    if len(target) > i64(p.limits.max_target):
        return 414
    st = version(req, line[sp2 + 1:len(line)])
    if st != 0:
        return st
    req.method_name = line[0:sp1]
    req.method = rq.method_from(req.method_name)
    req.target = target
    req.content_length = -1
    return split_target(req, target)


def version(req: Ptr[Request], v: Str) -> u16:
    """HTTP-version = "HTTP/" DIGIT "." DIGIT; 1.x above 1.1 is served as 1.1 (RFC 9110
    section 2.5); another major version gets 505."""
    if len(v) != 8 or not (v[0:5] == "HTTP/") or v[6] != 46:
        return 400
    if not (48 <= v[5] <= 57 and 48 <= v[7] <= 57):
        return 400
    if v[5] != 49:                          # '1'
        return 505
    req.version = 10 if v[7] == 48 else 11
    return 0


def split_target(req: Ptr[Request], t: Str) -> u16:
    """The request-target's path and query (RFC 9112 section 3.2)."""
    if len(t) == 0:
        return 400
    for c in t:
        if c <= 32 or c >= 127 or c == 35:  # no spaces, controls, non-ASCII, '#'
            return 400
    if t == "*":                            # asterisk-form: OPTIONS only
        req.path = t
        return 0 if req.method == Method.OPTIONS else 400
    if req.method == Method.CONNECT:        # authority-form: the router answers 501
        req.path = t
        return 0
    if t[0] == 47:                          # origin-form
        path_and_query(req, t)
        return 0
    return absolute_form(req, t)


def absolute_form(req: Ptr[Request], t: Str) -> u16:
    """absolute-form (http://host/path?query): the path and query; the host is ignored."""
    start = 0
    if len(t) > 7 and rq.same_ignoring_case(t[0:7], "http://"):
        start = 7
    elif len(t) > 8 and rq.same_ignoring_case(t[0:8], "https://"):
        start = 8
    else:
        return 400
    i = start
    while i < len(t) and t[i] != 47 and t[i] != 63:     # '/' or '?'
        i += 1
    if i == start:
        return 400                          # no authority
    if i == len(t) or t[i] == 63:
        req.path = "/"
        req.query = t[i + 1:len(t)] if i < len(t) else ""
        return 0
    path_and_query(req, t[i:len(t)])
    return 0


def path_and_query(req: Ptr[Request], t: Str) -> None:
    q = rq.index_of(t, 63, 0)               # '?'
    if q < 0:
        req.path = t
        req.query = ""
    else:
        req.path = t[0:q]
        req.query = t[q + 1:len(t)]


# ---- field lines (RFC 9112 section 5, RFC 9110 section 5) -------------------------

def field_line(p: Ptr[Parser]) -> bool:
    line: Str
    limit = i64(p.limits.max_header_bytes) - p.head_bytes
    r = take_line(p, limit if limit > 0 else 0, addr(line))
    if r == Line.NEED:
        return False
    if r == Line.BAD:
        return fail(p, 400)
    if r == Line.TOO_LONG:
        return fail(p, 431)
    p.head_bytes += len(line)
    if len(line) == 0:
        if p.phase == Phase.TRAILERS:
            finish(p)                       # trailers are dropped (RFC 9112 section 7.1.2)
            return True
        st = framing(p)
    elif p.phase == Phase.TRAILERS:
        st = check_field(line)
    else:
        st = add_field(p, line)
    if st != 0:
        return fail(p, st)
    return True


def check_field(line: Str) -> u16:
    """field-name ":" OWS field-value OWS, with no whitespace before the colon and no
    obs-fold (RFC 9112 sections 5.1 and 5.2): 0 or 400."""
    colon = rq.index_of(line, 58, 0)
    if colon <= 0 or not rq.is_token(line[0:colon]):
        return 400
    if not rq.is_field_value(line[colon + 1:len(line)]):
        return 400
    return 0


def add_field(p: Ptr[Parser], line: Str) -> u16:
    st = check_field(line)
    if st != 0:
        return st
    req = addr(p.req)
    most = i64(p.limits.max_headers)
    if most > rq.MAX_HEADERS:
        most = rq.MAX_HEADERS
    if i64(req.header_count) >= most:
        return 431
    colon = rq.index_of(line, 58, 0)
    req.headers[req.header_count] = Header(name=line[0:colon], value=rq.trim_ows(line[colon + 1:len(line)]))
    req.header_count += 1
    return 0


# ---- the body (RFC 9112 sections 6 and 7) -----------------------------------------

def framing(p: Ptr[Parser]) -> u16:
    """The header section is complete: check it and choose how the body is framed."""
    req = addr(p.req)
    st = fields.check_host(req)
    if st != 0:
        return st
    req.keep_alive = fields.keep_alive(req)
    chunked = False
    st = fields.transfer_coding(req, addr(chunked))
    cl = fields.content_length(req)
    if rq.has_header(req, "transfer-encoding") and cl != fields.NO_LENGTH:
        return 400                          # RFC 9112 section 6.1: a smuggling attempt
    if st != 0:
        return st
    if cl == fields.BAD_LENGTH:
        return 400
    st = fields.expectation(req)
    if st != 0:
        return st
    req.chunked = chunked
    req.content_length = cl
    p.body_start = p.pos
    p.body_end = p.pos
    if chunked:
        p.phase = Phase.CHUNK_SIZE
    elif cl > 0:
        if cl > i64(p.limits.max_body):
            return 413
        p.left = cl
        p.phase = Phase.BODY
    else:
        finish(p)                           # no framing field: no body (section 6.3)
    return 0


def fixed_body(p: Ptr[Parser]) -> bool:
    """Take what has arrived of a Content-Length body (in place: it ends at pos)."""
    n = p.len - p.pos
    if n == 0:
        return False
    if n > p.left:
        n = p.left
    p.pos += n
    p.scan = p.pos
    p.body_end = p.pos
    p.left -= n
    if p.left == 0:
        finish(p)
    return True


def chunk_size(p: Ptr[Parser]) -> bool:
    """chunk-size [ BWS ";" chunk-ext ] CRLF: extensions are checked for stray
    controls and ignored (RFC 9112 section 7.1.1)."""
    line: Str
    r = take_line(p, i64(p.limits.max_chunk_line), addr(line))
    if r == Line.NEED:
        return False
    if r != Line.FOUND:
        return fail(p, 400)
    n: i64 = 0
    i = 0
    while i < len(line) and rq.hex_digit(line[i]) >= 0:
        n = HUGE if n >= HUGE >> 4 else n * 16 + rq.hex_digit(line[i])
        i += 1
    ext = rq.trim_ows(line[i:len(line)])
    if i == 0 or (len(ext) > 0 and ext[0] != 59) or (len(ext) == 0 and i < len(line)):
        return fail(p, 400)                 # no digits, or junk after them
    if not rq.is_field_value(ext):
        return fail(p, 400)
    if n == 0:
        p.phase = Phase.TRAILERS            # last-chunk
    elif p.taken + p.body_end - p.body_start + n > i64(p.limits.max_body):
        return fail(p, 413)
    else:
        p.left = n
        p.phase = Phase.CHUNK_DATA
    return True


def chunk_data(p: Ptr[Parser]) -> bool:
    """Move what has arrived of the chunk's data down to the end of the body."""
    n = p.len - p.pos
    if n == 0:
        return False
    if n > p.left:
        n = p.left
    if p.body_end != p.pos:
        for i in range(n):
            p.buf[p.body_end + i] = p.buf[p.pos + i]
    p.body_end += n
    p.pos += n
    p.scan = p.pos
    p.left -= n
    if p.left == 0:
        p.phase = Phase.CHUNK_END
    return True


def chunk_end(p: Ptr[Parser]) -> bool:
    line: Str
    r = take_line(p, 0, addr(line))
    if r == Line.NEED:
        return False
    if r != Line.FOUND:
        return fail(p, 400)                 # data longer than its chunk-size said
    p.phase = Phase.CHUNK_SIZE
    return True
