"""A soak: close-per-request HTTP load at full speed against examples/http_hello.py, at
128 MiB and at the least memory `kaa bench memory` reports for it, default timers.

wrk runs inside a network namespace the test creates, against the guest on a tap there
(QEMU's user network relays every connection through its own TCP stack, which would cap
the load below what the guest takes). The guest must not crash (Guest fails the test on a panic or fault),
wrk must see no socket error at all (connect, read, write, timeout) and no non-2xx
answer, and once TIME-WAIT has run out (2 MSL: 60 s with the default 30 s MSL) the
guest's memory must be back where it was before the load: the heap's bytes in use and
the TCP connections and buffers, read from `netstat` (the `n` key) on its console.

The two guests are loaded at once, each by its own wrk in its own namespace, and drain
at once: about two minutes in all, on a 2-core host the machine at full speed.
KAA_SOAK_SECONDS sets the load's length (default 60 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from guest import ROOT, Guest, NetNamespace

pytestmark = [pytest.mark.booted,
              pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                                 reason="network namespaces need root and iproute2"),
              pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make setup installs it)")]

SOAK_SECONDS = int(os.environ.get("KAA_SOAK_SECONDS", "60"))
MSL_S = 30                                          # kernel/net/tcp.py's default: TIME-WAIT lasts 2 MSL
GUEST_IP = "10.0.3.2"


def least_memory_mib() -> int:
    """What `kaa bench memory` last reported for http_hello (docs/benchmarks/results.json)."""
    results = json.loads((ROOT / "docs" / "benchmarks" / "results.json").read_text())
    return int(results["memory"]["services"]["http_hello"]["least_mib"])


class ConsoleGuest(Guest):
    """A Guest whose console we type on: netstat() presses `n` and reads the counters."""

    def __init__(self, app: str, *args: str, **kw: Any) -> None:
        super().__init__(app, *args, console=True, **kw)

    def netstat(self) -> dict[str, int]:
        """Press `n`; the counters it prints: heap_in_use_kib and the others of the memory
        rows, and tcp_connections, tcp_time_wait, tcp_buffers_kib from the tcp line."""
        with self._changed:
            start = len(self.lines)
        self.keys("n")
        deadline = time.monotonic() + 20
        with self._changed:
            while not any("heap_in_use_kib" in line for line in self.lines[start:]):
                left = deadline - time.monotonic()
                assert left > 0 and self.returncode is None, "no netstat on the console:\n" + \
                    "\n".join(self.lines[-40:])
                self._changed.wait(left)
            block = self.lines[start:]
        out: dict[str, int] = {}
        for line in block:
            m = re.match(r"tcp: (\d+) connections, (\d+) in TIME-WAIT .*buffers (\d+) KiB in use", line)
            if m:
                out["tcp_connections"], out["tcp_time_wait"], out["tcp_buffers_kib"] = map(int, m.groups())
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
        assert "tcp_connections" in out and "heap_in_use_kib" in out, block
        return out


class Soak:
    """One guest on its own namespace: boot, baseline, load, then the check after 2 MSL."""

    def __init__(self, memory: int, name: str):
        self.memory = memory
        self.ns = NetNamespace(name)
        self.guest = ConsoleGuest("examples/http_hello.py", "--net", "tap", "--tap", self.ns.tap, "--memory",
                                  str(memory), netns=self.ns.name, cmdline=(f"ip={GUEST_IP}/24",), timeout=600)

    def __enter__(self) -> "Soak":
        self.ns.__enter__()
        try:
            self.guest.__enter__()
            self.guest.wait_for(r"http_hello: serving on port 80")
        except BaseException:
            self.ns.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.guest.__exit__(*exc)
        finally:
            self.ns.__exit__(*exc)

    def load(self, seconds: int) -> str:
        """wrk, close per request, from the namespace; its report. The baseline is read
        just before (the server has taken what its next connection needs already)."""
        self.ns.run("curl", "-sf", "-o", "/dev/null", f"http://{GUEST_IP}/")      # the link and ARP are up
        self.wait_drained(None)
        self.baseline = self.guest.netstat()
        r = self.ns.run("wrk", "-t2", "-c32", f"-d{seconds}s", "-H", "Connection: close", f"http://{GUEST_IP}/",
                        timeout=seconds + 60)
        self.loaded_at = time.monotonic()
        self.after_load = self.guest.netstat()
        return r.stdout

    def wait_drained(self, baseline: dict[str, int] | None) -> dict[str, int]:
        """Poll netstat until no connection is left but the ones of the baseline (the
        curl's TIME-WAIT before the baseline: until none is left)."""
        deadline = time.monotonic() + 2 * MSL_S + 30
        while True:
            now = self.guest.netstat()
            want = 0 if baseline is None else baseline["tcp_connections"]
            if now["tcp_connections"] <= want or time.monotonic() > deadline:
                return now
            time.sleep(3)


def check_wrk(report: str, memory: int) -> int:
    """The requests wrk made; no socket error, no non-2xx answer."""
    assert "Socket errors" not in report, f"--memory {memory}: wrk saw socket errors:\n{report}"
    assert "Non-2xx" not in report, f"--memory {memory}: wrk saw error answers:\n{report}"
    m = re.search(r"(\d+) requests in", report)
    assert m, report
    return int(m.group(1))


SHOWN = ("tcp_connections", "tcp_time_wait", "tcp_buffers_kib", "heap_in_use_kib", "pages_free_kib",
         "tcp_no_memory", "tcp_accept_no_memory", "tcp_time_wait_recycled", "tcp_syncookies_sent")


def shown(counters: dict[str, int]) -> dict[str, int]:
    return {k: counters.get(k, 0) for k in SHOWN}


def check_back_to_baseline(s: Soak) -> None:
    after = s.wait_drained(s.baseline)
    base = s.baseline
    detail = (f"--memory {s.memory}: before the load {shown(base)}, after it {shown(s.after_load)}, "
              f"after 2 MSL {shown(after)}")
    assert after["tcp_connections"] == base["tcp_connections"] and after["tcp_buffers_kib"] == 0, detail
    assert after["heap_in_use_kib"] == base["heap_in_use_kib"], detail


def test_close_per_request_soak() -> None:
    """wrk -c32 -H 'Connection: close' for SOAK_SECONDS against http_hello at 128 MiB and
    at the least memory, both at once: every request answered, no socket error, nothing
    left behind once TIME-WAIT has run out (and TIME-WAIT stayed within its cap)."""
    least = least_memory_mib()
    with Soak(128, "kaa-soak-big") as big, Soak(least, "kaa-soak-least") as small:
        with ThreadPoolExecutor(2) as pool:
            big_load, small_load = pool.submit(big.load, SOAK_SECONDS), pool.submit(small.load, SOAK_SECONDS)
            served_big = check_wrk(big_load.result(), 128)
            served_small = check_wrk(small_load.result(), least)
            assert served_big > 0 and served_small > 0
            drained = [pool.submit(check_back_to_baseline, s) for s in (big, small)]
            for d in drained:
                d.result()
        print(f"\nsoak {SOAK_SECONDS} s: 128 MiB served {served_big}, {least} MiB served {served_small}; "
              f"after the loads {shown(big.after_load)} / {shown(small.after_load)}")
        for s in (big, small):
            assert s.after_load["tcp_time_wait"] <= s.after_load["tcp_connections"]
