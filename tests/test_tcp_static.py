"""Zero-copy TCP sends of static data (tcp.send_static), booted, against a Python client.

tests/kernel/tcp_static.py fills a 1 MiB table at boot and sends it many times on one
connection, by reference with a copied piece between (so both kinds interleave), or
all by copy; the client checks every byte (SHA-256) through QEMU's user network on
127.0.0.1: on microvm with virtio-net (virtio-mmio, a two-descriptor chain per frame)
and on q35 with e1000 (two transmit descriptors). The guest's console line for each
connection says how many data segments left with their payload read in place by the
NIC: nearly all of them when sending by reference, none when copying.
"""

from __future__ import annotations

import hashlib
import re
import socket
import time

import pytest

from guest import Guest
from kaa.bench.machine import free_port

pytestmark = pytest.mark.booted
SERVICE = "tests/kernel/tcp_static.py"
TABLE = 1 << 20
REPS = 48                              # 48 MiB by reference
COPY_REPS = 8


def table() -> bytes:
    return bytes((((i * 2654435761) & 0xFFFFFFFF) >> 24) ^ ((i >> 12) & 0xFF) for i in range(TABLE))


def expected(reps: int, t: bytes) -> str:
    h = hashlib.sha256()
    for r in range(reps):
        h.update(f"block {r:08}\n".encode())
        h.update(t)
    return h.hexdigest()


def fetch(port: int, reps: int, mode: str) -> tuple[int, str, float]:
    start = time.monotonic()
    h = hashlib.sha256()
    n = 0
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"{reps} {mode}\n".encode())
        while chunk := s.recv(1 << 20):
            h.update(chunk)
            n += len(chunk)
    return n, h.hexdigest(), time.monotonic() - start


def report(g: Guest, k: int) -> dict[str, int]:
    m = g.wait_for(rf"tcp_static: conn {k} (\w+) (.*)")
    words = m[2].split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


@pytest.mark.parametrize("nic, machine", [("virtio-net", ()), ("e1000", ("--machine", "q35", "--nic", "e1000"))],
                         ids=["microvm-virtio-mmio", "q35-e1000"])
def test_static_data_goes_out_zero_copy(nic: str, machine: tuple[str, ...]) -> None:
    t = table()
    port = free_port()
    with Guest(SERVICE, "-p", f"{port}:9", "--memory", "256", *machine) as g:
        assert g.wait_for(r"tcp_static: ready on (\S+)")[1] == nic
        n, digest, secs = fetch(port, REPS, "static")
        assert n == REPS * (15 + TABLE) and digest == expected(REPS, t)
        zc = report(g, 1)
        n, digest, copy_secs = fetch(port, COPY_REPS, "copy")
        assert n == COPY_REPS * (15 + TABLE) and digest == expected(COPY_REPS, t)
        cp = report(g, 2)
    print(f"\n{nic}: static {REPS} MiB in {secs:.2f} s ({zc}); "
          f"copy {COPY_REPS} MiB in {copy_secs:.2f} s ({cp})")
    assert zc["bytes"] == REPS * (15 + TABLE) and zc["unacknowledged"] == 0
    # Every segment but the few that hold a block's copied pieces carries its data in place.
    assert zc["segments"] >= REPS * TABLE // 1460 and zc["zero-copy"] >= zc["segments"] - 4 * REPS - zc["linearized"]
    assert cp["zero-copy"] == 0 and cp["copied"] == cp["segments"] >= COPY_REPS * TABLE // 1460
