"""Clients that time a guest from the host: on 127.0.0.1 (QEMU's -p forwards), or at the
guest's own address from inside a benchmark's network namespace (kaa/bench/network.py).

first_http_200 and first_udp_echo find the instant a booting guest first answers:
QEMU's user network accepts a forwarded TCP connection at once, before the guest can
take it, and drops it (or the guest resets it) while nothing listens; so the probe opens
a fresh connection every `interval` seconds, keeps the earlier ones waiting (a late SYN
retransmitted by QEMU may be the one that gets through), and returns when any of them
reads an HTTP 200 status line. UDP: one datagram every `interval`, the first reply wins.

udp_round_trips is a bounded load (a count and a duration, whichever ends first) of
echo round trips with `window` datagrams in flight.

bulk_send and bulk_receive move bulk TCP data one way (to a sink, from a source: see
kaa/bench/programs/tcp_bulk.py), bounded by a duration and a byte count; a transfer
that makes no progress for `stall` seconds ends with a TimeoutError saying how far it
got, so a guest that stops moving data cannot hang a benchmark.
"""

from __future__ import annotations

import errno
import re
import selectors
import socket
import time
from typing import Callable

from kaa.bench.stats import percentile

MAX_PENDING = 32          # connections a boot probe keeps waiting at once
PENDING_FOR = 3.0         # seconds before a waiting probe connection is given up


def request(path: str = "/") -> bytes:
    """A GET of path that asks the server to close the connection after answering."""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


def first_http_200(port: int, t0: float, timeout: float, alive: Callable[[], bool] = lambda: True,
                   interval: float = 0.02, host: str = "127.0.0.1", path: str = "/") -> float:
    """Seconds from t0 (a time.monotonic() instant) to the first HTTP 200 to GET path from host:port."""
    req = request(path)
    sel = selectors.DefaultSelector()
    started: dict[socket.socket, float] = {}
    replies: dict[socket.socket, bytes] = {}
    deadline = time.monotonic() + timeout
    next_open = time.monotonic()

    def drop(s: socket.socket) -> None:
        sel.unregister(s)
        started.pop(s, None)
        replies.pop(s, None)
        s.close()

    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise TimeoutError(f"no HTTP 200 from {host}:{port} within {timeout:g} s")
            if not alive():
                raise ConnectionError("the guest ended before it answered")
            for s, t in list(started.items()):
                if now - t > PENDING_FOR:
                    drop(s)
            if now >= next_open:
                if len(started) >= MAX_PENDING:          # give up the oldest for a fresh one
                    drop(min(started, key=started.__getitem__))
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                err = s.connect_ex((host, port))
                if err in (0, errno.EINPROGRESS):
                    started[s] = now
                    replies[s] = b""
                    sel.register(s, selectors.EVENT_WRITE)
                else:
                    s.close()
                next_open = now + interval
            for key, events in sel.select(max(0.0, min(next_open, deadline) - time.monotonic())):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                if events & selectors.EVENT_WRITE:
                    if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                        drop(s)
                        continue
                    try:
                        s.send(req)
                    except OSError:
                        drop(s)
                        continue
                    sel.modify(s, selectors.EVENT_READ)
                    continue
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    drop(s)
                    continue
                replies[s] += data
                head = replies[s]
                if b"\r\n" in head:
                    if head.split(b" ", 2)[1:2] == [b"200"]:
                        return time.monotonic() - t0
                    drop(s)
    finally:
        for s in list(started):
            drop(s)
        sel.close()


def first_udp_echo(port: int, t0: float, timeout: float, alive: Callable[[], bool] = lambda: True,
                   interval: float = 0.02) -> float:
    """Seconds from t0 to the first echoed datagram from 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("127.0.0.1", port))
        n = 0
        while time.monotonic() < deadline:
            if not alive():
                raise ConnectionError("the guest ended before it answered")
            n += 1
            payload = b"kaa-bench probe %d" % n
            try:
                s.send(payload)
            except ConnectionRefusedError:       # an ICMP error from an earlier send: retry
                pass
            wait_until = min(deadline, time.monotonic() + interval)
            while (left := wait_until - time.monotonic()) > 0:
                s.settimeout(left)
                try:
                    data = s.recv(2048)
                except (TimeoutError, socket.timeout, ConnectionRefusedError):
                    break
                if data.startswith(b"kaa-bench probe "):
                    return time.monotonic() - t0
    raise TimeoutError(f"no UDP echo from 127.0.0.1:{port} within {timeout:g} s")


def http_get(port: int, timeout: float = 10, host: str = "127.0.0.1", path: str = "/") -> tuple[int, bytes]:
    """(status, body) of one GET path from host:port (Connection: close)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(request(path))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


def udp_round_trips(port: int, duration: float, count: int, window: int = 1, size: int = 64,
                    loss_after: float = 0.5) -> dict:
    """Echo round trips to 127.0.0.1:port with `window` in flight, for at most duration s and count trips."""
    payload_pad = b"x" * max(0, size - 16)
    latencies: list[float] = []
    lost = 0
    inflight: dict[int, float] = {}
    seq = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("127.0.0.1", port))
        start = last = time.monotonic()
        end = start + duration
        while inflight or (time.monotonic() < end and seq < count):
            now = time.monotonic()
            sending = now < end and seq < count
            while sending and len(inflight) < window and seq < count:
                seq += 1
                inflight[seq] = time.monotonic()
                try:
                    s.send(seq.to_bytes(8, "big") + b"kaa-benc" + payload_pad)
                except ConnectionRefusedError:    # an ICMP error from an earlier datagram: counts as lost
                    pass
            oldest = min(inflight.values()) if inflight else now
            wait = max(0.001, oldest + loss_after - now)
            if sending:
                wait = min(wait, max(0.001, end - now))
            s.settimeout(wait)
            try:
                data = s.recv(65536)
            except (TimeoutError, socket.timeout, ConnectionRefusedError):
                data = b""
            now = time.monotonic()
            if len(data) >= 8:
                sent = inflight.pop(int.from_bytes(data[:8], "big"), None)
                if sent is not None:
                    latencies.append(now - sent)
                    last = now
            for k, t in list(inflight.items()):
                if now - t > loss_after:
                    del inflight[k]
                    lost += 1
        elapsed = last - start
    lat_us = sorted(x * 1e6 for x in latencies)
    return {"round_trips": len(latencies), "lost": lost, "seconds": round(elapsed, 3),
            "per_second": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
            "p50_us": round(percentile(lat_us, 50), 1) if lat_us else None,
            "p99_us": round(percentile(lat_us, 99), 1) if lat_us else None,
            "window": window, "size": size}


BULK_CHUNK = 65536


def _mbit(nbytes: int, seconds: float) -> float:
    return round(nbytes * 8 / seconds / 1e6, 2) if seconds > 0 else 0.0


def bulk_send(host: str, port: int, duration: float, max_bytes: int, stall: float = 5.0) -> dict:
    """Send to a sink for duration s (at most max_bytes), end the stream, and read back the
    sink's count: {"bytes" the guest got, "seconds" until its count arrived, "mbit_s"}."""
    chunk = bytes(range(256)) * (BULK_CHUNK // 256)
    sent = 0
    with socket.create_connection((host, port), timeout=stall) as s:
        start = time.monotonic()
        end = start + duration
        try:
            while sent < max_bytes and time.monotonic() < end:
                sent += s.send(chunk[:max_bytes - sent])
        except (TimeoutError, socket.timeout):
            raise TimeoutError(f"host->guest stalled: no progress for {stall:g} s after {sent:,} bytes") from None
        s.shutdown(socket.SHUT_WR)
        reply = b""
        s.settimeout(3 * stall)             # what the socket buffers still hold must drain first
        try:
            while b"\n" not in reply and (data := s.recv(256)):
                reply += data
        except (TimeoutError, socket.timeout):
            raise TimeoutError(f"host->guest: no byte count within {3 * stall:g} s of the end "
                               f"of {sent:,} bytes") from None
        seconds = time.monotonic() - start
    m = re.search(rb"(\d+)", reply)
    if m is None or int(m.group(1)) != sent:
        raise ConnectionError(f"host->guest: sent {sent:,} bytes, the sink answered {reply[:80]!r}")
    return {"bytes": sent, "seconds": round(seconds, 3), "mbit_s": _mbit(sent, seconds)}


def bulk_receive(host: str, port: int, duration: float, max_bytes: int, stall: float = 5.0) -> dict:
    """Read from a source for duration s (at most max_bytes): {"bytes", "seconds", "mbit_s"}."""
    buf = bytearray(1 << 20)
    got = 0
    with socket.create_connection((host, port), timeout=stall) as s:
        start = time.monotonic()
        end = start + duration
        try:
            while got < max_bytes and time.monotonic() < end:
                n = s.recv_into(buf, min(len(buf), max_bytes - got))
                if n == 0:
                    raise ConnectionError(f"guest->host: the source ended its stream after {got:,} bytes")
                got += n
        except (TimeoutError, socket.timeout):
            raise TimeoutError(f"guest->host stalled: nothing for {stall:g} s after {got:,} bytes") from None
        seconds = time.monotonic() - start
    return {"bytes": got, "seconds": round(seconds, 3), "mbit_s": _mbit(got, seconds)}
