"""Slow and idle clients cannot hold an HTTP server (kaa/http/server.py), booted.

One guest, over a tap in the test's own network namespace, where Linux clients use
several addresses (QEMU's user network shows every client as one address and cannot
take hundreds of simultaneous connects). The service answers GET /big with 1 MiB and
prints its counters on the console twice a second: the server's (connections being
served, refused, cut off by each deadline), the TCP connections alive, the heap in use
and the free pages. Deadlines are shortened on the command line to stay fast
(`http.send_timeout=3 http.request_timeout=3 http.idle_timeout=2`);
test_http_limits.py checks the defaults the docs give.

- 300 clients ask for 1 MiB and never read: they are served (held) until the send
  deadline, then reset; a client on another address is served throughout; afterwards
  every connection, thread (connection being served) and heap byte is back.
- Slowloris: heads and bodies trickled in get 408 at the request deadline, not later.
- Idle keep-alive connections, and new ones that never send, are closed.
- A second server, whose per-address cap of 8 the service sets itself: the 9th
  connection from one address gets 503 at once; other addresses are served.

The clients run inside the namespace: this file, run as a script (`python3
test_slow_clients.py PHASE`), prints what they saw as JSON.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from guest import Guest, NetNamespace

pytestmark = [pytest.mark.booted,
              pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                                 reason="needs root for a network namespace")]

GUEST_IP = "10.0.3.2"
LEGIT = "10.0.3.1"                  # the namespace's own address: the well-behaved client
ATTACKERS = ("10.0.3.11", "10.0.3.12", "10.0.3.13")
CAPPED = "10.0.3.20"
SEND_TIMEOUT, REQUEST_TIMEOUT, IDLE_TIMEOUT = 3, 3, 2
BIG = 1 << 20
CAP = 8

SERVICE = """\
from kaa.lang import *
import kernel.arch.x86_64.cpu as cpu
import kernel.cmdline as cmdline
import kernel.mm.pages as pages
import kaa.http.connection as http
import kaa.http.json_writer as json
import kaa.http.server as httpd
import kernel.net.net as net
import kernel.net.tcp as tcp
import kernel.threads as threads

BIG: Final = 1048576


@struct
class Pattern:
    sent: i64


def pattern_read(ctx: Ptr[None], into: Bytes) -> i64:
    p = cast(Ptr[Pattern], ctx)
    for i in range(len(into)):
        into[i] = u8((p.sent + i) & 255)
    p.sent += len(into)
    return len(into)


def pattern_release(ctx: Ptr[None]) -> None:
    free(cast(Ptr[Pattern], ctx))


def big(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    p = try_new(Pattern)
    if p is None:
        http.error(resp, 503)
        return
    src = http.BodySource(context=cast(Ptr[None], p), length=BIG, read=pattern_read, release=pattern_release)
    http.send_source(resp, 200, "application/octet-stream", addr(src))


def hello(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    http.text(resp, 200, "hello\\n")


def length(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "length", len(req.body))
    json.end_object(j)


def heap_in_use() -> u64:
    total: u64 = 0
    for c in range(cpu.count):
        total += cpu.percpu[c].heap.in_use     # a block freed on another CPU counts there
    return total


main_server: Ptr[httpd.Server] = None
capped: Ptr[httpd.Server] = None


def report(arg: u64) -> i64:
    while True:
        s = main_server
        k = capped
        print(f"stats: active={s.active} served={s.served} refused={s.refused} send={s.send_timeouts} "
              f"request={s.request_timeouts} idle={s.idle_closes} unack={s.unacknowledged} "
              f"active81={k.active} served81={k.served} refused81={k.refused} "
              f"tcp={tcp.live_connections()} heap={heap_in_use()} free={pages.free_bytes()}")
        threads.sleep_ns(500_000_000)
    return 0


def serve_capped(arg: u64) -> i64:
    httpd.run(capped)
    return 0


def main() -> i32:
    global main_server, capped
    if not net.up():
        return 1
    tcp.msl_ns = u64(cmdline.int_value("msl_ms", 30000)) * 1000000
    router: http.Router
    http.route(addr(router), "GET", "/", hello)
    http.route(addr(router), "GET", "/big", big)
    http.route(addr(router), "POST", "/length", length)
    main_server = httpd.start(80, addr(router))
    capped = httpd.start(81, addr(router))
    capped.per_address = 8                  # the service's own setting, over the default
    threads.spawn(serve_capped, 0, -1)
    threads.spawn(report, 0, -1)
    print(f"slow_service: ready, per address {main_server.per_address} and {capped.per_address}")
    httpd.run(main_server)
    return 0
"""


# ---- the clients (run inside the namespace) ------------------------------------------

def connect(src: str, port: int = 80, timeout: float = 10) -> socket.socket:
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect((GUEST_IP, port))
    return s


def read_response(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One response on s: status, fields (lower-case names), body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    n = int(fields.get("content-length", "0"))
    while len(body) < n:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        body += chunk
    return int(lines[0].split()[1]), fields, body[:n]


def get(src: str, path: str = "/", port: int = 80, close: bool = True) -> tuple[int, bytes]:
    with connect(src, port) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n{'Connection: close' if close else ''}\r\n\r\n".encode())
        status, _, body = read_response(s)
        return status, body


class Legit(threading.Thread):
    """GET / from the well-behaved address every 100 ms until stopped: latencies, failures."""

    def __init__(self, port: int = 80) -> None:
        super().__init__()
        self.port = port
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            t = time.monotonic()
            try:
                answer = get(LEGIT, port=self.port)
                if answer != (200, b"hello\n"):
                    self.failures.append(repr(answer))
            except OSError as e:
                self.failures.append(repr(e))
            self.latencies.append(time.monotonic() - t)
            time.sleep(0.1)

    def result(self) -> dict:
        self.stop.set()
        self.join()
        return {"ok": len(self.latencies) - len(self.failures), "failures": self.failures[:5],
                "max_latency": max(self.latencies)}


def warmup() -> dict:
    status, body = get(LEGIT, "/big")
    assert status == 200 and len(body) == BIG and body[:4] == bytes(range(4)), (status, len(body))
    return {"big": len(body)}


def nonreaders() -> dict:
    """300 clients send GET /big and never read, 100 from each attacker address, while
    the legit client goes on. When the requests went out is printed at once; once the
    test has seen the server cut them off (a line on stdin), what each finds on its
    socket."""
    legit = Legit()
    legit.start()
    socks = []
    asked = []
    for src in ATTACKERS:
        for _ in range(100):
            s = connect(src, timeout=30)
            s.sendall(b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            asked.append(time.monotonic())
            socks.append(s)
    print(json.dumps({"first_asked": min(asked), "last_asked": max(asked)}), flush=True)
    sys.stdin.readline()
    fates = {"reset": 0, "eof": 0, "timeout": 0, "whole": 0}
    heads = set()
    for s in socks:
        data = b""
        s.settimeout(5)
        try:
            while chunk := s.recv(1 << 20):
                data += chunk
            fates["eof"] += 1
        except ConnectionResetError:
            fates["reset"] += 1
        except TimeoutError:
            fates["timeout"] += 1
        if len(data) >= BIG:
            fates["whole"] += 1
        heads.add(data[:15].decode("latin-1"))
        s.close()
    return {"legit": legit.result(), "fates": fates, "heads": sorted(heads)}


def slowloris() -> dict:
    """Heads and bodies trickled in, a piece every 0.5 s, while the legit client goes on:
    when each is answered, and with what."""
    legit = Legit()
    legit.start()
    heads = [connect(LEGIT) for _ in range(20)]
    bodies = [connect(LEGIT) for _ in range(20)]
    for s in heads:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n")
    for s in bodies:
        s.sendall(b"POST /length HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
    start = time.monotonic()
    answered: dict[int, tuple[float, bytes]] = {}
    pending = {s.fileno(): s for s in heads + bodies}
    while pending and time.monotonic() - start < 3 * REQUEST_TIMEOUT:
        for fd, s in list(pending.items()):
            try:
                s.sendall(b"X-Slow: 1\r\n" if s in heads else b"0123456789")
            except OSError:
                pass
            s.setblocking(False)
            try:
                data = s.recv(4096)
                answered[fd] = (time.monotonic() - start, data[:12])
                del pending[fd]
            except BlockingIOError:
                pass
            except OSError as e:
                answered[fd] = (time.monotonic() - start, repr(e).encode())
                del pending[fd]
            s.setblocking(True)
        time.sleep(0.5)
    for s in heads + bodies:
        s.close()
    times = [t for t, _ in answered.values()]
    return {"legit": legit.result(), "unanswered": len(pending), "first": min(times), "last": max(times),
            "answers": sorted({d.decode("latin-1") for _, d in answered.values()})}


def idle() -> dict:
    """20 keep-alive connections make a request and wait; 5 connect and send nothing:
    when each is closed, and whether anything came first."""
    kept = [connect(LEGIT) for _ in range(20)]
    for s in kept:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        assert read_response(s)[0] == 200
    silent = [connect(LEGIT) for _ in range(5)]
    start = time.monotonic()
    closed: list[tuple[str, float, bytes]] = []
    for kind, group in (("kept", kept), ("silent", silent)):
        for s in group:
            s.settimeout(30)
            try:
                data = s.recv(4096)
            except OSError as e:
                data = repr(e).encode()
            closed.append((kind, time.monotonic() - start, data))
            s.close()
    return {kind: {"latest": max(t for k, t, _ in closed if k == kind),
                   "data": sorted({d.decode("latin-1") for k, _, d in closed if k == kind})}
            for kind in ("kept", "silent")}


def cap() -> dict:
    """Port 81 (per-address cap 8, set by the service): 8 kept-alive connections from one
    address, a 9th from it, the legit address meanwhile, then a 10th after one closed."""
    held = []
    for _ in range(CAP):                    # each held until the send deadline: it never reads
        s = connect(CAPPED, 81)
        s.sendall(b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        held.append(s)
    time.sleep(0.3)
    with connect(CAPPED, 81) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        t = time.monotonic()
        ninth, fields, body = read_response(s)
        ninth_took = time.monotonic() - t
    other = get(LEGIT, port=81)
    held.pop().close()                      # unread data: a reset, and its slot is free
    time.sleep(0.3)
    after = get(CAPPED, port=81)
    for s in held:
        s.close()
    return {"ninth": [ninth, fields.get("retry-after"), body.decode(), ninth_took],
            "other": [other[0], other[1].decode()], "after": [after[0], after[1].decode()]}


# ---- the test -----------------------------------------------------------------------

def stats(g: Guest) -> dict[str, int]:
    """The latest counters line on the guest's console."""
    with g._changed:
        lines = [ln for ln in g.lines if ln.startswith("stats: ")]
    assert lines, g.lines
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", lines[-1])}


def settle(g: Guest, want: dict[str, int], timeout: float = 20) -> dict[str, int]:
    """Wait until a counters line has every value of want; that line."""
    deadline = time.monotonic() + timeout
    while True:
        st = stats(g)
        if all(st[k] == v for k, v in want.items()) or time.monotonic() > deadline:
            return st
        time.sleep(0.25)


class Slow:
    def __init__(self, g: Guest, ns: NetNamespace) -> None:
        self.g, self.ns = g, ns

    def clients(self, phase: str) -> subprocess.Popen[str]:
        return subprocess.Popen(["ip", "netns", "exec", self.ns.name, sys.executable, __file__, phase],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, phase: str, timeout: float = 120) -> dict:
        p = self.clients(phase)
        out, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, err[-3000:]
        return json.loads(out)


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory):
    app = tmp_path_factory.mktemp("slow") / "slow_service.py"
    app.write_text(SERVICE)
    with NetNamespace("kaa-h8slow") as ns:
        for a in (*ATTACKERS, CAPPED):
            ns.run("ip", "addr", "add", f"{a}/24", "dev", ns.tap)
        with Guest(str(app), "--net", "tap", "--tap", ns.tap, netns=ns.name,
                   cmdline=(f"ip={GUEST_IP}/24", "msl_ms=500", f"http.send_timeout={SEND_TIMEOUT}",
                            f"http.request_timeout={REQUEST_TIMEOUT}",
                            f"http.idle_timeout={IDLE_TIMEOUT}")) as g:
            g.wait_for(r"slow_service: ready, per address 300 and 8")
            yield Slow(g, ns)


def test_clients_that_never_read_are_cut_off_and_everything_comes_back(slow: Slow) -> None:
    assert slow.run("warmup") == {"big": BIG}
    before = settle(slow.g, {"active": 0, "tcp": 0})
    assert before["active"] == 0 and before["tcp"] == 0, before
    p = slow.clients("nonreaders")
    assert p.stdout is not None and p.stdin is not None
    asked = json.loads(p.stdout.readline())
    # The counters as they change (CLOCK_MONOTONIC is the clients' clock too): none is
    # cut off before the send deadline, all soon after it.
    seen: list[tuple[float, dict[str, int]]] = []
    deadline = asked["last_asked"] + SEND_TIMEOUT + 30
    while time.monotonic() < deadline:
        seen.append((time.monotonic(), stats(slow.g)))
        if seen[-1][1]["send"] - before["send"] == 300:
            break
        time.sleep(0.2)
    p.stdin.write("go\n")
    p.stdin.flush()
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err[-3000:]
    r = json.loads(out)
    cut = [t for t, st in seen if st["send"] > before["send"]]
    assert cut and cut[0] >= asked["first_asked"] + SEND_TIMEOUT, (asked, seen[:3])
    assert seen[-1][1]["send"] - before["send"] == 300, seen[-1]
    assert seen[-1][0] < asked["last_asked"] + SEND_TIMEOUT + 10, (asked, seen[-1])
    peak = max(st["active"] for _, st in seen)
    assert all(st["refused"] == before["refused"] for _, st in seen), seen[-1]
    # The legit client was served throughout, quickly.
    assert r["legit"]["failures"] == [] and r["legit"]["ok"] >= 20, r
    assert r["legit"]["max_latency"] < 3, r
    # Each non-reader got the head of a 200 and part of the body, then a reset.
    assert r["fates"] == {"reset": 300, "eof": 0, "timeout": 0, "whole": 0}, r
    assert r["heads"] == ["HTTP/1.1 200 OK"], r
    # Every connection, connection thread and heap byte is back.
    after = settle(slow.g, {"active": 0, "tcp": 0, "heap": before["heap"]})
    assert after["active"] == 0 and after["tcp"] == 0 and after["unack"] == before["unack"], after
    assert after["heap"] == before["heap"], (before, after, peak)
    # Pages: heap blocks of 4 KiB and less stay on the heap's free lists for the next
    # connections (kernel/mm/heap.py), a few KiB a connection; stacks and buffers go back.
    assert after["free"] >= before["free"] - 300 * (8 << 10), (before, after)


def test_heads_and_bodies_trickled_in_get_408_at_the_request_deadline(slow: Slow) -> None:
    before = stats(slow.g)
    r = slow.run("slowloris")
    assert r["legit"]["failures"] == [] and r["legit"]["max_latency"] < 3, r
    assert r["unanswered"] == 0 and r["answers"] == ["HTTP/1.1 408"], r
    assert REQUEST_TIMEOUT - 0.5 < r["first"] and r["last"] < REQUEST_TIMEOUT + 2, r
    after = settle(slow.g, {"active": 0})
    assert after["request"] - before["request"] == 40, after


def test_idle_and_silent_connections_are_closed(slow: Slow) -> None:
    before = stats(slow.g)
    r = slow.run("idle")
    assert r["kept"]["data"] == [""] and IDLE_TIMEOUT - 0.5 < r["kept"]["latest"] < IDLE_TIMEOUT + 2, r
    assert r["silent"]["data"] == [""] and r["silent"]["latest"] < REQUEST_TIMEOUT + 2, r
    after = settle(slow.g, {"active": 0})
    assert after["idle"] - before["idle"] == 25, after


def test_one_address_over_the_cap_gets_503_and_others_are_served(slow: Slow) -> None:
    before = stats(slow.g)
    r = slow.run("cap")
    status, retry, body, took = r["ninth"]
    assert (status, retry, body) == (503, "1", "503 Service Unavailable\n") and took < 1, r
    assert r["other"] == [200, "hello\n"] and r["after"] == [200, "hello\n"], r
    after = settle(slow.g, {"active81": 0})
    assert after["refused81"] - before["refused81"] == 1 and after["refused"] == before["refused"], after


if __name__ == "__main__":
    print(json.dumps({"warmup": warmup, "nonreaders": nonreaders, "slowloris": slowloris, "idle": idle,
                      "cap": cap}[sys.argv[1]]()))
