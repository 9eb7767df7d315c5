"""HTTP and TCP, booted, against real clients: curl, Python sockets, asyncio, wrk.

http_api through curl (JSON checked by Python's parser), bulk transfers both ways on
one TCP connection (SHA-256 compared), thousands of sequential and hundreds of
concurrent connections (every one reclaimed afterwards), hostile HTTP while other
clients are being served, and 16 MiB both ways across a link that drops, reorders and
duplicates frames, with Linux as the peer. Traffic: 127.0.0.1 or a test's namespace.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from guest import Guest, LossyLink, NetNamespace
from kaa.bench.machine import free_port

pytestmark = pytest.mark.booted

SERVICE = "tests/kernel/http_service.py"
ROOT = Path(__file__).resolve().parent.parent


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["curl", "-s", "-S", "--max-time", "20", *args], capture_output=True, text=True)


def http_get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_http_api_with_curl() -> None:
    port = free_port()
    with Guest("examples/http_api.py", "-p", f"{port}:80") as g:
        g.wait_for(r"http_api: serving")
        base = f"http://127.0.0.1:{port}"
        assert curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--data-binary", "world",
                    f"{base}/kv/hello").stdout == "201"
        assert curl("-X", "PUT", "--data-binary", "again", f"{base}/kv/hello").stdout == "replaced\n"
        assert curl(f"{base}/kv/hello").stdout == "again"
        assert json.loads(curl(f"{base}/stats").stdout) == {"keys": 1, "bytes": 5, "gets": 1, "puts": 2,
                                                              "deletes": 0}
        assert curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", f"{base}/kv/hello").stdout == "204"
        assert curl("-o", "/dev/null", "-w", "%{http_code}", f"{base}/kv/hello").stdout == "404"
        assert curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH", f"{base}/kv/x").stdout == "405"
        assert json.loads(curl(f"{base}/stats").stdout)["keys"] == 0


def test_http_hello_json() -> None:
    port = free_port()
    with Guest("examples/http_hello.py", "-p", f"{port}:80") as g:
        g.wait_for(r"http_hello: serving")
        first = json.loads(curl(f"http://127.0.0.1:{port}/").stdout)
        second = json.loads(curl(f"http://127.0.0.1:{port}/").stdout)
        assert first["message"] == "Hello from Kaa" and second["requests"] == first["requests"] + 1
        assert second["uptime_ms"] >= first["uptime_ms"]


def bulk_echo(port: int, size: int, host: str = "127.0.0.1") -> None:
    """Send size random bytes on one connection while reading the echo; compare hashes."""
    data = os.urandom(size)
    received = hashlib.sha256()
    got = 0
    with socket.create_connection((host, port), timeout=60) as s:
        def reader() -> None:
            nonlocal got
            while got < size:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                received.update(chunk)
                got += len(chunk)
        t = threading.Thread(target=reader)
        t.start()
        s.sendall(data)
        t.join(timeout=600)
    assert got == size
    assert received.hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def service():
    http_port, echo_port = free_port(), free_port()
    with Guest(SERVICE, "-p", f"{http_port}:80", "-p", f"{echo_port}:7", "--memory", "512") as g:
        g.wait_for(r"http_service: ready")
        yield http_port, echo_port


@pytest.mark.parametrize("size", [1 << 20, 64 << 20], ids=["1MiB", "64MiB"])
def test_bulk_transfer_both_ways(service, size: int) -> None:
    bulk_echo(service[1], size)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None, reason="needs root for a network namespace")
def test_sequential_then_concurrent_connections() -> None:
    """Over a tap (QEMU's user network cannot take hundreds of simultaneous connects):
    Linux clients in the test's namespace, then every connection reclaimed."""
    script = ROOT / "tests" / "net_tools" / "http_load.py"
    conns = "import urllib.request, json; print(json.load(urllib.request.urlopen('http://10.0.3.2/conns'))['live'])"
    with NetNamespace("kaa-conns") as ns:
        with Guest(SERVICE, "--net", "tap", "--tap", ns.tap, "--memory", "512", netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "msl_ms=500")) as g:
            g.wait_for(r"http_service: ready")
            r = ns.run(sys.executable, str(script), "10.0.3.2", "80", "2000", "200", "20", timeout=600)
            assert json.loads(r.stdout) == {"sequential_ok": 2000, "concurrent_ok": 200 * 20, "errors": []}, r.stderr
            time.sleep(3)                       # TIME-WAIT is 2 x 500 ms here
            # Only the connection asking is left: every other was reclaimed.
            assert ns.run(sys.executable, "-c", conns).stdout.strip() == "1"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None, reason="needs root for a network namespace")
def test_concurrent_keep_alive_connections_reclaimed() -> None:
    """200 sequential, then 100 concurrent keep-alive clients of 10 requests over a tap;
    afterwards only the connection asking is left."""
    script = ROOT / "tests" / "net_tools" / "http_load.py"
    conns = "import urllib.request, json; print(json.load(urllib.request.urlopen('http://10.0.3.2/conns'))['live'])"
    with NetNamespace("kaa-conns2") as ns:
        with Guest(SERVICE, "--net", "tap", "--tap", ns.tap, "--memory", "512", netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "msl_ms=500")) as g:
            g.wait_for(r"http_service: ready")
            r = ns.run(sys.executable, str(script), "10.0.3.2", "80", "200", "100", "10", timeout=400)
            assert json.loads(r.stdout) == {"sequential_ok": 200, "concurrent_ok": 100 * 10, "errors": []}, r.stderr
            time.sleep(3)
            assert ns.run(sys.executable, "-c", conns).stdout.strip() == "1"


def test_hostile_http_while_others_are_served(service) -> None:
    http_port = service[0]
    stop = threading.Event()
    failures: list[str] = []

    def good_client() -> None:
        while not stop.is_set():
            try:
                if http_get(http_port, "/") != (200, b"hello\n"):
                    failures.append("bad answer")
            except OSError as e:
                failures.append(repr(e))
            time.sleep(0.05)

    def raw(request: bytes, read_timeout: float = 20) -> bytes:
        with socket.create_connection(("127.0.0.1", http_port), timeout=read_timeout) as s:
            s.sendall(request)
            data = b""
            try:
                while chunk := s.recv(65536):
                    data += chunk
            except TimeoutError:
                pass
            return data

    t = threading.Thread(target=good_client)
    t.start()
    try:
        assert raw(b"\x00\xffgarbage\r\n\r\n").startswith(b"HTTP/1.1 400")
        assert raw(b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n").startswith(b"HTTP/1.1 431")
        assert raw(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: t\r\n\r\n").startswith(b"HTTP/1.1 414")
        assert raw(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 12x\r\n\r\n").startswith(b"HTTP/1.1 400")
        assert raw(b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").startswith(
            b"HTTP/1.1 400")
        assert raw(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n").startswith(b"HTTP/1.1 413")
        assert raw(b"BREW / HTTP/1.1\r\nHost: t\r\n\r\n").startswith(b"HTTP/1.1 501")
        # A partial request, then silence: answered 408 within the request timeout.
        started = time.monotonic()
        assert raw(b"GET / HTTP/1.1\r\nHost:", read_timeout=30).startswith(b"HTTP/1.1 408")
        assert time.monotonic() - started < 25
    finally:
        stop.set()
        t.join()
    assert failures == []


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None, reason="needs root for a network namespace")
def test_transfer_over_a_lossy_link() -> None:
    """16 MiB both ways through a relay that drops 5%, reorders and duplicates; Linux is
    the peer."""
    with NetNamespace("kaa-tcploss") as ns, LossyLink(ns, loss=0.05, reorder=0.02, duplicate=0.02) as link:
        with Guest(SERVICE, *link.kaa_args, "--memory", "512", netns=ns.name, cmdline=("ip=10.0.3.2/24",)) as g:
            g.wait_for(r"http_service: ready")
            code = (f"import sys; sys.path.insert(0, {str(os.path.dirname(__file__))!r}); "
                    f"from test_http_booted import bulk_echo; bulk_echo(7, 16 << 20, host='10.0.3.2'); print('ok')")
            r = ns.run(os.sys.executable, "-c", code, timeout=900)
            assert r.stdout.strip().endswith("ok"), r.stderr
    assert link.counts["to_guest"]["dropped"] > 50 and link.counts["to_host"]["dropped"] > 50
