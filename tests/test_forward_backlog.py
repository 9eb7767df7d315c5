"""Forwarded ports take bursts of connections (kaa/listen_backlog.py).

QEMU's user network listens on a forwarded port with a backlog of one; `kaa run`
widens it. First the widening itself, on a process of the test's own; then the load
Toro's users reported freezes with, `ab -n 60000 -c 100`, against what `make run`
serves: every request answered, none failed, no reset, no timeout, and the host's
kernel never turned a connection away for a full accept queue.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from pathlib import Path

import pytest

from guest import Guest
from kaa import listen_backlog
from kaa.bench.machine import free_port

LISTENER = r"""
import os, socket, sys, time
tcp = socket.socket()
tcp.bind(("127.0.0.1", 0))
tcp.listen(1)
unix = socket.socket(socket.AF_UNIX)
unix.bind(sys.argv[1])
unix.listen(1)
print(tcp.getsockname()[1], flush=True)
sys.stdin.read()
"""


def listen_overflows() -> int:
    """The host's TcpExt ListenOverflows: connections a full accept queue turned away."""
    head, values = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()
                    if line.startswith("TcpExt:")]
    return int(values[head.index("ListenOverflows")])


def backlog_of(port: int) -> int:
    """The backlog of the socket listening on 127.0.0.1:port, as `ss` shows it (Send-Q)."""
    return ss_backlog("-Hltn", f"sport = :{port}")


def unix_backlog_of(path: str) -> int:
    return ss_backlog("-Hlx", f"src {path}")


def ss_backlog(*args: str) -> int:
    """Send-Q of the one listener `ss` lists: the column after Recv-Q, after LISTEN."""
    fields = subprocess.run(["ss", *args], capture_output=True, text=True, check=True).stdout.split()
    assert "LISTEN" in fields, f"ss {' '.join(args)}: no listener: {fields}"
    return int(fields[fields.index("LISTEN") + 2])


@pytest.mark.skipif(shutil.which("ss") is None, reason="ss (iproute2) is not installed")
def test_widen_sets_the_backlog_of_another_process_s_tcp_listeners_only(tmp_path) -> None:
    path = str(tmp_path / "u.sock")
    p = subprocess.Popen([sys.executable, "-c", LISTENER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    try:
        assert p.stdout is not None
        port = int(p.stdout.readline())
        assert backlog_of(port) == 1
        assert listen_backlog.widen(p.pid, 1) == 1
        assert backlog_of(port) == listen_backlog.BACKLOG
        assert unix_backlog_of(path) == 1                    # not a forwarded port: left alone
        assert listen_backlog.widen(p.pid, 2, timeout=0.2) == 1    # only one TCP listener: gives up in time
    finally:
        p.kill()
        p.wait()


def test_forwarded_ports_are_counted_from_the_qemu_command() -> None:
    assert listen_backlog.forwarded_tcp_ports(
        ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:127.0.0.1:53-:53,hostfwd=tcp::9-:9"]) == 2
    assert listen_backlog.forwarded_tcp_ports(["-netdev", "tap,id=n0,ifname=kaa0"]) == 0


@pytest.mark.booted
@pytest.mark.skipif(shutil.which("ab") is None, reason="ab is not installed (make setup installs apache2-utils)")
def test_ab_60000_requests_100_at_a_time_against_make_run() -> None:
    port = free_port()
    with Guest("examples/http_hello.py", "-p", f"{port}:80") as g:
        g.wait_for(r"http_hello: serving on port 80")
        assert backlog_of(port) == listen_backlog.BACKLOG
        overflows = listen_overflows()
        # -l: the body counts requests, so its length varies; -s 30: a request waiting
        # 30 s ends the run (ab's default as well).
        r = subprocess.run(["ab", "-q", "-l", "-s", "30", "-n", "60000", "-c", "100", f"http://127.0.0.1:{port}/"],
                           capture_output=True, text=True, timeout=600)
        overflows = listen_overflows() - overflows
    report = r.stdout + r.stderr
    assert r.returncode == 0, report
    assert re.search(r"Complete requests:\s+60000\n", report), report
    assert re.search(r"Failed requests:\s+0\n", report), report
    assert "Non-2xx" not in report and "apr_" not in report, report
    # A connection the accept queue dropped still completes, seconds later (SYN or ACK
    # sent again): the answers alone would not show it.
    assert overflows == 0, f"the host's accept queue overflowed {overflows} times:\n{report}"
    print("\n" + "\n".join(line for line in report.splitlines()
                           if line.startswith(("Requests per second", "Time taken", "Total:"))))
