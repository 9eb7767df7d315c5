"""A guest that a benchmark boots, times and talks to while it runs.

    with Machine(cfg) as m:                      # QEMU starts: m.t0 is that instant
        t, match = m.wait_line(r"booted in (\\d+) us", timeout=30)
        ...
    # leaving the block stops QEMU (SIGTERM, then SIGKILL)

The argv is kaa.vm.qemu_command(cfg): the same machine, accelerator, memory, CPUs and
devices `kaa run` uses; with netns=NAME, QEMU runs inside that network namespace
(`ip netns exec`, for a tap device that lives there: see kaa/bench/network.py).
Console lines are stamped with the seconds since QEMU was started, as they arrive, by
a reader thread (the guest never blocks on a full pipe). A guest that panicked or
faulted has crash() (kaa/bench/crash.py, its backtrace symbolized from the image), and
every error about it leads with that report rather than "QEMU ended".

cfg may instead be a HostProcess (a service run on the host, no VM: see the "cpython"
kind in kaa/bench/services.py): the same handling, its stdout standing for the console,
and the same stop.
"""

from __future__ import annotations

import ctypes
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from kaa import listen_backlog, vm
from kaa.bench.crash import Crash, find_crash, symbolized


class BenchError(Exception):
    """A benchmark could not measure what it set out to; the message says why (and
    crash holds the guest's crash report when that was the reason)."""

    def __init__(self, message: str, crash: Crash | None = None):
        super().__init__(message)
        self.crash = crash


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that nothing listens on now (TCP or, with SOCK_DGRAM, UDP)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class HostProcess:
    """A service that runs as a process on the host: its argv and environment."""
    argv: list[str]
    env: dict[str, str] | None = None


class Machine:
    def __init__(self, cfg: vm.VmConfig | HostProcess, netns: str | None = None):
        self.cfg = cfg
        self.argv = list(cfg.argv) if isinstance(cfg, HostProcess) else vm.qemu_command(cfg)
        self.env = cfg.env if isinstance(cfg, HostProcess) else None
        if netns is not None:
            self.argv = ["ip", "netns", "exec", netns, *self.argv]
        self.lines: list[tuple[float, str]] = []
        self.stderr = bytearray()
        self.returncode: int | None = None
        self._changed = threading.Condition()

    def __enter__(self) -> "Machine":
        self.t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, start_new_session=True, env=self.env,
                                         preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        except FileNotFoundError:
            raise BenchError(f"{self.argv[0]} not found; install it (Debian: qemu-system-x86, iproute2)") from None
        if isinstance(self.cfg, vm.VmConfig):      # the same forwarding as `kaa run`: a real listen backlog
            listen_backlog.widen_in_background(self.proc.pid, listen_backlog.forwarded_tcp_ports(self.argv))
        self._threads = [threading.Thread(target=self._read_console, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read_console(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            t = self.elapsed()
            with self._changed:
                self.lines.append((t, raw.decode(errors="replace").rstrip("\r\n")))
                self._changed.notify_all()
        rc = self.proc.wait()
        with self._changed:
            self.returncode = rc
            self._changed.notify_all()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.stderr += raw[:65536 - len(self.stderr)]

    def wait_line(self, pattern: str, timeout: float) -> tuple[float, re.Match[str]]:
        """(seconds since start, match) of the first console line matching pattern."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for t, line in self.lines:
                    m = rx.search(line)
                    if m:
                        return t, m
                left = deadline - time.monotonic()
                if left <= 0 or self.returncode is not None:
                    break
                self._changed.wait(left)
        crash = self.crash()
        why = (f"the guest crashed: {crash.line}" if crash else "QEMU ended" if self.returncode is not None
               else f"none after {timeout:g} s")
        raise BenchError(f"no console line matching {pattern!r} ({why})\n{self.tail()}")

    def crash(self) -> Crash | None:
        """The guest's panic or fault report, if its console shows one."""
        with self._changed:
            found = find_crash([line for _, line in self.lines])
        if found is None or isinstance(self.cfg, HostProcess):
            return found
        return symbolized(found, self.cfg.image)

    def find_line(self, pattern: str) -> tuple[float, re.Match[str]] | None:
        rx = re.compile(pattern)
        with self._changed:
            for t, line in self.lines:
                m = rx.search(line)
                if m:
                    return t, m
        return None

    def wait_exit(self, timeout: float) -> tuple[float, int]:
        """(seconds since start, kaa.vm.exit_status) once QEMU ends by itself."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise BenchError(f"QEMU still running after {timeout:g} s\n{self.tail()}") from None
        t = self.elapsed()
        for th in self._threads:
            th.join(5)
        return t, vm.exit_status(self.proc.returncode)

    def tail(self, n: int = 15) -> str:
        """The console's last n lines and stderr; a crash's whole report instead of the
        console when the guest crashed."""
        crash = self.crash()
        with self._changed:
            lines = [line for _, line in self.lines[-n:]]
        err = self.stderr.decode(errors="replace").strip()
        where = "stderr" if isinstance(self.cfg, HostProcess) else "qemu stderr"
        console = f"{crash}" if crash else "console:\n  " + "\n  ".join(lines)
        return console + (f"\n{where}:\n  {err}" if err else "")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for th in self._threads:
            th.join(5)
        for f in (self.proc.stdout, self.proc.stderr):
            if f is not None:
                f.close()
