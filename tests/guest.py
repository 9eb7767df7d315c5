"""A booted guest that a test talks to while it runs (servers, network tests).

    with Guest("examples/udp_echo.py", "-p", "5555:5555/udp") as g:
        g.wait_for("listening")
        ...talk to it...
    # leaving the block stops it (Ctrl-C to `kaa run`, as a user would), and its
    # console is in g.lines

With netns=NAME, `kaa run` runs inside that network namespace (for --net tap tests).
The console is read by a background thread, so the guest never blocks on a full pipe.

A guest that crashes fails the test: when the console shows a panic or a fault report
(kaa/bench/crash.py), leaving the block raises an AssertionError naming the crash with
its report, whatever else the test saw, and so do run_to_exit() and run_config(). A
test that provokes one on purpose says so: expect_panic=True.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kaa.bench.crash import Crash, find_crash, symbolized
from kaa.bench.network import limit_client_time_wait

if TYPE_CHECKING:
    from kaa import vm

ROOT = Path(__file__).resolve().parent.parent


class Guest:
    def __init__(self, app: str, *args: str, cmdline: tuple[str, ...] = (), netns: str | None = None,
                 timeout: float = 300, expect_panic: bool = False, console: bool = False):
        argv = [sys.executable, "-m", "kaa", "run", app, "--timeout", str(timeout), *args]
        if cmdline:
            argv += ["--", *cmdline]
        if netns:
            argv = ["ip", "netns", "exec", netns, *argv]
        self.argv = argv
        self.expect_panic = expect_panic
        self.console = console             # `kaa run` reads its stdin from us: keys() types on the guest's console
        self.lines: list[str] = []
        self.stderr = ""
        self.returncode: int | None = None
        self._changed = threading.Condition()

    def __enter__(self) -> "Guest":
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, stdin=subprocess.PIPE if self.console else None,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def keys(self, text: str) -> None:
        """Type text on the guest's console (a Guest made with console=True)."""
        assert self.proc.stdin is not None, "keys() needs Guest(..., console=True)"
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\r\n"))
                self._changed.notify_all()
        with self._changed:
            self.returncode = self.proc.wait()
            self._changed.notify_all()

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        """The first console line matching pattern (a regex), waiting up to timeout s."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    m = rx.search(line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.returncode is not None:
                    crash = None if self.expect_panic else find_crash(self.lines)
                    raise AssertionError((f"{crash}\n\n" if crash else "")
                                         + f"no console line matching {pattern!r}; console:\n" + "\n".join(self.lines)
                                         + f"\nstderr:\n{self.proc.stderr.read() if self.returncode is not None else ''}")
                self._changed.wait(left)

    def crash(self) -> Crash | None:
        """The panic or fault report on the console so far, if any."""
        with self._changed:
            return find_crash(self.lines)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()
        return self.proc.returncode

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if not self.expect_panic:
            fail_on_crash(self.lines)       # raised over an error of the test's own: the crash explains it


def fail_on_crash(lines: list[str], image: str | Path | None = None) -> None:
    """An AssertionError naming the guest's crash, with its report, if it had one (its
    addresses named from image, for a console that `kaa run` did not symbolize)."""
    crash = find_crash(lines)
    if crash is not None:
        raise AssertionError(str(crash if image is None else symbolized(crash, image)))


def run_to_exit(kaa: Callable[..., subprocess.CompletedProcess[str]], app: str, *args: str,
                cmdline: tuple[str, ...] = (), timeout: str = "120",
                expect_panic: bool = False) -> tuple[int, list[str]]:
    """Boot app with `kaa` (conftest's fixture) and wait for it to exit, for a guest that
    needs no talking to: its exit status and the console lines after the boot banner."""
    r = kaa("run", app, "--timeout", timeout, *args, *(("--", *cmdline) if cmdline else ()))
    if not expect_panic:
        fail_on_crash(r.stdout.splitlines())
    return r.returncode, after_banner(r.stdout, r.stderr)


def run_config(cfg: "vm.VmConfig", timeout: float, expect_panic: bool = False) -> tuple[int, list[str]]:
    """Boot a VmConfig (for QEMU options `kaa run` does not offer) and wait for it to
    exit: its status and the console lines after the boot banner."""
    from kaa import vm
    out, err = io.BytesIO(), io.BytesIO()
    status = vm.run(cfg, timeout=timeout, out=out, err=err)
    console = out.getvalue().decode(errors="replace")
    if not expect_panic:
        fail_on_crash(console.splitlines(), cfg.image)
    return status, after_banner(console, err.getvalue().decode(errors="replace"))


def after_banner(console: str, stderr: str = "") -> list[str]:
    """The console lines after the `Kaa ...` boot banner (which must be there)."""
    lines = console.splitlines()
    banner = next((i for i, ln in enumerate(lines) if ln.startswith("Kaa ")), None)
    assert banner is not None, console + stderr
    return lines[banner + 1:]


class NetNamespace:
    """A network namespace with a tap device and an address on it; nothing routes out.

    The guest's NIC attaches to the tap (kaa run --net tap --tap NAME inside the
    namespace); the namespace's side of the link is host_ip/24. Its name is NAME-PID,
    so test runs side by side on one machine never share one."""

    def __init__(self, name: str, tap: str = "kaatap0", host_ip: str = "10.0.3.1"):
        self.name, self.tap, self.host_ip = f"{name}-{os.getpid()}", tap, host_ip

    def run(self, *cmd: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["ip", "netns", "exec", self.name, *cmd], capture_output=True, text=True,
                              check=check, timeout=timeout)

    def __enter__(self) -> "NetNamespace":
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        self.run("ip", "link", "set", "lo", "up")
        self.run("ip", "tuntap", "add", "dev", self.tap, "mode", "tap")
        self.run("ip", "addr", "add", f"{self.host_ip}/24", "dev", self.tap)
        self.run("ip", "link", "set", self.tap, "up")
        limit_client_time_wait(self.name)      # loads from here measure the guest, not Linux's port search
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)


class LossyLink:
    """tests/net_tools/lossy_relay.py between a guest (`--net dgram`) and the namespace's
    tap: frames are dropped, reordered and duplicated on the way, both directions.

        with NetNamespace("kaa-loss") as ns, LossyLink(ns, loss=0.05) as link:
            with Guest(app, *link.kaa_args, netns=ns.name, cmdline=(...)) as g: ...
        link.counts    # what the relay did
    """

    RELAY_PORT, QEMU_PORT = 47001, 47002

    def __init__(self, ns: NetNamespace, loss: float = 0.05, reorder: float = 0.02, duplicate: float = 0.02,
                 seed: int = 1):
        self.ns = ns
        self.args = [str(a) for a in (loss, reorder, duplicate, seed)]
        self.kaa_args = ("--net", "dgram", "--dgram", f"{self.QEMU_PORT}:{self.RELAY_PORT}")
        self.counts: dict[str, dict[str, int]] = {}

    def __enter__(self) -> "LossyLink":
        script = ROOT / "tests" / "net_tools" / "lossy_relay.py"
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns.name, sys.executable, str(script), self.ns.tap,
                                      str(self.RELAY_PORT), str(self.QEMU_PORT), *self.args],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "relay ready"
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        if out.strip():
            import json
            self.counts = json.loads(out.strip().splitlines()[-1])
