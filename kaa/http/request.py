"""An HTTP request as handlers see it (RFC 9110), and the character classes of its syntax.

Every Str and Bytes in a Request is a view into the connection's input buffer: valid
while the handler runs, gone after it returns (the buffer then moves the next
pipelined request to its start). A handler that keeps something copies it.

Method names are case-sensitive (RFC 9110 section 9.1); field names are not (section
5.1), so header() compares them ignoring ASCII case. `path` and `query` are raw,
still percent-encoded; percent_decode() decodes one into a caller's buffer.
"""

from kaa.lang import *

MAX_HEADERS: Final = 64             # field lines a Request can hold (Limits may ask fewer)


class Method(IntEnum):
    OTHER = 0                       # a valid token this server does not know: 501
    GET = 1
    HEAD = 2
    POST = 3
    PUT = 4
    DELETE = 5
    OPTIONS = 6
    PATCH = 7                       # RFC 5789
    TRACE = 8
    CONNECT = 9


METHOD_COUNT: Final = 10


@struct
class Header:
    name: Str
    value: Str                      # without leading and trailing whitespace


@struct
class Request:
    method: Method
    method_name: Str                # as received (for Method.OTHER)
    target: Str                     # the request-target as received
    path: Str                       # "/a/b" ("*" for OPTIONS *); raw
    query: Str                      # after '?', "" when none; raw
    rest: Str                       # set by the router: the path after a prefix route
    version: u8                     # 10 or 11 (HTTP/1.0, HTTP/1.1)
    keep_alive: bool                # the client allows another request on this connection
    expect_continue: bool           # "Expect: 100-continue" on an HTTP/1.1 request
    chunked: bool                   # the body came with the chunked transfer coding
    content_length: i64             # the Content-Length field, -1 when absent
    body: Bytes                     # the whole body once the request is complete (a
                                    # streaming route's handler reads it with read_body())
    headers: Array[Header, 64]
    header_count: u32
    context: Ptr[None]              # the connection's context (the service's state)
    connection: Ptr[None]           # the HttpConnection serving it (read_body() reads through it)


# ---- lookups for handlers -------------------------------------------------------------

def header(req: Ptr[Request], name: Str) -> Str:
    """The value of the first field called name (any case); "" when there is none."""
    i = find_header(req, name, 0)
    return req.headers[i].value if i >= 0 else ""


def has_header(req: Ptr[Request], name: Str) -> bool:
    return find_header(req, name, 0) >= 0


def find_header(req: Ptr[Request], name: Str, start: i64) -> i64:
    """The index of the first field called name at or after start, or -1 (for fields
    that may repeat: loop with start = previous + 1)."""
    for i in range(start, i64(req.header_count)):
        if same_ignoring_case(req.headers[i].name, name):
            return i
    return -1


def query_param(req: Ptr[Request], name: Str) -> Str:
    """The raw value of name=value in the query ("" when absent; a bare name too)."""
    q = req.query
    start = 0
    for i in range(len(q) + 1):
        if i == len(q) or q[i] == 38:       # '&'
            item = q[start:i]
            eq = index_of(item, 61, 0)      # '='
            if eq < 0 and item == name:
                return ""
            if eq >= 0 and item[0:eq] == name:
                return item[eq + 1:len(item)]
            start = i + 1
    return ""


def percent_decode(s: Str, out: Bytes) -> i64:
    """s with %XX decoded into out (and '+' kept: it is only a space in forms); the
    decoded length, or -1 when s has a bad escape or out is too small."""
    n = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == 37:                         # '%'
            if i + 2 >= len(s):
                return -1
            hi = hex_digit(s[i + 1])
            lo = hex_digit(s[i + 2])
            if hi < 0 or lo < 0:
                return -1
            c = u8(hi * 16 + lo)
            i += 2
        if n == len(out):
            return -1
        out[n] = c
        n += 1
        i += 1
    return n


# ---- methods -------------------------------------------------------------------------

def method_from(name: Str) -> Method:
    for m in range(1, METHOD_COUNT):
        if method_name(Method(m)) == name:
            return Method(m)
    return Method.OTHER


def method_name(m: Method) -> Str:
    if m == Method.GET:
        return "GET"
    if m == Method.HEAD:
        return "HEAD"
    if m == Method.POST:
        return "POST"
    if m == Method.PUT:
        return "PUT"
    if m == Method.DELETE:
        return "DELETE"
    if m == Method.OPTIONS:
        return "OPTIONS"
    if m == Method.PATCH:
        return "PATCH"
    if m == Method.TRACE:
        return "TRACE"
    if m == Method.CONNECT:
        return "CONNECT"
    return ""


# ---- character classes (RFC 9110 section 5.6) --------------------------------------

def is_tchar(c: u8) -> bool:
    """token = 1*tchar: letters, digits and !#$%&'*+-.^_`|~"""
    if 97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57:
        return True
    return (c == 33 or 35 <= c <= 39 or c == 42 or c == 43 or c == 45 or c == 46 or c == 94
            or c == 95 or c == 96 or c == 124 or c == 126)


def is_token(s: Str) -> bool:
    if len(s) == 0:
        return False
    for c in s:
        if not is_tchar(c):
            return False
    return True


def is_field_value(s: Str) -> bool:
    """field-content: visible characters, obs-text, spaces and tabs; no other CTL."""
    for c in s:
        if (c < 32 and c != 9) or c == 127:
            return False
    return True


def is_ows(c: u8) -> bool:
    return c == 32 or c == 9


def trim_ows(s: Str) -> Str:
    a = 0
    b = len(s)
    while a < b and is_ows(s[a]):
        a += 1
    while b > a and is_ows(s[b - 1]):
        b -= 1
    return s[a:b]


def lower(c: u8) -> u8:
    return c + 32 if 65 <= c <= 90 else c


def same_ignoring_case(a: Str, b: Str) -> bool:
    if len(a) != len(b):
        return False
    for i in range(len(a)):
        if lower(a[i]) != lower(b[i]):
            return False
    return True


def index_of(s: Str, c: u8, start: i64) -> i64:
    for i in range(start, len(s)):
        if s[i] == c:
            return i
    return -1


def hex_digit(c: u8) -> i64:
    if 48 <= c <= 57:
        return i64(c) - 48
    if 97 <= c <= 102:
        return i64(c) - 87
    if 65 <= c <= 70:
        return i64(c) - 55
    return -1


def list_has(value: Str, token: Str) -> bool:
    """value, a comma-separated list (RFC 9110 section 5.6.1), has token (any case)."""
    start = 0
    for i in range(len(value) + 1):
        if i == len(value) or value[i] == 44:   # ','
            if same_ignoring_case(trim_ows(value[start:i]), token):
                return True
            start = i + 1
    return False
