"""Initial sequence numbers, booted: RFC 6528's ISN = M + F(4-tuple, secret), the secret
drawn at boot (kernel/net/tcp.py, kernel/lib/siphash.py).

examples/http_hello.py serves through QEMU's user network; QEMU's filter-dump (`--pcap`)
records the guest's own frames, so the SYN-ACKs read back from the capture carry the
guest's ISNs (not those of QEMU's user-network TCP, which the host's client talks to).
Each client connection half-closes and waits for the guest's FIN, so QEMU has passed it
to the guest before the next one starts (its listen backlog is 1: a faster client would
wait out SYN retransmissions). The user network keeps the host client's source port,
so binding the client to fixed ports gives the guest the same 4-tuples in every boot.

- 1,000 connections: no two differences between successive ISNs are equal (a counter, a
  clock alone or a fixed step would repeat them).
- Two boots, the same 4-tuples: the ISN differences between tuples (which cancel M, the
  4 µs clock) differ between the boots, as only a fresh secret makes them: with one
  fixed key they would agree within the clock's drift (a few seconds, under 2**22).
  Checked with the CPU's RDRAND (`-cpu max` under TCG) and without it (`rdrand=off`):
  the TSC-jitter fallback of kernel/arch/x86_64/entropy.py.

Traffic goes to 127.0.0.1 only (QEMU's user network).
"""

from __future__ import annotations

import socket
import struct
from pathlib import Path

import pytest

from guest import ROOT, fail_on_crash
from kaa import build, vm
from kaa.bench.machine import Machine, free_port

pytestmark = pytest.mark.booted

CONNECTIONS = 1000
FIXED = 20                          # fixed client ports, the same in every boot
FAR = 1 << 24                       # 67 s of the 4 µs clock: far beyond any drift between two boots
NO_RDRAND = ["-cpu", "max,rdrand=off,rdseed=off"]


@pytest.fixture(scope="module")
def image() -> Path:
    return build.build(ROOT / "examples" / "http_hello.py")


@pytest.fixture(scope="module")
def fixed_ports() -> list[int]:
    """FIXED ports below the host's ephemeral range that can be bound now."""
    ports: list[int] = []
    port = 20000 + free_port() % 5000
    while len(ports) < FIXED:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                ports.append(port)
            except OSError:
                pass
        port += 1
    return ports


def connect_once(port: int, source_port: int = 0) -> int:
    """One connection to the guest: open, half-close, wait for its FIN. Our source port."""
    with socket.socket() as s:
        s.settimeout(10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", source_port))
        s.connect(("127.0.0.1", port))
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):
            pass
        return s.getsockname()[1]


def syn_acks(pcap: bytes) -> list[tuple[int, int]]:
    """(client port, ISN) of each SYN-ACK the guest sent from port 80, in order, once each."""
    seen: list[tuple[int, int]] = []
    at = 24                                         # pcap global header
    while at + 16 <= len(pcap):
        length = struct.unpack_from("<I", pcap, at + 8)[0]
        f = pcap[at + 16:at + 16 + length]
        at += 16 + length
        if len(f) < 54 or f[12:14] != b"\x08\x00" or f[23] != 6:     # IPv4, TCP
            continue
        tcp = 14 + (f[14] & 15) * 4
        sport, dport, seq = struct.unpack_from("!HHI", f, tcp)
        if sport == 80 and f[tcp + 13] & 0x12 == 0x12 and (dport, seq) not in seen[-4:]:
            seen.append((dport, seq))                # (a retransmitted SYN-ACK repeats the last ones)
    return seen


def boot(image: Path, tmp_path: Path, name: str, fixed: list[int], extra: tuple[str, ...] | list[str] = (),
         count: int = 0) -> tuple[dict[int, int], list[int]]:
    """Boot http_hello, connect from each fixed port, then count times from any port:
    ({fixed port: ISN}, the ISNs of the count others in order)."""
    port = free_port()
    pcap = tmp_path / f"{name}.pcap"
    cfg = vm.VmConfig(image, forwards=[f"{port}:80"], pcap=str(pcap), extra=list(extra))
    with Machine(cfg) as m:
        m.wait_line(r"http_hello: serving on port 80", 60)
        for p in fixed:
            connect_once(port, p)
        others = [connect_once(port) for _ in range(count)]
        lines = [line for _, line in m.lines]
    fail_on_crash(lines)
    got = syn_acks(pcap.read_bytes())
    by_port = dict(got)
    assert [p for p, _ in got] == fixed + others, "one SYN-ACK per connection, in order"
    return {p: by_port[p] for p in fixed}, [isn for _, isn in got[len(fixed):]]


def tuple_differences(isns: dict[int, int], fixed: list[int]) -> list[int]:
    """Each fixed tuple's ISN less the first one's (mod 2**32): M cancels out but for drift."""
    return [(isns[p] - isns[fixed[0]]) % (1 << 32) for p in fixed[1:]]


def far_apart(a: list[int], b: list[int]) -> int:
    """How many pairs differ by more than FAR, either way round the sequence space."""
    return sum(1 for x, y in zip(a, b) if FAR < (x - y) % (1 << 32) < (1 << 32) - FAR)


def test_a_thousand_isns_have_no_repeated_step(image: Path, tmp_path: Path) -> None:
    _, isns = boot(image, tmp_path, "many", [], count=CONNECTIONS)
    assert len(isns) == CONNECTIONS
    deltas = [(b - a) % (1 << 32) for a, b in zip(isns, isns[1:])]
    repeated = len(deltas) - len(set(deltas))
    assert repeated == 0, f"{repeated} ISN deltas repeat among {len(deltas)}"


@pytest.mark.parametrize("source, extra", [("rdrand", []), ("tsc-jitter", NO_RDRAND)])
def test_two_boots_give_the_same_tuples_different_isns(image: Path, tmp_path: Path, fixed_ports: list[int],
                                                       source: str, extra: list[str]) -> None:
    first, _ = boot(image, tmp_path, f"{source}-1", fixed_ports, extra)
    second, _ = boot(image, tmp_path, f"{source}-2", fixed_ports, extra)
    a, b = tuple_differences(first, fixed_ports), tuple_differences(second, fixed_ports)
    # A fixed key gives far_apart == 0; a fresh one leaves a pair within FAR 1 time in 128.
    assert far_apart(a, b) >= len(a) - 2, f"boot 1 {a}\nboot 2 {b}"
