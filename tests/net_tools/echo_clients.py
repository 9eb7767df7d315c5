"""TCP echo clients for the booted tests, run where the guest is reachable (a namespace).

    python3 echo_clients.py HOST PORT CONCURRENT RESETTERS HOLD

CONCURRENT clients and RESETTERS connect at once (all are connected before any
sends). Each client sends random data in random chunks while a second thread reads
the echo, and compares; each resetter sends and reads part of a transfer, then resets
the connection (SO_LINGER 0) with data in flight both ways. (A resetter stops reading
early, so the flow-controlled echo can fill both windows: it then stops sending.) Prints one JSON line: how
many clients were right, and the errors seen. Then HOLD more
connections echo 1000 bytes each and stay open, idle: "holding" is printed and the
script sleeps until it is killed (a test then makes those peers vanish).
"""

from __future__ import annotations

import json
import random
import select
import socket
import struct
import sys
import threading
import time


def stream_echo(s: socket.socket, data: bytes, rng: random.Random, max_chunk: int) -> bytes:
    """Send data in random chunks of up to max_chunk bytes while a second thread reads
    the echo, then end the stream: what came back (the caller compares)."""
    got = bytearray()

    def reader() -> None:
        try:
            while chunk := s.recv(65536):
                got.extend(chunk)
        except OSError:
            pass                                # the caller's comparison tells
    t = threading.Thread(target=reader)
    t.start()
    view = memoryview(data)
    while view:
        n = s.send(view[:rng.randint(1, max_chunk)])
        view = view[n:]
    s.shutdown(socket.SHUT_WR)
    t.join(timeout=60)
    return bytes(got)


def echo_client(host: str, port: int, seed: int, barrier: threading.Barrier) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randint(1, 128 << 10))
    with socket.create_connection((host, port), timeout=60) as s:
        barrier.wait(timeout=60)
        got = stream_echo(s, data, rng, 20000)
    if got != data:
        raise AssertionError(f"client {seed}: {len(got)} of {len(data)} bytes echoed, or different")


def resetter(host: str, port: int, seed: int, barrier: threading.Barrier) -> None:
    rng = random.Random(seed)
    target, read = rng.randint(50_000, 400_000), rng.randint(1, 50_000)
    got = 0
    s = socket.create_connection((host, port), timeout=60)
    barrier.wait(timeout=60)

    def reader() -> None:
        nonlocal got
        try:
            while got < read and (chunk := s.recv(65536)):
                got += len(chunk)
        except OSError:
            pass
    t = threading.Thread(target=reader)
    t.start()
    sent = 0
    while sent < target:
        if not select.select([], [s], [], 2.0)[1]:
            if not t.is_alive():
                break       # our reads are done and the echo is flow-controlled: the windows stay full
            continue
        sent += s.send(rng.randbytes(rng.randint(1, 20000)))
    t.join(timeout=60)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def main() -> None:
    host, port, concurrent, resetters, hold = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:6])
    barrier = threading.Barrier(concurrent + resetters)
    errors: list[str] = []
    ok = 0

    def run(i: int) -> None:
        nonlocal ok
        try:
            echo_client(host, port, i, barrier)
            ok += 1
        except Exception as e:          # noqa: BLE001 - reported, not raised
            errors.append(f"client {i}: {e!r}")
            barrier.abort()
    def reset(i: int) -> None:
        try:
            resetter(host, port, 10000 + i, barrier)
        except Exception as e:          # noqa: BLE001
            errors.append(f"resetter {i}: {e!r}")
            barrier.abort()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(concurrent)]
    threads += [threading.Thread(target=reset, args=(i,)) for i in range(resetters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"ok": ok, "errors": errors[:10]}), flush=True)
    held = []
    for _ in range(hold):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(b"x" * 1000)
        got = b""
        while len(got) < 1000:
            got += s.recv(1000)
        held.append(s)
    print("holding", flush=True)
    time.sleep(600)


if __name__ == "__main__":
    main()
