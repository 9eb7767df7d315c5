"""TCP servers in callback form (kernel/net/tcp_server.py), booted, against Python clients.

tests/kernel/tcp_callbacks.py serves echo (7), a line count (9) and a status line (8)
from one thread. Through QEMU's user network (127.0.0.1): 200 echo and line-count
clients, 20 at a time (its forwarding listens with a backlog of 1, so hundreds of
simultaneous connects are not its strength), and 16 MiB echoed on one connection
(SHA-256). Over a tap in a namespace, with Linux as the peer: 200 clients at once
while 40 others reset mid-transfer, then peers that vanish, found by keep-alive (on
their own port: under the first part's load the tap drops a quarter of the frames
Linux sends, and a keep-alive that gives up after three unanswered probes 200 ms apart
would take an idle client whose answers were lost for a vanished one).
(Resets go over the tap because QEMU's user network mangles them: after a host
socket is reset it sends the guest a FIN and then data beyond the FIN.) After each,
the guest reports every connection reclaimed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from guest import Guest, NetNamespace
from kaa.bench.machine import free_port
from net_tools.echo_clients import stream_echo

pytestmark = pytest.mark.booted
SERVICE = "tests/kernel/tcp_callbacks.py"


def status(port: int, host: str = "127.0.0.1") -> dict[str, object]:
    """The guest's counters: live (tcp connections, the asking one included), served,
    conns (being served), refused, resets, timeouts; and states, the connections by state."""
    with socket.create_connection((host, port), timeout=10) as s:
        data = b""
        while chunk := s.recv(256):
            data += chunk
    counters, _, states = data.decode().partition("\n")
    words = counters.split()
    out: dict[str, object] = {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}
    out["states"] = states.strip()          # "ESTABLISHED=1 TIME-WAIT=2": shown when a check fails
    return out


def wait_reclaimed(port: int, host: str = "127.0.0.1", timeout: float = 15) -> dict[str, object]:
    """Poll until only the asking connection is left (TIME-WAIT is 2 x 100 ms here)."""
    deadline = time.monotonic() + timeout
    while True:
        s = status(port, host)
        if s["live"] == 1 and s["conns"] == 1 or time.monotonic() > deadline:
            return s
        time.sleep(0.2)


def recv_exactly(s: socket.socket, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            break
        out += chunk
    return bytes(out)


def ping_pong_client(port: int, rng: random.Random) -> None:
    """Chunks of random size, each read back before the next; then the end of stream."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        for _ in range(rng.randint(1, 20)):
            chunk = rng.randbytes(rng.randint(1, 6000))
            s.sendall(chunk)
            assert recv_exactly(s, len(chunk)) == chunk
        s.shutdown(socket.SHUT_WR)
        assert s.recv(1) == b""                 # the server closes when the stream ends


def streaming_client(port: int, rng: random.Random) -> None:
    """Random data sent while a second thread reads the echo."""
    data = rng.randbytes(rng.randint(1, 512 << 10))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        got = stream_echo(s, data, rng, 100000)
    assert got == data


def line_count_client(port: int, rng: random.Random) -> None:
    lines = [rng.randbytes(rng.randint(0, 200)).replace(b"\n", b"x") + b"\n" for _ in range(rng.randint(0, 300))]
    tail = b"no newline" if rng.random() < 0.5 else b""
    body = b"".join(lines) + tail
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(body)
        s.shutdown(socket.SHUT_WR)
        answer = recv_exactly(s, 200)
    assert answer == f"lines {len(lines)} bytes {len(body)}\n".encode()


def distinct_free_ports(n: int) -> list[int]:
    """n ports nothing listens on, all different (free_port() may give one twice)."""
    ports: list[int] = []
    while len(ports) < n:
        p = free_port()
        if p not in ports:
            ports.append(p)
    return ports


@pytest.fixture(scope="module")
def service():
    echo, status_port, count = distinct_free_ports(3)
    ports = {"echo": echo, "status": status_port, "count": count}
    with Guest(SERVICE, "-p", f"{ports['echo']}:7", "-p", f"{ports['status']}:8", "-p", f"{ports['count']}:9",
               "--memory", "256", cmdline=("msl_ms=100",)) as g:
        g.wait_for(r"tcp_callbacks: ready")
        yield ports


def test_many_concurrent_clients(service) -> None:
    """200 clients, 20 at once: echo ping-pong, echo streaming and line counts."""
    before = status(service["status"])["served"]
    kinds = [(ping_pong_client, "echo"), (streaming_client, "echo"), (line_count_client, "count")]

    def one(i: int) -> None:
        rng = random.Random(i)
        client, port = kinds[i % len(kinds)]
        client(service[port], rng)

    with ThreadPoolExecutor(20) as pool:
        for f in [pool.submit(one, i) for i in range(200)]:
            f.result()
    after = wait_reclaimed(service["status"])
    assert after["live"] == 1 and after["conns"] == 1, after
    assert after["served"] - before == 201 and after["refused"] == 0


def test_16mib_echo_on_one_connection(service) -> None:
    size = 16 << 20
    data = os.urandom(size)
    with socket.create_connection(("127.0.0.1", service["echo"]), timeout=60) as s:
        got = stream_echo(s, data, random.Random(size), 1 << 20)
    assert len(got) == size
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()
    assert wait_reclaimed(service["status"])["live"] == 1


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None, reason="needs root for a network namespace")
def test_simultaneous_clients_resets_and_peers_that_vanish() -> None:
    """Over a tap, Linux as the peer: 200 echo clients and 40 that reset mid-transfer
    (SO_LINGER 0, data in flight both ways), all connected at once, every echo
    checked; then 20 clients echo on the keep-alive port and their link goes down:
    keep-alive (every 200 ms, 3 probes) fails each with TIMEOUT. on_close runs for all;
    everything is reclaimed."""
    script = Path(__file__).parent / "net_tools" / "echo_clients.py"
    with NetNamespace("kaa-tcpcb") as ns:
        with Guest(SERVICE, "--net", "tap", "--tap", ns.tap, "--memory", "256", netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "msl_ms=100", "keepalive_ms=200")) as g:
            g.wait_for(r"tcp_callbacks: ready")

            def clients(port: int, concurrent: int, resetters: int, hold: int) -> subprocess.Popen[str]:
                return subprocess.Popen(["ip", "netns", "exec", ns.name, sys.executable, str(script), "10.0.3.2",
                                         str(port), str(concurrent), str(resetters), str(hold)],
                                        stdout=subprocess.PIPE, text=True)
            busy = clients(7, 200, 40, 0)
            try:
                assert busy.stdout is not None
                assert json.loads(busy.stdout.readline()) == {"ok": 200, "errors": []}
            finally:
                busy.kill()
                busy.wait()
            held = clients(10, 0, 0, 20)
            try:
                assert held.stdout is not None
                assert json.loads(held.stdout.readline()) == {"ok": 0, "errors": []}
                assert held.stdout.readline().strip() == "holding"
                ns.run("ip", "link", "set", ns.tap, "down")
                time.sleep(3)
                ns.run("ip", "link", "set", ns.tap, "up")
                code = ("import sys; sys.path.insert(0, %r); from test_tcp_callbacks import wait_reclaimed; "
                        "print(wait_reclaimed(8, '10.0.3.2'))" % str(Path(__file__).parent))
                after = eval(ns.run(sys.executable, "-c", code, timeout=60).stdout)
            finally:
                held.kill()
                held.wait()
    assert after["live"] == 1 and after["conns"] == 1, after
    assert after["served"] == 200 + 40 + 20 + 1 and after["refused"] == 0, after
    assert after["resets"] == 40 + 20 and after["timeouts"] == 20, str(after)
