"""What the framing and connection fields of a request mean (RFC 9110, RFC 9112).

Read once the header section is complete: Host, Content-Length, Transfer-Encoding,
Connection and Expect. Each check returns 0 or the status to answer with; the parser
closes the connection after any of them. A field may appear on several lines and as
a comma-separated list; both forms are read.
"""

from kaa.lang import *
import kaa.http.request as rq
from kaa.http.request import Request

HUGE: Final = 1 << 62               # a saturated Content-Length: larger than any limit
NO_LENGTH: Final = -1
BAD_LENGTH: Final = -2


def check_host(req: Ptr[Request]) -> u16:
    """RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without
    Host, and to any request with more than one Host or an invalid one."""
    n = 0
    i = rq.find_header(req, "host", 0)
    while i >= 0:
        if not valid_host(req.headers[i].value):
            return 400
        n += 1
        i = rq.find_header(req, "host", i + 1)
    if n > 1 or (n == 0 and req.version == 11):
        return 400
    return 0


def valid_host(s: Str) -> bool:
    """uri-host [":" port]: the characters of reg-name, IP-literal and port (RFC 3986);
    empty is allowed (RFC 9110 section 7.2)."""
    for c in s:
        if 97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57:
            continue
        if c == 45 or c == 46 or c == 95 or c == 126 or c == 37:        # - . _ ~ %
            continue
        if c == 33 or c == 36 or 38 <= c <= 44 or c == 59 or c == 61:   # ! $ & ' ( ) * + , ; =
            continue
        if c == 58 or c == 91 or c == 93:                               # : [ ]
            continue
        return False
    return True


def content_length(req: Ptr[Request]) -> i64:
    """The Content-Length (RFC 9110 section 8.6): NO_LENGTH, BAD_LENGTH for a value that
    is not digits or for differing values, else the length (HUGE when it overflows).
    Repeats of one value are accepted, as section 8.6 allows."""
    result: i64 = NO_LENGTH
    i = rq.find_header(req, "content-length", 0)
    while i >= 0:
        v = req.headers[i].value
        start = 0
        for k in range(len(v) + 1):
            if k == len(v) or v[k] == 44:
                n = decimal(rq.trim_ows(v[start:k]))
                if n == BAD_LENGTH or (result != NO_LENGTH and n != result):
                    return BAD_LENGTH
                result = n
                start = k + 1
        i = rq.find_header(req, "content-length", i + 1)
    return result


def decimal(s: Str) -> i64:
    if len(s) == 0:
        return BAD_LENGTH
    n: i64 = 0
    for c in s:
        if c < 48 or c > 57:
            return BAD_LENGTH
        n = HUGE if n >= HUGE // 10 else n * 10 + i64(c - 48)
    return n


def transfer_coding(req: Ptr[Request], chunked: Ptr[bool]) -> u16:
    """Transfer-Encoding (RFC 9112 sections 6.1 and 7): chunked[0] when the body is
    chunked. 400 when chunked is not the final coding or appears twice (the length
    cannot be known) or the request is HTTP/1.0 (its framing is faulty); 501 for any
    other coding, since chunked is the only one this server decodes."""
    found = False
    count = 0
    last = False
    unknown = False
    i = rq.find_header(req, "transfer-encoding", 0)
    while i >= 0:
        found = True
        v = req.headers[i].value
        start = 0
        for k in range(len(v) + 1):
            if k == len(v) or v[k] == 44:
                coding = rq.trim_ows(v[start:k])
                if len(coding) > 0:
                    last = rq.same_ignoring_case(coding, "chunked")
                    if last:
                        count += 1
                    else:
                        unknown = True
                start = k + 1
        i = rq.find_header(req, "transfer-encoding", i + 1)
    chunked[0] = False
    if not found:
        return 0
    if req.version == 10 or not last or count > 1:
        return 400
    if unknown:
        return 501
    chunked[0] = True
    return 0


def keep_alive(req: Ptr[Request]) -> bool:
    """RFC 9112 section 9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 closes unless
    "keep-alive" (the old convention 1.0 clients still use)."""
    close = False
    alive = False
    i = rq.find_header(req, "connection", 0)
    while i >= 0:
        close = close or rq.list_has(req.headers[i].value, "close")
        alive = alive or rq.list_has(req.headers[i].value, "keep-alive")
        i = rq.find_header(req, "connection", i + 1)
    if close:
        return False
    return req.version == 11 or alive


def expectation(req: Ptr[Request]) -> u16:
    """Expect (RFC 9110 section 10.1.1): 100-continue is noted (and honoured for
    HTTP/1.1 only); any other expectation gets 417."""
    i = rq.find_header(req, "expect", 0)
    while i >= 0:
        v = req.headers[i].value
        start = 0
        for k in range(len(v) + 1):
            if k == len(v) or v[k] == 44:
                e = rq.trim_ows(v[start:k])
                if len(e) > 0 and not rq.same_ignoring_case(e, "100-continue"):
                    return 417
                if len(e) > 0:
                    req.expect_continue = req.version == 11
                start = k + 1
        i = rq.find_header(req, "expect", i + 1)
    return 0
