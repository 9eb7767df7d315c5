"""kaa.web's HTTP client (kaa/web/client.py) and the service-level socket module, against
a scripted server: each path answers in one way HTTP/1.1 allows (or a broken way), and
tests/web/client_cases.py prints what the client made of it. It runs under CPython and
booted (the guest reaches this host's server as 10.0.2.2), and both must print the same,
which is also checked line by line against what each scripted answer means.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from guest import Guest, after_banner

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "tests/web/client_cases.py"

ANSWERS = {
    "/len": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Case: len\r\n\r\nhello",
    "/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Case: chunked\r\n\r\n"
                b"4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: y\r\n\r\n",
    "/http10": b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",                     # not kept alive
    "/continue": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
    "/close": b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
    "/stale": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale",                   # then closed while idle
    "/garbage": b"HTTP/9 xyz\r\n\r\n",
    "/bad-length": b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
    "/short": b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    "/head": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Case: head\r\n\r\n",
    "/latin1": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nSet-Cookie: a=1\r\n"
               b"Set-Cookie: b=2\r\nContent-Length: 4\r\n\r\ncaf\xe9",
}
CLOSE_AFTER = {"/http10", "/close", "/stale", "/garbage", "/bad-length", "/short"}

SENT = json.dumps({"b": [1, 2, None], "a": "é", "c": 2.5})      # what client_cases.py posts, as CPython encodes it
# What each answer means to a client: written from the answers above, not from a run
EXPECTED = [
    "/len GET 200 OK b'hello' len",
    "/chunked GET 200 OK b'Wikipedia' chunked",
    "/http10 GET 200 OK b'ok' None",
    "/continue GET 201 Created b'ok' None",
    "/len GET 200 OK b'hello' len",
    "/close GET 200 OK b'until the end' None",
    "/stale GET 200 OK b'stale' None",
    "/len GET 200 OK b'hello' len",                     # the stale connection replaced, transparently
    "/garbage GET ClientError: not an HTTP/1.x status line: 'HTTP/9 xyz'",
    "/bad-length GET ClientError: bad Content-Length 'abc'",
    "/short GET ClientError: the server closed the connection 7 bytes before the body's end",
    "/silent GET TimeoutError: timed out",
    "/head HEAD 200 OK b'' head",
    "/len GET 200 OK b'hello' len",
    "connections: 8",
    str({"method": "POST", "target": "/echo", "body": SENT, "content-length": str(len(SENT)),
         "content-type": "application/json", "user-agent": "me", "x-token": "t"}),
    "{'method': 'PUT', 'target': '/echo?x=1&q=a%20b%26c%2F%C3%A9', 'body': 'raw\\x00bytes', "
    "'content-length': '9', 'user-agent': 'kaa.web'}",
    "{'method': 'DELETE', 'target': '/echo/spaced%20path', 'body': '', 'user-agent': 'kaa.web'}",
    "café a=1, b=2 ['a=1', 'b=2'] True 4 None dflt",
    "KeyError 'missing'",
    "bad url: unsupported URL 'ftp://x/': kaa.web's client speaks http:// only",
    "bad url: unsupported URL 'http://': it needs a host name or an IPv4 address",
    "bad url: bad port in URL 'http://h:99999/'",
    "bad url: unsupported URL 'http://u@h/': it needs a host name or an IPv4 address",
    "b'ping' True",
    "timeout: timed out True None",
    "closed: [Errno 9] Bad file descriptor",
    "listening True",
    "served b'hello kaa\\n' b'' str",
]


class Scripted:
    """The HTTP server the program talks to (one thread per connection), and a UDP echo."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.port, self.udp_port = self.tcp.getsockname()[1], self.udp.getsockname()[1]
        self.connections = 0
        self.open: list[socket.socket] = []
        for target in (self.accept, self.echo_datagrams):
            threading.Thread(target=target, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                return
            self.connections += 1
            self.open.append(conn)
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def echo_datagrams(self) -> None:
        while True:
            try:
                data, source = self.udp.recvfrom(2048)
            except OSError:
                return
            self.udp.sendto(data, source)

    def serve(self, conn: socket.socket) -> None:
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    more = conn.recv(4096)
                    if not more:
                        return
                    buf += more
                head, _, buf = buf.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ")
                fields = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
                length = int(fields.get("content-length", "0"))
                while len(buf) < length:
                    buf += conn.recv(4096)
                body, buf = buf[:length], buf[length:]
                path = target.split("?")[0]
                if path == "/silent":
                    continue                             # never answers
                if path.startswith("/echo"):
                    seen = {k: v for k, v in sorted(fields.items()) if k not in ("host", "accept", "accept-encoding")}
                    answer = json.dumps({"method": method, "target": target, "body": body.decode("latin-1"), **seen})
                    data = answer.encode()
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(data)).encode() + b"\r\n\r\n" + data)
                    continue
                conn.sendall(ANSWERS[path])
                if path in CLOSE_AFTER:
                    return
        except OSError:
            return
        finally:
            conn.close()

    def close(self) -> None:
        self.tcp.close()
        self.udp.close()
        for c in self.open:
            c.close()


@pytest.fixture
def server() -> Iterator[Scripted]:
    s = Scripted()
    yield s
    s.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def talk_to(port: int) -> None:
    """The client of the program's server part: a line, the answer upper-cased."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
        c.sendall(b"hello kaa\n")
        got = b""
        while True:
            more = c.recv(100)
            if not more:
                break
            got += more
    assert got == b"HELLO KAA\n"


def test_the_client_under_cpython(server: Scripted) -> None:
    listen = free_port()
    proc = subprocess.Popen([sys.executable, PROGRAM], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8",
                                            "BASE": f"http://127.0.0.1:{server.port}", "UDP": str(server.udp_port),
                                            "LISTEN": str(listen)})
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("listening"):
            talk_to(listen)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    assert lines == EXPECTED
    assert server.connections == 8 + 1                  # the session's (the echoes reuse one), the raw socket's


@pytest.mark.booted
def test_the_client_booted(server: Scripted) -> None:
    listen = free_port()
    with Guest(PROGRAM, "-p", f"{listen}:8081", cmdline=(f"BASE=http://10.0.2.2:{server.port}",
                                                          f"UDP={server.udp_port}", "LISTEN=8081")) as g:
        g.wait_for("^listening", timeout=180)
        talk_to(listen)
        g.wait_for("^served", timeout=60)
    lines = [ln for ln in after_banner("\n".join(g.lines)) if not ln.startswith("net: ")]
    assert lines == EXPECTED, g.stderr
