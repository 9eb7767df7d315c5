"""An HTTP/1.1 response built in the connection's output buffer (RFC 9110, RFC 9112).

The handler writes the body first, through `resp.body` (a Writer over the output
buffer past HEAD_ROOM bytes), and may set the status, the Content-Type and extra
fields. finish() then writes the head (status line, Content-Type, Content-Length,
Allow, the extra fields, Connection) into the HEAD_ROOM bytes just before the body,
so the response is one contiguous view and the body is never copied. Content-Length
is always sent (except where RFC 9110 forbids it), so a kept-alive connection always
knows where the response ends; a response to HEAD has the same head and no body.

A body too large for the buffer (a file, say) comes from a BodySource instead: a read
function, its context and the length. finish() then writes only the head, announcing
that length, and the connection (http.py) pulls the body piece by piece into the
output buffer and sends each piece, so the bytes are copied once (source -> buffer)
and nothing is allocated per piece. The source's release function is called exactly
once, whenever the response is done with it: sent, failed, a HEAD, a 304, replaced by
an error, or the connection dropped.

A handler cannot produce a malformed response: a body larger than the buffer, a JSON
body that is not one complete value, a status outside 200..599 (an interim 1xx is the
connection's business), a field with a CR or LF in it, more fields than EXTRA_BYTES
hold or a head larger than HEAD_ROOM all turn into a 500.

    def hello(req: Ptr[Request], resp: Ptr[Response]) -> None:
        http.text(resp, 200, "hello\\n")
"""

from kaa.lang import *
import kaa.http.json_writer as json
from kaa.http.json_writer import Json
import kaa.http.request as rq
from kaa.http.request import Method, Request
import kernel.net.tcp_ring as tcp_ring

HEAD_ROOM: Final = 1024             # output bytes kept for the head, before the body
EXTRA_BYTES: Final = 512            # room for the fields a handler adds


@struct
class BodySource:
    """A body of known length, produced piece by piece (see send_source)."""
    context: Ptr[None]              # handed back to read and release
    length: i64                     # the body's size: its Content-Length
    read: Fn[[Ptr[None], Bytes], i64]   # fill the front of the Bytes with the next bytes of
                                    # the body: the count (1..len), anything else is a failure
    release: Fn[[Ptr[None]], None]  # called once when the response is done with it (None: nothing)


@struct
class Response:
    status: u16                     # 200 unless the handler says otherwise
    content_type: Str               # "" for none
    body: Writer                    # over the output buffer after HEAD_ROOM
    extra: Writer                   # "Name: value\r\n" lines added by set_header
    extra_buf: Array[u8, 512]
    allow: u32                      # methods for an Allow field: bit m for Method m
    close: bool                     # close the connection after this response
    invalid: bool                   # the handler asked for something unsendable: 500
    uses_json: bool                 # body was begun with json_body(): check it at the end
    json_writer: Json
    source: BodySource              # read is not None: the body comes from here, not `body`


def begin(resp: Ptr[Response], out: Bytes) -> None:
    """A fresh 200 response whose body goes into out past HEAD_ROOM."""
    resp[0] = Response(status=200)
    resp.body = Writer(buf=out.ptr + HEAD_ROOM, cap=u64(len(out) - HEAD_ROOM))
    resp.extra = Writer(buf=addr(resp.extra_buf[0]), cap=EXTRA_BYTES)


# ---- for handlers ---------------------------------------------------------------------

def set_header(resp: Ptr[Response], name: Str, value: Str) -> None:
    """Add a field (not Content-Length or Connection: finish() writes those)."""
    if not rq.is_token(name) or not rq.is_field_value(value):
        resp.invalid = True                 # a CR or LF would split the response
        return
    resp.extra.write(f"{name}: {value}\r\n")


def text(resp: Ptr[Response], status: u16, s: Str) -> None:
    resp.status = status
    resp.content_type = "text/plain; charset=utf-8"
    resp.body.write_str(s)


def send_bytes(resp: Ptr[Response], status: u16, content_type: Str, data: Bytes) -> None:
    resp.status = status
    resp.content_type = content_type
    resp.body.write_bytes(data)


def send_source(resp: Ptr[Response], status: u16, content_type: Str, source: Ptr[BodySource]) -> None:
    """Answer with the body source gives (the response owns it from here: it releases it).
    A negative length, a missing read function or a body also written is a 500."""
    release_source(resp)
    resp.status = status
    resp.content_type = content_type
    resp.source = source[0]
    if source.read is None:
        resp.invalid = True


@struct
class HeapBody:
    """A body copied to the heap, streamed from there (send_copy)."""
    data: Bytes
    sent: i64


def send_copy(resp: Ptr[Response], status: u16, content_type: Str, data: Bytes) -> bool:
    """send_bytes() for a body of any size: one larger than the output buffer is copied
    to the heap and streamed from there, so `data` may change or go once this returns
    (a value another connection may replace while this one sends). False when there is
    no memory for the copy: the answer is then a 503."""
    if u64(len(data)) <= resp.body.cap - resp.body.len:
        send_bytes(resp, status, content_type, data)
        return True
    h = try_new(HeapBody)
    copy = tcp_ring.try_new_bytes(u32(len(data))) if h is not None and len(data) <= 0xFFFFFFFF \
        else Bytes(ptr=None, len=0)
    if copy.ptr is None:
        if h is not None:
            free(h)
        error(resp, 503)
        set_header(resp, "Retry-After", "1")
        return False
    for i in range(len(data)):
        copy[i] = data[i]
    h.data = copy
    src = BodySource(context=cast(Ptr[None], h), length=i64(len(data)), read=heap_read, release=heap_release)
    send_source(resp, status, content_type, addr(src))
    return True


def heap_read(ctx: Ptr[None], into: Bytes) -> i64:
    h = cast(Ptr[HeapBody], ctx)
    n = copy_from(h.data, h.sent, into)
    h.sent += n
    return n


def copy_from(src: Bytes, at: i64, into: Bytes) -> i64:
    """What fits of src[at:] copied to the start of into; how many bytes."""
    n = len(src) - at
    if n > len(into):
        n = len(into)
    for i in range(n):
        into[i] = src[at + i]
    return n


def heap_release(ctx: Ptr[None]) -> None:
    h = cast(Ptr[HeapBody], ctx)
    free(h.data)
    free(h)


def release_source(resp: Ptr[Response]) -> None:
    """Let go of the body source, if any (its release function runs once)."""
    s = resp.source
    resp.source = BodySource()
    if s.release is not None:
        s.release(s.context)


def has_source(resp: Ptr[Response]) -> bool:
    return resp.source.read is not None or resp.source.release is not None


def json_body(resp: Ptr[Response], status: u16) -> Ptr[Json]:
    """Start a JSON body; the handler writes one value through the returned Json."""
    resp.status = status
    resp.content_type = "application/json"
    resp.uses_json = True
    json.init(addr(resp.json_writer), addr(resp.body))
    return addr(resp.json_writer)


def error(resp: Ptr[Response], status: u16) -> None:
    """A status with a one-line text body ("404 Not Found"); any body source is released."""
    release_source(resp)
    resp.body.len = 0
    resp.body.overflow = False
    resp.uses_json = False
    resp.status = status
    resp.content_type = "text/plain; charset=utf-8"
    resp.body.write(f"{status} {reason(status)}\n")


# ---- the head ---------------------------------------------------------------------------

def finish(resp: Ptr[Response], out: Bytes, head_only: bool, keep_alive: bool, version: u8) -> Bytes:
    """The whole response as a view into out. keep_alive False adds Connection: close;
    an HTTP/1.0 client that asked for keep-alive is told it got it. With a body source,
    the head alone, ending at out[HEAD_ROOM]: the source stays in resp only when its
    body is to be sent (not for HEAD, 204 or 304), else it is released here."""
    if not sendable(resp):
        replace_with_500(resp)
    head: Array[u8, 1024]
    w = Writer(buf=addr(head[0]), cap=HEAD_ROOM)
    size = write_head(resp, addr(w), keep_alive, version)
    if w.overflow:                          # a huge Content-Type: the 500 head always fits
        replace_with_500(resp)
        w.len = 0
        w.overflow = False
        size = write_head(resp, addr(w), keep_alive, version)
    start = HEAD_ROOM - i64(w.len)
    for i in range(i64(w.len)):
        out[start + i] = head[i]
    if has_source(resp):
        if head_only or size == 0:
            release_source(resp)
        return out[start:HEAD_ROOM]
    return out[start:HEAD_ROOM + (0 if head_only else size)]


def sendable(resp: Ptr[Response]) -> bool:
    """Nothing the handler did would make the response malformed or a lie."""
    if resp.body.overflow or resp.extra.overflow or resp.invalid:
        return False
    if resp.uses_json and not json.ok(addr(resp.json_writer)):
        return False
    if has_source(resp) and (resp.source.read is None or resp.source.length < 0 or resp.body.len > 0):
        return False
    return 200 <= resp.status <= 599 and rq.is_field_value(resp.content_type)


def replace_with_500(resp: Ptr[Response]) -> None:
    resp.extra.len = 0
    resp.allow = 0
    error(resp, 500)


def write_head(resp: Ptr[Response], w: Ptr[Writer], keep_alive: bool, version: u8) -> i64:
    """The status line and fields; the body size they announce."""
    no_body = resp.status == 204 or resp.status == 304
    size = i64(resp.body.len)
    if has_source(resp):
        size = resp.source.length
    if no_body:
        size = 0
    w.write(f"HTTP/1.1 {resp.status} {reason(resp.status)}\r\n")
    if size > 0 and len(resp.content_type) > 0:
        w.write(f"Content-Type: {resp.content_type}\r\n")
    if not no_body:                         # RFC 9110 section 8.6: not with 204
        w.write(f"Content-Length: {size}\r\n")
    write_allow(w, resp.allow)
    w.write_bytes(resp.extra.bytes())
    if not keep_alive:
        w.write("Connection: close\r\n")
    elif version == 10:
        w.write("Connection: keep-alive\r\n")
    w.write("\r\n")
    return size


def write_allow(w: Ptr[Writer], allow: u32) -> None:
    if allow == 0:
        return
    w.write("Allow: ")
    first = True
    for m in range(1, rq.METHOD_COUNT):
        if allow & (u32(1) << u32(m)):
            if not first:
                w.write(", ")
            w.write(rq.method_name(Method(m)))
            first = False
    w.write("\r\n")


def reason(status: u16) -> Str:
    """The reason phrase (RFC 9110 section 15); "" for codes it does not name here."""
    if status == 100:
        return "Continue"
    if status == 200:
        return "OK"
    if status == 201:
        return "Created"
    if status == 202:
        return "Accepted"
    if status == 204:
        return "No Content"
    if status == 301:
        return "Moved Permanently"
    if status == 302:
        return "Found"
    if status == 304:
        return "Not Modified"
    if status == 400:
        return "Bad Request"
    if status == 401:
        return "Unauthorized"
    if status == 403:
        return "Forbidden"
    if status == 404:
        return "Not Found"
    if status == 405:
        return "Method Not Allowed"
    if status == 408:
        return "Request Timeout"
    if status == 409:
        return "Conflict"
    if status == 411:
        return "Length Required"
    if status == 413:
        return "Content Too Large"
    if status == 414:
        return "URI Too Long"
    if status == 415:
        return "Unsupported Media Type"
    if status == 417:
        return "Expectation Failed"
    if status == 422:
        return "Unprocessable Content"
    if status == 429:
        return "Too Many Requests"
    if status == 431:
        return "Request Header Fields Too Large"
    if status == 500:
        return "Internal Server Error"
    if status == 501:
        return "Not Implemented"
    if status == 503:
        return "Service Unavailable"
    if status == 505:
        return "HTTP Version Not Supported"
    return ""
