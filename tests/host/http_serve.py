# kaa/http/connection.py on the host: one connection, driven the way a blocking socket
# would drive it, with a test router. stdin is a script of words:
#   d:HEX   bytes arriving from the peer (delivered at most rchunk bytes per read)
#   t:N     the clock is now N ns
#   eof     the peer closes its sending side
#   new     a fresh connection (prints "N")
# Output lines: "W <hex>" for each write (at most wchunk bytes), "C" when the connection
# closes, and "R <deadline>" at the end (or before "N") if it is still waiting to read.
# With transport=1 the whole script goes through http.run() and a Transport instead:
# each d: word is one recv, and when they run out recv waits out the deadline (the
# clock jumps to it) or reports the end of stream if the script has "eof". Options on the
# command line: in= out= (buffer sizes), max_target= max_headers= max_header_bytes=
# max_body= max_chunk_line= req_timeout= idle_timeout= (the Limits), wchunk= rchunk=,
# catchall=1 (a GET "/*" route), sendfail=N (with transport=1, a send fails once N
# bytes went out). /stream answers from a BodySource, printing "P <offset> <count>" for
# each read and "released <reads>" when the connection lets go of it.
from kaa.lang import *
import kernel.cmdline as cmdline
import kaa.http.connection as http
import kaa.http.json_writer as json
from kaa.http.request import Request
from kaa.http.response import BodySource, Response
import http_io
import net_hex

data_buf: Array[u8, 1048576]
big: Array[u8, 100000]
router: http.Router
limits: http.Limits
conn: Ptr[http.HttpConnection] = None
now: u64 = 0
closed: bool = False
pending: Bytes
eof_pending: bool = False
wchunk: i64 = 0
rchunk: i64 = 0
sendfail: i64 = -1
sent_total: i64 = 0


@struct
class Stream:
    """/stream's body: byte i is (i * 7 + 3) & 255."""
    pos: i64
    piece: i64                      # at most this many bytes a read (0: as asked)
    fail_at: i64                    # a read at or past this offset fails (-1: never)
    reads: i64


stream: Stream


# ---- handlers ------------------------------------------------------------------------

def hello(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.text(resp, 200, "hello\n")


def describe(req: Ptr[Request], resp: Ptr[Response]) -> None:
    """The request as JSON, for the tests to compare with what they sent."""
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_str(j, "method", req.method_name)
    json.field_str(j, "target", req.target)
    json.field_str(j, "path", req.path)
    json.field_str(j, "query", req.query)
    json.field_str(j, "rest", req.rest)
    json.field_int(j, "version", i64(req.version))
    json.field_bool(j, "keep_alive", req.keep_alive)
    json.field_bool(j, "chunked", req.chunked)
    json.field_int(j, "content_length", req.content_length)
    json.key(j, "headers")
    json.begin_array(j)
    for i in range(i64(req.header_count)):
        json.begin_array(j)
        json.string(j, req.headers[i].name)
        json.string(j, req.headers[i].value)
        json.end_array(j)
    json.end_array(j)
    json.key(j, "body")
    json.string_bytes(j, req.body)
    json.field_int(j, "body_len", len(req.body))
    json.field_str(j, "x_test", http.header(req, "X-TEST"))
    json.field_str(j, "q_a", http.query_param(req, "a"))
    json.end_object(j)


def special(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.text(resp, 200, "special\n")


def echo(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.send_bytes(resp, 200, "application/octet-stream", req.body)


def too_big(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.send_bytes(resp, 200, "text/plain", big[0:len(big)])


def bad_json(req: Ptr[Request], resp: Ptr[Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.integer(j, 1)                      # a value without a key


def closing(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.text(resp, 200, "bye\n")
    resp.close = True


def empty(req: Ptr[Request], resp: Ptr[Response]) -> None:
    resp.status = 204


def custom(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.set_header(resp, "X-Kaa", "yes")
    http.text(resp, 201, "made\n")


def inject(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.set_header(resp, "X-Bad", "a\r\nSet-Cookie: x")
    http.text(resp, 200, "no\n")


def many_fields(req: Ptr[Request], resp: Ptr[Response]) -> None:
    """?n=N fields of 32 bytes each: 16 fit in the 512 bytes for extra fields."""
    n = http_io.signed(http.query_param(req, "n"))
    for i in range(n):
        http.set_header(resp, "X-Field-Number", "01234567890123")     # 14 + 2 + 14 + 2
    http.text(resp, 200, "fields\n")


def long_type(req: Ptr[Request], resp: Ptr[Response]) -> None:
    """A Content-Type of ?n=N bytes, or one with a line break when n is 0."""
    n = http_io.signed(http.query_param(req, "n"))
    http.send_bytes(resp, 200, Str(ptr=addr(big[0]), len=n), big[0:1])
    if n == 0:
        resp.content_type = "text/plain\r\nX-Injected: 1"


def status(req: Ptr[Request], resp: Ptr[Response]) -> None:
    http.text(resp, u16(http_io.signed(http.query_param(req, "code"))), "status\n")


def decode(req: Ptr[Request], resp: Ptr[Response]) -> None:
    """The query, percent-decoded into a 16-byte buffer."""
    out: Array[u8, 16]
    n = http.percent_decode(req.query, out[0:len(out)])
    if n < 0:
        http.error(resp, 400)
    else:
        http.send_bytes(resp, 200, "application/octet-stream", out[0:n])


def stream_read(ctx: Ptr[None], into: Bytes) -> i64:
    st = cast(Ptr[Stream], ctx)
    if st.fail_at >= 0 and st.pos >= st.fail_at:
        print(f"P {st.pos} fail")
        return -1
    n = len(into)
    if st.piece > 0 and n > st.piece:
        n = st.piece
    for i in range(n):
        into[i] = u8((st.pos + i) * 7 + 3)
    print(f"P {st.pos} {n}")
    st.pos += n
    st.reads += 1
    return n


def stream_release(ctx: Ptr[None]) -> None:
    print(f"released {cast(Ptr[Stream], ctx).reads}")


def optional(req: Ptr[Request], name: Str, default: i64) -> i64:
    v = http.query_param(req, name)
    return http_io.signed(v) if len(v) > 0 else default


def streamed(req: Ptr[Request], resp: Ptr[Response]) -> None:
    """?n=LENGTH [piece=N] [fail=OFFSET] [status=S] [also=1: a body written too]
    [release=0: no release function] [error=1: the handler then answers 404]."""
    global stream
    stream = Stream(piece=optional(req, "piece", 0), fail_at=optional(req, "fail", -1))
    src = BodySource(context=cast(Ptr[None], addr(stream)), length=optional(req, "n", 0), read=stream_read,
                     release=stream_release)
    if optional(req, "release", 1) == 0:
        src.release = None
    http.send_source(resp, u16(optional(req, "status", 200)), "application/octet-stream", addr(src))
    if optional(req, "also", 0) == 1:
        resp.body.write("extra")
    if optional(req, "error", 0) == 1:
        http.error(resp, 404)


def routes() -> None:
    r = addr(router)
    http.route(r, "GET", "/", hello)
    http.route(r, "GET", "/info", describe)
    http.route(r, "POST", "/info", describe)
    http.route(r, "GET", "/kv/", describe)
    http.route(r, "PUT", "/kv/", describe)
    http.route(r, "DELETE", "/kv/", describe)
    http.route(r, "GET", "/kv/special", special)
    http.route(r, "POST", "/echo", echo)
    http.route(r, "PUT", "/echo", echo)
    http.route(r, "GET", "/big", too_big)
    http.route(r, "GET", "/badjson", bad_json)
    http.route(r, "GET", "/close", closing)
    http.route(r, "GET", "/empty", empty)
    http.route(r, "GET", "/custom", custom)
    http.route(r, "GET", "/inject", inject)
    http.route(r, "GET", "/status", status)
    http.route(r, "GET", "/decode", decode)
    http.route(r, "GET", "/fields", many_fields)
    http.route(r, "GET", "/stream", streamed)
    if cmdline.has("catchall"):
        http.route(r, "GET", "/*", describe)
    http.route(r, "GET", "/type", long_type)
    if http.route(r, "BREW", "/pot", hello) or http.route(r, "GET", "nopath", hello):
        print("route accepted a bad method or pattern")


# ---- the transport -------------------------------------------------------------------

def smaller(a: i64, b: i64) -> i64:
    return a if a < b else b


def pump() -> None:
    """Run the connection until it waits for bytes the script has not given yet."""
    global closed, pending, eof_pending
    while not closed:
        a = http.step(conn, addr(router), now)
        if a == http.Action.WRITE:
            out = http.output(conn)
            n = smaller(len(out), wchunk)
            http_io.hex_line("W", out[0:n])
            http.sent(conn, n)
        elif a == http.Action.CLOSE:
            print("C")
            closed = True
        elif len(pending) > 0:
            space = http.read_space(conn)
            n = smaller(smaller(len(pending), len(space)), rchunk)
            for i in range(n):
                space[i] = pending[i]
            pending = pending[n:len(pending)]
            http.received(conn, n, now)
        elif eof_pending:
            eof_pending = False
            http.received(conn, 0, now)
        else:
            return


# ---- the same through http.run() and a Transport --------------------------------------

chunks: Array[Bytes, 4096]
chunk_count: i64 = 0
next_chunk: i64 = 0
script_eof: bool = False


def t_recv(ctx: Ptr[None], into: Bytes, until: u64) -> i64:
    global next_chunk, now
    if next_chunk == chunk_count:
        if script_eof:
            return 0
        now = until
        return http.TIMEOUT
    b = chunks[next_chunk]
    n = smaller(len(b), len(into))
    for i in range(n):
        into[i] = b[i]
    chunks[next_chunk] = b[n:len(b)]
    if n == len(b):
        next_chunk += 1
    return n


def t_send(ctx: Ptr[None], b: Bytes) -> i64:
    global sent_total
    if sendfail >= 0 and sent_total >= sendfail:
        return -1
    n = smaller(len(b), wchunk)
    sent_total += n
    http_io.hex_line("W", b[0:n])
    return n


def t_now() -> u64:
    return now


def run_transport(s: Str) -> None:
    global chunk_count, script_eof
    used = 0
    pos = 0
    while True:
        word = http_io.next_word(s, addr(pos))
        if len(word) == 0:
            break
        if word[0] == 100 and chunk_count < len(chunks):
            chunks[chunk_count] = net_hex.unhex(word[2:len(word)], data_buf[used:len(data_buf)])
            used += len(chunks[chunk_count])
            chunk_count += 1
        elif word == "eof":
            script_eof = True
    t = http.Transport(recv=t_recv, send=t_send, now=t_now)
    http.run(conn, addr(router), addr(t))
    print("C")


def waiting() -> None:
    if not closed:
        print(f"R {http.deadline(conn)}")


def fresh() -> None:
    global conn, closed, pending, eof_pending
    if conn is not None:
        http.destroy(conn)
    conn = http.create(addr(limits), cmdline.int_value("in", 8192), cmdline.int_value("out", 65536))
    closed = False
    pending = data_buf[0:0]
    eof_pending = False


def configure() -> None:
    global limits, wchunk, rchunk, sendfail
    limits = http.default_limits()
    limits.max_target = u32(cmdline.int_value("max_target", i64(limits.max_target)))
    limits.max_headers = u32(cmdline.int_value("max_headers", i64(limits.max_headers)))
    limits.max_header_bytes = u32(cmdline.int_value("max_header_bytes", i64(limits.max_header_bytes)))
    limits.max_body = u32(cmdline.int_value("max_body", i64(limits.max_body)))
    limits.max_chunk_line = u32(cmdline.int_value("max_chunk_line", i64(limits.max_chunk_line)))
    limits.request_timeout_ns = u64(cmdline.int_value("req_timeout", i64(limits.request_timeout_ns)))
    limits.idle_timeout_ns = u64(cmdline.int_value("idle_timeout", i64(limits.idle_timeout_ns)))
    wchunk = cmdline.int_value("wchunk", 1 << 30)
    rchunk = cmdline.int_value("rchunk", 1 << 30)
    sendfail = cmdline.int_value("sendfail", -1)
    for i in range(len(big)):
        big[i] = 120


def main() -> i32:
    global now, pending, eof_pending
    configure()
    routes()
    fresh()
    s = http_io.script()
    if cmdline.has("transport"):
        run_transport(s)
        http.destroy(conn)
        return 0
    pos = 0
    while True:
        word = http_io.next_word(s, addr(pos))
        if len(word) == 0:
            break
        if word[0] == 100:                  # d:HEX
            pending = net_hex.unhex(word[2:len(word)], data_buf[0:len(data_buf)])
        elif word[0] == 116:                # t:N
            now = u64(http_io.signed(word[2:len(word)]))
        elif word == "eof":
            eof_pending = True
        elif word == "new":
            waiting()
            fresh()
            print("N")
        pump()
    waiting()
    http.destroy(conn)
    return 0
