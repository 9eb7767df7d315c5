"""Request bodies up to the configured limit, for every server (kaa/http/), and the
limits' defaults as docs/http.md gives them.

- On the host (tests/host/http_serve.py, the harness of test_http.py): a request whose
  body outgrows the input buffer moves to a larger one and back, pipelined or not.
- Booted, examples/http_api.py with every http.* option of the command line spelled
  wrong: the console names each default, which must be what docs/http.md says; then a
  1 MiB body, Content-Length and chunked, is stored and read back whole, and 1 MiB + 1
  is refused with 413 while the server goes on.
- Booted, a kaa.web service that answers a body's length and SHA-256: the same.
- Booted, a kernel-level service with streamed routes (route_stream, read_body) and
  http.max_body=8 MiB on the command line: 8 MiB uploads pass through the fixed buffer
  (the heap does not grow with them), failures in the body become the error answer.

Traffic goes to 127.0.0.1 only (QEMU's user network).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import zlib
from pathlib import Path

import pytest

from guest import Guest
from kaa.bench.machine import free_port
from test_http import Serve, chunked, get, post, serve, serve_exe  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
MIB = 1 << 20


# ---- on the host ---------------------------------------------------------------------

def test_a_body_larger_than_the_buffer_moves_to_a_larger_one_and_back(serve: Serve) -> None:
    big = bytes(random.Random(1).randrange(256) for _ in range(3000))
    ex = serve(post("/echo", big) + get("/info") + chunked("/echo", [big[:1000], big[1000:]]) + post("/echo", b"small"),
               opts=("in=512",))
    assert [r.body for r in ex.responses[:1] + ex.responses[2:]] == [big, big, b"small"]
    assert ex.responses[1].json()["path"] == "/info" and not ex.closed
    # A pipelined request that arrived with the big body is kept across the move back.
    ex = serve(post("/echo", big) + get("/"), opts=("in=512", "rchunk=700"))
    assert ex.status_lines == ["HTTP/1.1 200 OK"] * 2
    # The limit still holds, whatever the buffer.
    ex = serve(chunked("/echo", [big, big]), opts=("in=512", "max_body=5999"))
    assert ex.status_lines == ["HTTP/1.1 413 Content Too Large"] and ex.closed


# ---- booted: the clients -------------------------------------------------------------

def request(port: int, method: str, path: str, body: bytes = b"", chunk_sizes: list[int] | None = None,
            expect: bool = False) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection (Content-Length, or chunked in pieces of
    chunk_sizes cycled); its answer: status, fields (names in lower case), body. A
    server that refuses the body may close before it is all sent: the answer is read
    all the same."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        fields = ["Host: t", "Transfer-Encoding: chunked" if chunk_sizes else f"Content-Length: {len(body)}"]
        if expect:
            fields.append("Expect: 100-continue")
        s.sendall(f"{method} {path} HTTP/1.1\r\n{''.join(f + chr(13) + chr(10) for f in fields)}\r\n".encode())
        if expect:
            assert s.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        try:
            if chunk_sizes:
                i, k = 0, 0
                while i < len(body):
                    n = chunk_sizes[k % len(chunk_sizes)]
                    s.sendall(b"%x\r\n%s\r\n" % (len(body[i:i + n]), body[i:i + n]))
                    i, k = i + n, k + 1
                s.sendall(b"0\r\n\r\n")
            else:
                s.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_answer(s)


def read_answer(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    n = int(fields["content-length"])
    while len(rest) < n:
        chunk = s.recv(1 << 20)
        assert chunk
        rest += chunk
    return int(lines[0].split()[1]), fields, rest[:n]


def documented_defaults() -> dict[str, int]:
    """http.NAME -> the default docs/http.md's table gives it."""
    table = (ROOT / "docs" / "http.md").read_text()
    rows = re.findall(r"^\| [^|]+ \| `(http\.\w+)=\w+` \| (\d+)", table, re.M)
    assert len(rows) == 6, rows
    return {name: int(v) for name, v in rows}


def test_http_api_stores_bodies_up_to_the_limit_and_the_defaults_are_the_documented_ones() -> None:
    port = free_port()
    wrong = tuple(f"{name}=x" for name in documented_defaults())
    with Guest("examples/http_api.py", "-p", f"{port}:80", cmdline=wrong) as g:
        g.wait_for(r"http_api: serving")
        said = {}
        for name in documented_defaults():
            said[name] = int(g.wait_for(rf"http: bad {re.escape(name)}=x \(.*\); using (\d+)$")[1])
        assert said == documented_defaults()
        data = random.Random(2).randbytes(MIB)
        assert request(port, "PUT", "/kv/fixed", data)[0] == 201
        assert request(port, "PUT", "/kv/chunked", data, chunk_sizes=[65536, 1000, 77777])[0] == 201
        assert request(port, "PUT", "/kv/continued", data, expect=True)[0] == 201
        for key in ("fixed", "chunked", "continued"):
            status, _, body = request(port, "GET", f"/kv/{key}")
            assert status == 200 and hashlib.sha256(body).digest() == hashlib.sha256(data).digest(), key
        # One byte more: refused from the head, or when the chunks pass the limit.
        status, fields, _ = request(port, "PUT", "/kv/over", data + b"!")
        assert status == 413 and fields["connection"] == "close"
        assert request(port, "PUT", "/kv/over", data + b"!", chunk_sizes=[65536])[0] == 413
        assert request(port, "GET", "/kv/over")[0] == 404
        stats = json.loads(request(port, "GET", "/stats")[2])
        assert stats["keys"] == 3 and stats["bytes"] == 3 * MIB, stats


WEB_SERVICE = """\
import hashlib
import os
from typing import Any

from kaa.web import App, Request

app = App()
app.access_log = False


@app.post("/hash")
def hash_body(req: Request) -> dict[str, Any]:
    return {"length": len(req.body), "sha256": hashlib.sha256(req.body).hexdigest()}


@app.get("/")
def hello() -> str:
    return "hello\\n"


app.run(port=int(os.environ.get("PORT", "8080")))
"""


def test_a_kaa_web_service_gets_whole_bodies_up_to_the_limit(tmp_path: Path) -> None:
    app = tmp_path / "hash_service.py"
    app.write_text(WEB_SERVICE)
    port = free_port()
    with Guest(str(app), "-p", f"{port}:80", cmdline=("PORT=80",)) as g:
        g.wait_for(r"serving on port 80", timeout=600)          # (the build comes first)
        data = random.Random(3).randbytes(MIB)
        want = {"length": MIB, "sha256": hashlib.sha256(data).hexdigest()}
        status, _, body = request(port, "POST", "/hash", data)
        assert status == 200 and json.loads(body) == want
        status, _, body = request(port, "POST", "/hash", data, chunk_sizes=[4096, 100000])
        assert status == 200 and json.loads(body) == want
        assert request(port, "POST", "/hash", data + b"!")[0] == 413
        assert request(port, "POST", "/hash", data + b"!", chunk_sizes=[65536])[0] == 413
        status, _, body = request(port, "GET", "/")
        assert (status, body) == (200, b"hello\n")


STREAM_SERVICE = """\
from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.lib.crc32 as crc32
import kaa.http.connection as http
import kaa.http.json_writer as json
import kaa.http.server as httpd
import kernel.net.net as net


def heap_in_use() -> i64:
    total: u64 = 0
    for c in range(cpu.count):
        total += cpu.percpu[c].heap.in_use
    return i64(total)


def summary(resp: Ptr[http.Response], n: i64, crc: u32, base: i64, peak: i64) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "length", n)
    json.field_int(j, "crc", i64(crc))
    json.field_int(j, "base", base)
    json.field_int(j, "peak", peak)
    json.end_object(j)


def stream(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    piece: Array[u8, 8192]
    crc: u32 = 0
    total = 0
    base = heap_in_use()
    peak = base
    while True:
        n = http.read_body(req, piece[0:len(piece)])
        if n < 0:
            http.text(resp, 200, "the body failed\\n")      # the connection answers the error instead
            return
        if n == 0:
            break
        crc = crc32.update(crc, piece[0:n])
        total += n
        h = heap_in_use()
        if h > peak:
            peak = h
    summary(resp, total, crc, base, peak)


def partial(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    piece: Array[u8, 10]
    http.read_body(req, piece[0:len(piece)])
    http.text(resp, 200, "took ten bytes\\n")


def buffered(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    summary(resp, len(req.body), crc32.update(0, req.body), heap_in_use(), heap_in_use())


def heap(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    summary(resp, 0, 0, heap_in_use(), heap_in_use())


def main() -> i32:
    if not net.up():
        return 1
    router: http.Router
    http.route_stream(addr(router), "PUT", "/stream", stream)
    http.route_stream(addr(router), "PUT", "/partial", partial)
    http.route(addr(router), "PUT", "/buffered", buffered)
    http.route(addr(router), "GET", "/heap", heap)
    print("stream_service: ready")
    httpd.serve(80, addr(router))
    return 0
"""


@pytest.fixture(scope="module")
def streaming(tmp_path_factory: pytest.TempPathFactory):
    app = tmp_path_factory.mktemp("stream") / "stream_service.py"
    app.write_text(STREAM_SERVICE)
    port = free_port()
    with Guest(str(app), "-p", f"{port}:80", cmdline=(f"http.max_body={8 * MIB}",)) as g:
        g.wait_for(r"stream_service: ready")
        yield port


def test_streamed_uploads_pass_through_a_fixed_buffer(streaming: int) -> None:
    data = random.Random(4).randbytes(8 * MIB)
    for how in ({}, {"chunk_sizes": [1000, 65536, 123457]}, {"expect": True}):
        status, _, body = request(streaming, "PUT", "/stream", data, **how)    # type: ignore[arg-type]
        d = json.loads(body)
        assert status == 200 and (d["length"], d["crc"]) == (8 * MIB, zlib.crc32(data)), how
        assert d["peak"] - d["base"] < 64 << 10, (how, d)          # 8 MiB came through, the heap stayed
    # The buffered route of the same server holds the body whole, then gives it back.
    with socket.create_connection(("127.0.0.1", streaming), timeout=60) as s:
        s.sendall(f"PUT /buffered HTTP/1.1\r\nHost: t\r\nContent-Length: {2 * MIB}\r\n\r\n".encode() + data[:2 * MIB])
        status, _, body = read_answer(s)
        held = json.loads(body)
        assert (held["length"], held["crc"]) == (2 * MIB, zlib.crc32(data[:2 * MIB]))
        s.sendall(b"GET /heap HTTP/1.1\r\nHost: t\r\n\r\n")
        after = json.loads(read_answer(s)[2])
        assert held["base"] - after["base"] >= 2 * MIB - (64 << 10), (held, after)


def test_a_streamed_body_that_fails_is_answered_with_the_error(streaming: int) -> None:
    data = random.Random(5).randbytes(8 * MIB + 1)
    assert request(streaming, "PUT", "/stream", data)[0] == 413                           # from the head
    status, fields, _ = request(streaming, "PUT", "/stream", data, chunk_sizes=[65536])    # in the middle
    assert status == 413 and fields["connection"] == "close"
    with socket.create_connection(("127.0.0.1", streaming), timeout=60) as s:
        s.sendall(b"PUT /stream HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
        assert read_answer(s)[0] == 400
    # A handler that reads part of the body: its answer, then the connection closes.
    with socket.create_connection(("127.0.0.1", streaming), timeout=60) as s:
        s.sendall(f"PUT /partial HTTP/1.1\r\nHost: t\r\nContent-Length: {MIB}\r\n\r\n".encode())
        s.sendall(data[:MIB])
        status, fields, body = read_answer(s)
        assert (status, fields["connection"], body) == (200, "close", b"took ten bytes\n")
    status, _, body = request(streaming, "PUT", "/stream", b"still here")
    assert status == 200 and json.loads(body)["length"] == 10
