"""The network's counters, booted: printed at exit (`netstat` on the command line, an
exit hook of kernel/net/net.py) and on the console key `n` (kernel/drivers/console_input.py,
fed from kaa run's stdin) while the service keeps running; and a static address
(`ip=A/P gw=G`), told apart from DHCP by the counters.

Traffic goes only to 127.0.0.1 (QEMU's user networking).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import pytest

from guest import ROOT, Guest
from kaa.bench.machine import free_port

pytestmark = pytest.mark.booted

DHCP_EXCHANGE = 2       # slirp: DISCOVER -> OFFER, REQUEST -> ACK (one datagram each way, each step)


def free_udp_port() -> int:
    return free_port(socket.SOCK_DGRAM)


def echo(port: int, count: int) -> None:
    """count datagrams, each answered before the next goes: no retries, so the guest
    sees exactly count (a lost one fails the test rather than skewing the counters)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(30)
        for i in range(count):
            payload = f"datagram {i}".encode()
            s.sendto(payload, ("127.0.0.1", port))
            assert s.recvfrom(2048)[0] == payload


def dumps(lines: list[str]) -> list[dict[str, int]]:
    """Each counters table on the console (they start with `NIC: mac ...`), with the
    device line's rx/tx packets as dev_rx/dev_tx."""
    tables: list[dict[str, int]] = []
    device: dict[str, int] = {}
    for line in lines:
        if m := re.match(r"[\w-]+: rx (\d+) packets .*; tx (\d+) packets", line):
            device = {"dev_rx": int(m.group(1)), "dev_tx": int(m.group(2))}
        elif re.match(r"[\w-]+: mac ", line):
            tables.append(dict(device))
        elif tables and (m := re.match(r"\s+(\w+)\s+(\d+)$", line)):
            tables[-1][m.group(1)] = int(m.group(2))
    return tables


def run_to_exit(port: int, cmdline: list[str], count: int) -> subprocess.CompletedProcess[str]:
    """udp_echo with count=N: it serves count datagrams, then main returns (the exit path)."""
    kaa = subprocess.Popen([sys.executable, "-m", "kaa", "run", "examples/udp_echo.py", "--timeout", "300",
                            "-p", f"{port}:5555/udp", "--", f"count={count}", *cmdline],
                           cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        assert kaa.stdout is not None
        lines = []
        for line in kaa.stdout:
            lines.append(line)
            if "udp echo: listening" in line:
                break
        echo(port, count)
        out, err = kaa.communicate(timeout=60)
    finally:
        if kaa.poll() is None:
            kaa.kill()
            kaa.wait()
    return subprocess.CompletedProcess(kaa.args, kaa.returncode, "".join(lines) + out, err)


def test_netstat_prints_the_counters_at_exit() -> None:
    port = free_udp_port()
    r = run_to_exit(port, ["netstat"], 20)
    assert r.returncode == 0, r.stdout + r.stderr
    [c] = dumps(r.stdout.splitlines())
    assert c["udp_rx"] == 20 + DHCP_EXCHANGE and c["udp_tx"] == 20 + DHCP_EXCHANGE, c
    assert c["ip_rx"] == c["udp_rx"] and c["udp_no_socket"] == 0
    assert c["rx_frames"] == c["dev_rx"] and c["tx_frames"] == c["dev_tx"]
    assert c["rx_frames"] == c["ip_rx"] + c["arp_rx"]       # nothing else came, nothing dropped


def test_no_netstat_no_counters() -> None:
    r = run_to_exit(free_udp_port(), [], 3)
    assert r.returncode == 0, r.stdout + r.stderr
    assert dumps(r.stdout.splitlines()) == [] and "rx_frames" not in r.stdout


class KeyedGuest(Guest):
    """A Guest whose console we type on, that reads the counter tables keys print."""

    def __init__(self, app: str, *args: str) -> None:
        super().__init__(app, *args, console=True)

    def wait_for_dumps(self, n: int, timeout: float = 60) -> list[dict[str, int]]:
        """The first n counter tables, once the n-th is complete (its last row printed)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(1 for ln in self.lines if re.match(r"\s+tx_too_big\s+\d+$", ln)) < n:
                left = deadline - time.monotonic()
                assert left > 0 and self.returncode is None, f"fewer than {n} tables:\n" + "\n".join(self.lines)
                self._changed.wait(left)
            return dumps(self.lines)[:n]


@pytest.mark.parametrize("machine,nic", [("microvm", "virtio"), ("q35", "e1000")])   # COM1's IRQ on each I/O APIC set-up
def test_key_n_prints_the_counters_and_the_service_goes_on(machine: str, nic: str) -> None:
    port = free_udp_port()
    with KeyedGuest("examples/udp_echo.py", "--machine", machine, "--nic", nic, "-p", f"{port}:5555/udp") as g:
        g.wait_for(r"udp echo: listening")
        echo(port, 5)
        g.keys("n")
        [first] = g.wait_for_dumps(1)
        assert first["udp_rx"] == 5 + DHCP_EXCHANGE, first
        echo(port, 7)                                   # still serving
        g.keys("\n?")                                   # newline ignored; an unbound key lists the bound ones
        g.wait_for(r"^console keys: n \(network counters\)$")
        g.keys("n")
        second = g.wait_for_dumps(2)[1]
        assert second["udp_rx"] == 12 + DHCP_EXCHANGE and second["udp_tx"] == 12 + DHCP_EXCHANGE, second
        assert g.proc.poll() is None
    assert g.proc.returncode == 130                     # stopped by our Ctrl-C, not by a key


def test_static_address_from_the_command_line() -> None:
    """ip=/gw= with slirp's own addresses: echo works, and no DHCP datagram went either way."""
    port = free_udp_port()
    r = run_to_exit(port, ["ip=10.0.2.15/24", "gw=10.0.2.2", "netstat"], 10)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"^net: virtio-net 52:54:00:12:34:56 10\.0\.2\.15/24; mmio modern; mrg_rxbuf event_idx$", r.stdout, re.M), r.stdout
    [c] = dumps(r.stdout.splitlines())
    assert c["udp_rx"] == 10 and c["udp_tx"] == 10, c            # the echoes only: no DHCP
    assert c["arp_requests_sent"] >= 1                            # the gateway's MAC, asked for
