"""kaa/http/*.py: the HTTP/1.1 server core, driven on the host.

tests/host/http_serve.py (built with --debug: an index out of range panics) runs one
HttpConnection the way a blocking socket would, with a test router; the script says
which bytes arrive when, and the harness prints every write in hex, "C" on close and
"R <deadline>" when it is left waiting to read. Grouped as RFC 9112 is: the request
line, field lines, the body (Content-Length, chunked), connection management
(keep-alive, pipelining, timeouts), then the router and the response builder.
Bodies streamed from a BodySource come last. Properties and fuzzing are in
test_http_property.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[0] if values else None

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Exchange:
    raw: bytes                              # everything written, in order
    writes: list[bytes]
    closed: bool
    deadline: int | None                    # when left waiting to read
    head_requests: set[int] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)      # the harness's whole output

    @property
    def responses(self) -> list[Response]:
        return parse_responses(self.raw, self.head_requests)

    @property
    def status_lines(self) -> list[str]:
        return [f"HTTP/1.1 {r.status} {r.reason}" for r in self.responses]


def parse_responses(data: bytes, head_requests: set[int] = frozenset()) -> list[Response]:
    """Split a stream of HTTP/1.1 responses; the indexes in head_requests answered HEAD
    (a Content-Length but no body). Fails on anything malformed."""
    out: list[Response] = []
    i = 0
    while i < len(data):
        end = data.index(b"\r\n\r\n", i)
        lines = data[i:end].decode("latin-1").split("\r\n")
        m = re.fullmatch(r"HTTP/1\.1 ([1-5]\d\d) (.*)", lines[0])
        assert m, lines[0]
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(": ")
            assert sep and re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", name), line
            headers.append((name, value))
        r = Response(int(m[1]), m[2], headers, b"")
        i = end + 4
        if r.status == 100:
            out.append(r)
            continue
        cl = r.header("Content-Length")
        if r.status in (204, 304):
            assert cl is None
            n = 0
        else:
            assert cl is not None and cl.isdigit(), r
            n = 0 if len([x for x in out if x.status != 100]) in head_requests else int(cl)
        r.body = data[i:i + n]
        assert len(r.body) == n, (r, data)
        i += n
        out.append(r)
    return out


Serve = Callable[..., Exchange]


def script_of(items: tuple) -> str:
    return " ".join("d:" + x.hex() if isinstance(x, bytes) else x for x in items)


def run_script(exe: Path, script: str, opts: tuple = ()) -> list[str]:
    r = subprocess.run([str(exe), *opts], input=script.encode(), capture_output=True, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    return r.stdout.decode().splitlines()


def exchange_of(lines: list[str]) -> Exchange:
    writes = [bytes.fromhex(x[2:]) for x in lines if x.startswith("W ")]
    waiting = [int(x[2:]) for x in lines if x.startswith("R ")]
    return Exchange(b"".join(writes), writes, "C" in lines, waiting[0] if waiting else None, lines=lines)


@pytest.fixture(scope="session")
def serve_exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kbuild.build(ROOT / "tests" / "host" / "http_serve.py", tmp_path_factory.mktemp("http") / "http_serve",
                        target="host", debug=True)


@pytest.fixture(scope="session")
def serve(serve_exe: Path) -> Serve:
    """serve(b"bytes", "t:5", b"more", "eof", opts=("max_body=10",), head={0})"""
    def run(*items: bytes | str, opts: tuple = (), head: set[int] = frozenset()) -> Exchange:
        ex = exchange_of(run_script(serve_exe, script_of(items), opts))
        ex.head_requests = set(head)
        return ex
    return run


def get(path: str = "/", extra: str = "", version: str = "1.1", method: str = "GET") -> bytes:
    host = "Host: example\r\n" if version == "1.1" else ""
    return f"{method} {path} HTTP/{version}\r\n{host}{extra}\r\n".encode()


def post(path: str, body: bytes, extra: str = "") -> bytes:
    return f"POST {path} HTTP/1.1\r\nHost: h\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode() + body


def chunked(path: str, chunks: list[bytes], trailer: str = "", method: str = "POST") -> bytes:
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks if c)
    return (f"{method} {path} HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
            + body + b"0\r\n" + trailer.encode() + b"\r\n")


def only_error(serve: Serve, data: bytes, *more: str, opts: tuple = ()) -> str:
    """The one response's status line; asserts it closed with Connection: close."""
    ex = serve(data, *more, opts=opts)
    (r,) = ex.responses
    assert ex.closed and r.header("Connection") == "close", ex
    assert r.body == f"{r.status} {r.reason}\n".encode()
    return f"HTTP/1.1 {r.status} {r.reason}"


# ---- the request line (RFC 9112 section 3) ----------------------------------------

def test_simple_get_keeps_the_connection_open(serve: Serve) -> None:
    ex = serve(get("/"))
    assert ex.raw == (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                      b"Content-Length: 6\r\n\r\nhello\n")
    assert not ex.closed and ex.deadline == 75_000_000_000      # idle timeout from t=0


def test_head_has_the_get_head_and_no_body(serve: Serve) -> None:
    ex = serve(get("/", method="HEAD"), get("/"), head={0})
    head, full = ex.responses
    assert head.headers == full.headers and head.body == b"" and full.body == b"hello\n"


def test_absolute_form_and_query(serve: Serve) -> None:
    d = serve(get("http://other:81/info?a=x%20y&b=2")).responses[0].json()
    assert (d["path"], d["query"], d["q_a"]) == ("/info", "a=x%20y&b=2", "x%20y")
    assert serve(get("HTTPS://h?a=1")).responses[0].body == b"hello\n"               # path "/"
    assert serve(get("http://h")).responses[0].body == b"hello\n"


@pytest.mark.parametrize("line", [
    b"hello", b"GET", b"GET /", b"GET / HTTP/1.1 ", b"GET  / HTTP/1.1", b"GET /  HTTP/1.1",
    b" GET / HTTP/1.1", b"GET / http/1.1", b"GET / HTTP/1.10", b"GET / HTTP/11", b"GET / HTTP/1.",
    b"GET /a#frag HTTP/1.1", b"GET a/b HTTP/1.1", b"GET * HTTP/1.1", b"GET /\x7f HTTP/1.1",
    b"GET /\xc3\xa9 HTTP/1.1", b"G(T / HTTP/1.1", b"GET http:///x HTTP/1.1", b"GET ftp://h/ HTTP/1.1",
    b"GET\t/ HTTP/1.1",
])
def test_malformed_request_lines_get_400(serve: Serve, line: bytes) -> None:
    assert only_error(serve, line + b"\r\nHost: h\r\n\r\n") == "HTTP/1.1 400 Bad Request"


@pytest.mark.parametrize("version", ["HTTP/2.0", "HTTP/0.9", "HTTP/3.1"])
def test_other_major_versions_get_505(serve: Serve, version: str) -> None:
    assert only_error(serve, f"GET / {version}\r\nHost: h\r\n\r\n".encode()) == \
        "HTTP/1.1 505 HTTP Version Not Supported"


def test_higher_minor_version_is_served_as_1_1(serve: Serve) -> None:
    ex = serve(b"GET /info HTTP/1.7\r\nHost: h\r\n\r\n")
    assert ex.responses[0].json()["version"] == 11 and not ex.closed


def test_unknown_and_overlong_methods_get_501(serve: Serve) -> None:
    # A well-formed request with an unknown method keeps the connection.
    ex = serve(get("/", method="BREW"), get("/"))
    assert ex.status_lines == ["HTTP/1.1 501 Not Implemented", "HTTP/1.1 200 OK"] and not ex.closed
    assert serve(get("/", method="get")).status_lines == ["HTTP/1.1 501 Not Implemented"]
    assert only_error(serve, get("/", method="A" * 17)) == "HTTP/1.1 501 Not Implemented"
    assert only_error(serve, b"A" * 3000) == "HTTP/1.1 501 Not Implemented"      # no line end yet
    assert serve(b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n").status_lines == \
        ["HTTP/1.1 501 Not Implemented"]


def test_long_targets_get_414(serve: Serve) -> None:
    ok = "/" + "a" * 99
    assert serve(get(ok), opts=("max_target=100",)).status_lines == ["HTTP/1.1 404 Not Found"]
    assert only_error(serve, get(ok + "a"), opts=("max_target=100",)) == "HTTP/1.1 414 URI Too Long"
    # Before the line ends: as soon as it cannot fit the limit.
    ex = serve(b"GET /" + b"a" * 200, opts=("max_target=100",))
    assert ex.status_lines == ["HTTP/1.1 414 URI Too Long"] and ex.closed
    # A line longer than the whole buffer.
    assert only_error(serve, b"GET /" + b"a" * 600, opts=("in=512", "max_target=4000")) == \
        "HTTP/1.1 414 URI Too Long"


def test_empty_lines_before_the_request_line_are_ignored(serve: Serve) -> None:
    ex = serve(b"\r\n\n\r\n" + get("/") + b"\r\n" + get("/"))
    assert ex.status_lines == ["HTTP/1.1 200 OK"] * 2


def test_bare_lf_ends_lines_and_bare_cr_is_rejected(serve: Serve) -> None:
    assert serve(b"GET / HTTP/1.1\nHost: h\n\n").status_lines == ["HTTP/1.1 200 OK"]
    assert only_error(serve, b"GET / HTTP/1.1\rHost: h\r\n\r\n") == "HTTP/1.1 400 Bad Request"
    assert only_error(serve, b"GET / HTTP/1.1\r\nX: a\rb\r\nHost: h\r\n\r\n") == "HTTP/1.1 400 Bad Request"


# ---- field lines (RFC 9112 section 5, RFC 9110 section 5) -------------------------

def test_fields_are_trimmed_and_found_in_any_case(serve: Serve) -> None:
    d = serve(get("/info", "x-TeSt: \t spaced  out \t\r\nEmpty:\r\n")).responses[0].json()
    assert d["x_test"] == "spaced  out"
    assert d["headers"] == [["Host", "example"], ["x-TeSt", "spaced  out"], ["Empty", ""]]


def test_obs_text_in_values_is_kept(serve: Serve) -> None:
    d = serve(b"GET /info HTTP/1.1\r\nHost: h\r\nX-Test: caf\xc3\xa9\r\n\r\n").responses[0].json()
    assert d["x_test"] == "caf\u00e9"


@pytest.mark.parametrize("fields", [
    "Host : h\r\n",                         # whitespace before the colon
    "Host: h\r\n folded\r\n",               # obs-fold
    "Host: h\r\n\tfolded\r\n",
    "Host: h\r\nNo colon\r\n",
    "Host: h\r\n: empty name\r\n",
    "Host: h\r\nBad(name): x\r\n",
    "Host: h\r\nX: a\x00b\r\n",             # NUL
    "Host: h\r\nX: a\x01b\r\n",
    "Host: h\r\nX: a\x7fb\r\n",
    "",                                     # HTTP/1.1 without Host
    "Host: a\r\nHost: b\r\n",               # two
    "Host: a b\r\n",                        # not a host
    "Host: a/b\r\n",
    "Host: user@h\r\n",
])
def test_bad_fields_get_400(serve: Serve, fields: str) -> None:
    assert only_error(serve, f"GET / HTTP/1.1\r\n{fields}\r\n".encode()) == "HTTP/1.1 400 Bad Request"


def test_host_rules(serve: Serve) -> None:
    assert serve(b"GET / HTTP/1.1\r\nHost:\r\n\r\n").status_lines == ["HTTP/1.1 200 OK"]   # empty is allowed
    assert serve(b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").status_lines == ["HTTP/1.1 200 OK"]
    assert serve(b"GET / HTTP/1.0\r\n\r\n").status_lines == ["HTTP/1.1 200 OK"]           # 1.0 needs none


def test_too_many_fields_get_431(serve: Serve) -> None:
    four = "".join(f"X-{i}: v\r\n" for i in range(3))
    assert serve(get("/", four), opts=("max_headers=4",)).status_lines == ["HTTP/1.1 200 OK"]
    assert only_error(serve, get("/", four + "X-3: v\r\n"), opts=("max_headers=4",)) == \
        "HTTP/1.1 431 Request Header Fields Too Large"
    many = "".join(f"X-{i}: v\r\n" for i in range(64))
    assert only_error(serve, get("/", many)) == "HTTP/1.1 431 Request Header Fields Too Large"


def test_large_field_sections_get_431(serve: Serve) -> None:
    # "Host: example" is 13 bytes; 13 + 87 = 100 fits, 101 does not.
    assert serve(get("/", "X: " + "v" * 84 + "\r\n"), opts=("max_header_bytes=100",)).status_lines == \
        ["HTTP/1.1 200 OK"]
    assert only_error(serve, get("/", "X: " + "v" * 85 + "\r\n"), opts=("max_header_bytes=100",)) == \
        "HTTP/1.1 431 Request Header Fields Too Large"
    ex = serve(b"GET / HTTP/1.1\r\nX: " + b"v" * 200, opts=("max_header_bytes=100",))   # no line end yet
    assert ex.status_lines == ["HTTP/1.1 431 Request Header Fields Too Large"] and ex.closed
    assert only_error(serve, b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200, opts=("in=512",)) == \
        "HTTP/1.1 431 Request Header Fields Too Large"                               # fills the buffer


# ---- the body: Content-Length (RFC 9112 section 6) ---------------------------------

def test_content_length_body(serve: Serve) -> None:
    ex = serve(post("/echo", b"0123456789"), post("/echo", b""), b"PUT /echo HTTP/1.1\r\nHost: h\r\n\r\n")
    assert [r.body for r in ex.responses] == [b"0123456789", b"", b""]
    assert ex.responses[0].header("Content-Type") == "application/octet-stream"
    d = serve(post("/info", b"x", "Content-Length: 1\r\n")).responses[0].json()    # repeated, same value
    assert d["body"] == "x"
    assert serve(post("/echo", b"abc")[:-3].replace(b"3", b"3, 3") + b"abc").responses[0].body == b"abc"
    assert serve(post("/echo", b"ab").replace(b": 2", b": 002")).responses[0].body == b"ab"


@pytest.mark.parametrize("value", ["abc", "-1", "+1", "1 2", "1, 2", "0x10", "", "1,", " , 1"])
def test_invalid_content_length_gets_400(serve: Serve, value: str) -> None:
    assert only_error(serve, get("/echo", f"Content-Length: {value}\r\n", method="POST") + b"x" * 20) == \
        "HTTP/1.1 400 Bad Request"


def test_conflicting_framing_gets_400(serve: Serve) -> None:
    two = get("/echo", "Content-Length: 1\r\nContent-Length: 2\r\n", method="POST") + b"xx"
    assert only_error(serve, two) == "HTTP/1.1 400 Bad Request"
    both = get("/echo", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", method="POST") + b"0\r\n\r\n"
    assert only_error(serve, both) == "HTTP/1.1 400 Bad Request"


def test_large_bodies_get_413(serve: Serve) -> None:
    assert serve(post("/echo", b"x" * 100), opts=("max_body=100",)).status_lines == ["HTTP/1.1 200 OK"]
    assert only_error(serve, post("/echo", b"x" * 101), opts=("max_body=100",)) == \
        "HTTP/1.1 413 Content Too Large"
    # Refused from the head alone, before the body is sent.
    assert only_error(serve, get("/echo", "Content-Length: 99999999999999999999999\r\n", method="POST")) == \
        "HTTP/1.1 413 Content Too Large"
    # A body larger than the input buffer moves the request to a larger one.
    assert serve(post("/echo", b"x" * 600), opts=("in=512",)).responses[0].body == b"x" * 600
    assert serve(chunked("/echo", [b"y" * 300] * 4), opts=("in=512",)).responses[0].body == b"y" * 1200


# ---- the body: chunked (RFC 9112 section 7) ----------------------------------------

def test_chunked_bodies_are_decoded(serve: Serve) -> None:
    chunks = [b"a", b"bc", b"x" * 300, b"\r\n0\r\n", b"end"]
    d = serve(chunked("/info", chunks)).responses[0].json()
    assert d["body"] == "".join(c.decode() for c in chunks) and d["chunked"] and d["content_length"] == -1
    raw = (b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n")
    assert only_error(serve, raw) == "HTTP/1.1 400 Bad Request"      # chunked must be the last coding


def test_chunk_extensions_trailers_and_hex_forms(serve: Serve) -> None:
    body = b"A;name=value;q=\"x y\"\r\n0123456789\r\n0005 ; ext\r\nabcde\r\n000;last\r\nT1: a\r\nT2: b\r\n\r\n"
    ex = serve(b"PUT /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: CHUNKED\r\n\r\n" + body + get("/"))
    assert [r.body for r in ex.responses] == [b"0123456789abcde", b"hello\n"]


@pytest.mark.parametrize("body", [
    b"zz\r\nab\r\n0\r\n\r\n",              # not hex
    b"\r\n",                                # no size
    b"2\r\nabc\r\n0\r\n\r\n",              # data longer than the size
    b"2\r\nab0\r\n\r\n",                    # no CRLF after the data
    b"2 \r\nab\r\n0\r\n\r\n",              # whitespace with no extension
    b"2x\r\nab\r\n0\r\n\r\n",
    b"-2\r\nab\r\n0\r\n\r\n",
    b"2;a\x00\r\nab\r\n0\r\n\r\n",          # a control in an extension
    b"0\r\nBad trailer\r\n\r\n",
    b"0\r\n: x\r\n\r\n",
    b"2\r\nab\r\r\n0\r\n\r\n",
    b"2;" + b"e" * 300 + b"\r\nab\r\n0\r\n\r\n",   # an extension past max_chunk_line
])
def test_bad_chunking_gets_400(serve: Serve, body: bytes) -> None:
    raw = b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body
    assert only_error(serve, raw) == "HTTP/1.1 400 Bad Request"


@pytest.mark.parametrize("codings", ["chunked, gzip", "chunked, chunked", "chunked\r\nTransfer-Encoding: chunked",
                                     "", "chunked;x=1"])
def test_transfer_codings_that_cannot_frame_get_400(serve: Serve, codings: str) -> None:
    raw = f"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: {codings}\r\n\r\n0\r\n\r\n".encode()
    assert only_error(serve, raw) == "HTTP/1.1 400 Bad Request"


def test_transfer_encoding_rules(serve: Serve) -> None:
    assert only_error(serve, b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == \
        "HTTP/1.1 501 Not Implemented"
    assert only_error(serve, b"POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == \
        "HTTP/1.1 400 Bad Request"                              # RFC 9112 section 6.1: faulty framing
    ok = b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,chunked ,\r\n\r\n1\r\nz\r\n0\r\n\r\n"
    assert serve(ok).responses[0].body == b"z"                  # empty list elements are ignored


def test_chunked_limits_get_413(serve: Serve) -> None:
    assert serve(chunked("/echo", [b"x" * 60, b"y" * 40]), opts=("max_body=100",)).status_lines == \
        ["HTTP/1.1 200 OK"]
    assert only_error(serve, chunked("/echo", [b"x" * 60, b"y" * 41]), opts=("max_body=100",)) == \
        "HTTP/1.1 413 Content Too Large"
    huge = b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffffff\r\n"
    assert only_error(serve, huge) == "HTTP/1.1 413 Content Too Large"


def test_chunked_body_can_use_the_whole_buffer(serve: Serve) -> None:
    # The framing of many small chunks is squeezed out as it arrives, so a body nearly
    # as large as the buffer fits though its chunked form is three times larger.
    data = bytes(range(256)) * 3
    req = chunked("/echo", [data[i:i + 2] for i in range(0, len(data), 2)])
    assert len(req) > 2000
    ex = serve(*[req[i:i + 100] for i in range(0, len(req), 100)], opts=("in=1024", "rchunk=100"))
    assert ex.responses[0].body == data


# ---- connection management (RFC 9112 section 9) ------------------------------------

def test_pipelined_requests_are_answered_in_order(serve: Serve) -> None:
    ex = serve(get("/kv/a") + post("/echo", b"one") + chunked("/echo", [b"two"]) + get("/nothing") + get("/"))
    rs = ex.responses
    assert [r.status for r in rs] == [200, 200, 200, 404, 200]
    assert rs[0].json()["rest"] == "a" and rs[1].body == b"one" and rs[2].body == b"two"
    assert not ex.closed


def test_http_1_0_closes_unless_asked(serve: Serve) -> None:
    ex = serve(get("/", version="1.0"), get("/", version="1.0"))
    assert len(ex.responses) == 1 and ex.responses[0].header("Connection") == "close" and ex.closed
    ex = serve(get("/", "Connection: Keep-Alive\r\n", version="1.0"), get("/", version="1.0"))
    assert [r.header("Connection") for r in ex.responses] == ["keep-alive", "close"] and ex.closed


def test_connection_close(serve: Serve) -> None:
    ex = serve(get("/", "Connection: foo, CLOSE\r\n"), get("/"))
    assert len(ex.responses) == 1 and ex.responses[0].header("Connection") == "close" and ex.closed
    ex = serve(get("/close"), get("/"))                         # the handler asks
    assert ex.raw.endswith(b"Connection: close\r\n\r\nbye\n") and ex.closed


def test_peer_half_close(serve: Serve) -> None:
    ex = serve(get("/") + get("/"), "eof")                      # both are answered, then close
    assert ex.status_lines == ["HTTP/1.1 200 OK"] * 2 and ex.closed
    ex = serve(b"GET / HTTP/1.1\r\nHo", "eof")                  # a partial request: just close
    assert ex.raw == b"" and ex.closed


def test_expect_100_continue(serve: Serve) -> None:
    head = b"POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n"
    ex = serve(head, b"abc")
    assert ex.writes[0] == b"HTTP/1.1 100 Continue\r\n\r\n" and ex.responses[1].body == b"abc"
    assert serve(head + b"abc").responses[0].status == 200      # the body came anyway: no 100
    assert only_error(serve, head.replace(b"100-Continue", b"200-ok")) == "HTTP/1.1 417 Expectation Failed"
    big = head.replace(b": 3", b": 999")
    assert only_error(serve, big, opts=("max_body=100",)) == "HTTP/1.1 413 Content Too Large"  # not 100


def test_slow_request_gets_408(serve: Serve) -> None:
    ex = serve("t:1000", b"GET / HTTP/1.1\r\n", "t:5000000000", b"Host: h\r\n")
    assert ex.raw == b"" and ex.deadline == 1000 + 10_000_000_000       # from the first byte
    ex = serve("t:1000", b"GET / HTTP/1.1\r\n", "t:10000001000")
    assert ex.status_lines == ["HTTP/1.1 408 Request Timeout"] and ex.closed
    ex = serve(b"GET /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab", "t:20000000000",
               opts=("req_timeout=20000000000",))
    assert ex.status_lines == ["HTTP/1.1 408 Request Timeout"]
    # A dribble of bytes does not extend the deadline.
    dribble = [x for i in range(1, 12) for x in (f"t:{i * 1_000_000_000}", b"\r\n")]
    assert serve(*dribble).status_lines == ["HTTP/1.1 408 Request Timeout"]


def test_idle_connection_is_closed_quietly(serve: Serve) -> None:
    ex = serve("t:5", get("/"), "t:7")
    assert ex.deadline == 5 + 75_000_000_000                    # armed once the response is written
    ex = serve("t:5", get("/"), "t:7", "t:75000000007")
    assert ex.status_lines == ["HTTP/1.1 200 OK"] and ex.closed
    ex = serve("t:5", get("/"), "t:7", "t:75000000004", get("/"))
    assert ex.status_lines == ["HTTP/1.1 200 OK"] * 2 and not ex.closed
    # A new connection must begin its first request within the request timeout.
    assert serve("t:0", "t:10000000000").closed and not serve("t:0", "t:9999999999").closed


def test_partial_writes(serve: Serve) -> None:
    whole = serve(get("/info") + get("/"))
    pieces = serve(get("/info") + get("/"), opts=("wchunk=7",))
    assert pieces.raw == whole.raw and all(len(w) <= 7 for w in pieces.writes)


def test_small_reads(serve: Serve) -> None:
    stream = get("/info", "X-Test: 1\r\n") + chunked("/echo", [b"abc", b"defg"]) + post("/echo", b"xyz")
    assert serve(stream, opts=("rchunk=1",)).raw == serve(stream).raw


def test_run_over_a_transport(serve: Serve) -> None:
    stream = get("/info") + post("/echo", b"abc") + chunked("/echo", [b"x", b"yz"]) + get("/nothere")
    pieces = [stream[i:i + 13] for i in range(0, len(stream), 13)]
    stepped = serve(*pieces)
    ex = serve(*pieces, opts=("transport=1",))              # the idle timeout ends it
    assert ex.raw == stepped.raw and ex.closed and [r.status for r in ex.responses] == [200, 200, 200, 404]
    ex = serve(*pieces, opts=("transport=1", "wchunk=5"))
    assert ex.raw == stepped.raw and max(len(w) for w in ex.writes) == 5
    ex = serve(pieces[0], "eof", opts=("transport=1",))      # the peer gave up mid-request
    assert ex.raw == b"" and ex.closed
    ex = serve(b"GET / HTTP/1.1\r\n", opts=("transport=1",))  # the peer went quiet mid-request
    assert ex.status_lines == ["HTTP/1.1 408 Request Timeout"] and ex.closed


# ---- the router ---------------------------------------------------------------------

def test_routes(serve: Serve) -> None:
    assert serve(get("/nothere")).status_lines == ["HTTP/1.1 404 Not Found"]
    assert serve(get("/kv")).status_lines == ["HTTP/1.1 404 Not Found"]        # the prefix is "/kv/"
    d = serve(get("/kv/a/b%20c?x=1")).responses[0].json()
    assert (d["rest"], d["query"]) == ("a/b%20c", "x=1")
    assert serve(get("/kv/")).responses[0].json()["rest"] == ""
    assert serve(get("/kv/special")).responses[0].body == b"special\n"          # exact beats prefix
    d = serve(get("/kv/special", method="PUT")).responses[0].json()             # PUT only on the prefix
    assert (d["method"], d["rest"]) == ("PUT", "special")
    assert serve(get("/", method="POST")).status_lines == ["HTTP/1.1 405 Method Not Allowed"]
    assert serve(get("//")).status_lines == ["HTTP/1.1 404 Not Found"]         # "/" is not a prefix


def test_wrong_method_gets_405_with_allow(serve: Serve) -> None:
    ex = serve(get("/info", method="DELETE"), get("/"))
    r = ex.responses[0]
    assert (r.status, r.header("Allow")) == (405, "GET, HEAD, POST, OPTIONS") and not ex.closed
    assert serve(get("/kv/x", method="POST")).responses[0].header("Allow") == \
        "GET, HEAD, PUT, DELETE, OPTIONS"
    assert serve(get("/kv/special", method="PATCH")).responses[0].header("Allow") == \
        "GET, HEAD, PUT, DELETE, OPTIONS"                       # the union of every matching route


def test_options(serve: Serve) -> None:
    r = serve(get("/echo", method="OPTIONS")).responses[0]
    assert (r.status, r.header("Allow"), r.header("Content-Length"), r.body) == \
        (204, "POST, PUT, OPTIONS", None, b"")
    r = serve(get("*", method="OPTIONS")).responses[0]
    assert (r.status, r.header("Allow")) == (204, "GET, HEAD, POST, PUT, DELETE, OPTIONS")


def test_head_of_an_error_has_no_body(serve: Serve) -> None:
    ex = serve(get("/nothere", method="HEAD"), get("/"), head={0})
    assert [r.status for r in ex.responses] == [404, 200] and ex.responses[0].body == b""
    assert ex.responses[0].header("Content-Length") == "14"


# ---- the response builder ------------------------------------------------------------

def test_handler_mistakes_become_500(serve: Serve) -> None:
    for path in ["/big", "/badjson", "/inject", "/status?code=99", "/status?code=600"]:
        ex = serve(get(path), get("/"))
        assert ex.status_lines == ["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 200 OK"], path
        assert ex.responses[0].header("X-Bad") is None


def test_oversized_heads_become_500(serve: Serve) -> None:
    r = serve(get("/fields?n=16")).responses[0]
    assert r.status == 200 and len([h for h in r.headers if h[0] == "X-Field-Number"]) == 16
    assert serve(get("/fields?n=17")).status_lines == ["HTTP/1.1 500 Internal Server Error"]
    r = serve(get("/type?n=900")).responses[0]                     # "x" * 900 fits the head
    assert (r.status, r.header("Content-Type")) == (200, "x" * 900)
    for n in (1000, 0):                                             # too long; a line break
        ex = serve(get(f"/type?n={n}"), get("/"))
        assert ex.status_lines == ["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 200 OK"], n
        assert ex.responses[0].header("X-Injected") is None


def test_statuses_and_extra_fields(serve: Serve) -> None:
    r = serve(get("/custom")).responses[0]
    assert (r.status, r.reason, r.header("X-Kaa"), r.body) == (201, "Created", "yes", b"made\n")
    assert serve(get("/status?code=299")).raw.startswith(b"HTTP/1.1 299 \r\n")  # no reason phrase known
    ex = serve(get("/empty"), get("/"))
    assert ex.raw.startswith(b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK")


def test_percent_decode(serve: Serve) -> None:
    def decode(q: str) -> tuple[int, bytes]:
        r = serve(get("/decode?" + q)).responses[0]
        return r.status, r.body
    assert decode("a%20b%2F%c3%A9+") == (200, b"a b/\xc3\xa9+")
    assert decode("") == (200, b"")
    assert decode("x" * 16) == (200, b"x" * 16)
    for bad in ["%", "%2", "%zz", "a%2g", "x" * 17]:
        assert decode(bad) == (400, b"400 Bad Request\n"), bad


def test_json_response(serve: Serve) -> None:
    r = serve(post("/info?a=%22", b'"quoted" \\ \x01 \xff caf\xc3\xa9', "X-Test: \"q\"\r\n")).responses[0]
    assert r.header("Content-Type") == "application/json"
    d = r.json()
    assert d["body"] == '"quoted" \\ \x01 \ufffd café' and d["x_test"] == '"q"' and d["q_a"] == "%22"
    assert d["content_length"] == 20 and d["body_len"] == 20


# ---- bodies from a source (http_response.BodySource) ------------------------------------

def pattern(start: int, n: int) -> bytes:
    """The harness's /stream body: byte i is (i * 7 + 3) & 255."""
    return bytes((i * 7 + 3) & 0xFF for i in range(start, start + n))


def reads(ex: Exchange) -> list[tuple[int, str]]:
    return [(int(x.split()[1]), x.split()[2]) for x in ex.lines if x.startswith("P ")]


def releases(ex: Exchange) -> list[str]:
    return [x for x in ex.lines if x.startswith("released")]


def test_source_body_goes_in_aligned_pieces(serve: Serve) -> None:
    n = 200_000
    ex = serve(get(f"/stream?n={n}") + get("/"))
    big, hello = ex.responses
    assert big.status == 200 and big.header("Content-Length") == str(n) and big.body == pattern(0, n)
    assert hello.body == b"hello\n" and not ex.closed           # kept alive, pipelining resumes after
    # The head and the first piece in one write; then one piece per write, each read
    # straight into the buffer at a 4 KiB multiple of the body, the last one short.
    assert reads(ex) == [(0, "61440"), (61440, "65536"), (126976, "65536"), (192512, "7488")]
    assert ex.writes[0].endswith(pattern(0, 61440)) and [len(w) for w in ex.writes[1:4]] == [65536, 65536, 7488]
    assert releases(ex) == ["released 4"]


def test_source_body_with_short_reads_and_writes(serve: Serve) -> None:
    ex = serve(get("/stream?n=100000&piece=1000"), opts=("wchunk=777",))
    assert ex.responses[0].body == pattern(0, 100_000) and releases(ex) == ["released 100"]
    assert max(len(w) for w in ex.writes) == 777
    ex = serve(get("/stream?n=5000"), opts=("out=2048",))           # a buffer smaller than a block
    assert ex.responses[0].body == pattern(0, 5000) and reads(ex)[:2] == [(0, "1024"), (1024, "2048")]


def test_source_head_and_304_read_nothing(serve: Serve) -> None:
    ex = serve(get("/stream?n=100000", method="HEAD"), get("/"), head={0})
    head, hello = ex.responses
    assert head.header("Content-Length") == "100000" and head.body == b"" and hello.body == b"hello\n"
    assert reads(ex) == [] and releases(ex) == ["released 0"]
    ex = serve(get("/stream?n=100000&status=304"), get("/"))
    assert ex.status_lines == ["HTTP/1.1 304 Not Modified", "HTTP/1.1 200 OK"]
    assert ex.responses[0].header("Content-Length") is None and reads(ex) == [] and releases(ex) == ["released 0"]
    ex = serve(get("/stream?n=0"))
    assert ex.responses[0].header("Content-Length") == "0" and reads(ex) == [] and releases(ex) == ["released 0"]


def test_source_failing_at_once_becomes_500(serve: Serve) -> None:
    ex = serve(get("/stream?n=100000&fail=0"), get("/"))
    assert ex.status_lines == ["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 200 OK"] and not ex.closed
    assert releases(ex) == ["released 0"]


def test_source_failing_later_closes_the_connection(serve: Serve) -> None:
    ex = serve(get("/stream?n=200000&fail=100000") + get("/"))
    assert ex.closed and releases(ex) == ["released 2"]
    head, _, body = ex.raw.partition(b"\r\n\r\n")
    assert b"Content-Length: 200000" in head and body == pattern(0, 126976)    # short: the peer can tell


def test_source_misuse_becomes_500_and_is_released(serve: Serve) -> None:
    for query in ["n=10&also=1", "n=-1", "n=10&status=99"]:
        ex = serve(get(f"/stream?{query}"), get("/"))
        assert ex.status_lines == ["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 200 OK"], query
        assert releases(ex) == ["released 0"] and reads(ex) == [], query
    ex = serve(get("/stream?n=10&error=1"))                        # the handler changed its mind
    assert ex.status_lines == ["HTTP/1.1 404 Not Found"] and releases(ex) == ["released 0"]
    ex = serve(get("/stream?n=10&release=0"))                      # a source with nothing to release
    assert ex.responses[0].body == pattern(0, 10) and releases(ex) == []


def test_source_is_released_when_the_transport_fails(serve: Serve) -> None:
    ex = serve(get("/stream?n=300000"), opts=("transport=1", "sendfail=1000"))
    assert releases(ex) == ["released 2"] and len(ex.raw) < 300_000


def test_catch_all_route(serve: Serve) -> None:
    d = serve(get("/a/b%20c?x=1"), opts=("catchall=1",)).responses[0].json()
    assert (d["path"], d["rest"]) == ("/a/b%20c", "a/b%20c")
    assert serve(get("/"), opts=("catchall=1",)).responses[0].body == b"hello\n"     # exact routes win
    assert serve(get("/kv/special"), opts=("catchall=1",)).responses[0].body == b"special\n"
    assert serve(get("/kv/x"), opts=("catchall=1",)).responses[0].json()["rest"] == "x"    # so do prefixes
    r = serve(get("/other", method="PUT"), opts=("catchall=1",)).responses[0]
    assert (r.status, r.header("Allow")) == (405, "GET, HEAD, OPTIONS")
