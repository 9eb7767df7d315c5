"""`kaa up STACK.toml`: boot a stack's services together and run them until Ctrl-C.

Order: the file is checked (kaa/deploy/stack.py), every published port found free on
127.0.0.1, every service built (the build cache makes an unchanged one quick); then
the switch starts (kaa/deploy/switch.py), the gateway if the stack needs one, and the
guests in the file's order.

Logs: every line of a guest's console and of its QEMU's messages goes to our stdout
with the service's name in front (`front | ...`), names padded to one width, coloured
on a terminal; backtraces are symbolized as `kaa run` does. kaa up's own messages go to
stderr, after `kaa up:` (the gateway's after `kaa up: gateway:`).

Stop: Ctrl-C (SIGINT) or SIGTERM stops the guests (QMP quit, then SIGTERM, then
SIGKILL, as `kaa run` does), the gateway and the switch; kaa up then exits with 130
(143 for SIGTERM). QEMUs run in their own sessions (a terminal's Ctrl-C reaches only
kaa up) and die with it (PR_SET_PDEATHSIG), so even a killed kaa up leaves none.

A guest that ends is reported with its status (vm.exit_status's meanings). By its
`restart`: "no" (the default) stops the stack, and kaa up exits with that status;
"on-failure" boots it again unless its status was 0 (then as "no"); "always" boots it
again. A restart waits RESTART_DELAY, doubled each time the guest had lived less than
STABLE_AFTER seconds, up to MAX_RESTART_DELAY. The gateway ending stops the stack.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import BinaryIO, Protocol, TextIO, cast

from kaa import build as kbuild
from kaa import vm
from kaa.deploy import stack as kstack
from kaa.deploy.switch import Switch, socket_folder
from kaa.symbolize import ConsoleSymbolizer, Symbolizer

RESTART_DELAY = 0.5
MAX_RESTART_DELAY = 8.0
STABLE_AFTER = 10.0
DRAIN = 1.0                         # seconds for stopped QEMUs' last words
TERMINATED = 128 + signal.SIGTERM
COLOURS = (36, 33, 32, 35, 34, 31)  # ANSI: cyan, yellow, green, magenta, blue, red
GATEWAY_NOISE = (b"warning: hub 0 with no nics",)   # a hub joining two netdevs has no NIC: as meant


class _Terminated(Exception):
    """SIGTERM arrived."""


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


class TextSink:
    """Bytes onto a text stream (kaa up's stderr)."""

    def __init__(self, text: TextIO) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        self.text.write(data.decode(errors="replace"))
        return len(data)

    def flush(self) -> None:
        self.text.flush()


class LinePrefix:
    """A writer that puts prefix before each line it passes to out; a partial line waits
    for its newline (or finish()). Lines holding one of `hide` are dropped."""

    def __init__(self, out: Sink, prefix: bytes, hide: tuple[bytes, ...] = ()) -> None:
        self.out = out
        self.prefix = prefix
        self.hide = hide
        self.partial = bytearray()

    def write(self, data: bytes) -> int:
        self.partial += data
        *lines, rest = bytes(self.partial).split(b"\n")
        self.partial = bytearray(rest)
        for line in lines:
            self._line(line)
        self.out.flush()
        return len(data)

    def _line(self, line: bytes) -> None:
        if not any(h in line for h in self.hide):
            self.out.write(self.prefix + line.rstrip(b"\r") + b"\n")

    def flush(self) -> None:
        self.out.flush()

    def finish(self) -> None:
        if self.partial:
            self._line(bytes(self.partial))
            self.partial.clear()
            self.out.flush()


@dataclass(eq=False)
class Member:
    """A QEMU of the stack (a guest or the gateway) and where its output goes."""
    name: str
    argv: list[str]
    qmp: Path
    restart: str
    console: LinePrefix
    messages: LinePrefix
    symbolizer: Symbolizer | None = None   # a guest's (the gateway has none)
    gateway: bool = False
    proc: subprocess.Popen[bytes] | None = None
    writer: Sink | None = None              # the console's writer (symbolizing) while it runs
    pipes: int = 0                          # its output pipes still open
    started: float = 0.0
    delay: float = RESTART_DELAY
    due: float | None = None                # when to boot it again


def up(file: Path, *, accel: str = "auto", opt: int = 2, debug: bool = False,
       out: BinaryIO | None = None, err: TextIO | None = None) -> int:
    """Run the stack in file until it stops (see the module doc); its exit status.
    StackError for a bad file or a published port already taken."""
    out = out if out is not None else sys.stdout.buffer
    err = err if err is not None else sys.stderr
    plan = kstack.plan(kstack.load(file))
    vm.pick_accel(accel)                    # a bad --accel or a taken port fails before the builds
    _check_ports_free(plan)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        images = _build_all(plan, opt, debug, err)
        return _run(plan, images, accel, out, err)
    except KeyboardInterrupt:
        print("kaa up: stopped (Ctrl-C)", file=err, flush=True)
        return vm.INTERRUPTED
    except _Terminated:
        print("kaa up: stopped (SIGTERM)", file=err, flush=True)
        return TERMINATED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build_all(plan: kstack.Plan, opt: int, debug: bool, err: TextIO) -> dict[str, Path]:
    images: dict[str, Path] = {}
    for g in plan.guests:
        if g.service.app.suffix == ".py":
            print(f"kaa up: building {g.service.name} ({g.service.app})", file=err, flush=True)
            images[g.service.name] = kbuild.build(g.service.app, target="kvm", opt=opt, debug=debug)
        else:
            images[g.service.name] = g.service.app
    return images


def _run(plan: kstack.Plan, images: dict[str, Path], accel: str, out: BinaryIO, err: TextIO) -> int:
    """Start the switch, the gateway and the guests, and run until the stack stops."""
    folder = socket_folder()
    switch = Switch(folder)
    runner = Runner(plan, out, err)
    try:
        switch.start()
        if plan.needs_gateway:
            runner.add_gateway(kstack.gateway_command(plan, switch.uplink_path), folder)
        for g in plan.guests:
            cfg = kstack.guest_config(g, images[g.service.name], switch.guests_path, accel)
            try:
                argv = vm.qemu_command(cfg, str(folder / f"{g.service.name}.qmp"))
            except vm.VmError as e:
                raise kstack.StackError(f"{plan.stack.file}: services.{g.service.name}: {e}") from None
            runner.add_guest(g, argv, images[g.service.name], folder)
        _summary(plan, err)
        return runner.run()
    finally:
        runner.stop_all()
        switch.close()
        shutil.rmtree(folder, ignore_errors=True)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


def _check_ports_free(plan: kstack.Plan) -> None:
    """Each published port must be free on 127.0.0.1 (else the gateway would fail to start)."""
    for g in plan.guests:
        for i, p in enumerate(g.service.publish):
            kind = socket.SOCK_DGRAM if p.proto == "udp" else socket.SOCK_STREAM
            with socket.socket(socket.AF_INET, kind) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind(("127.0.0.1", p.host))
                except OSError as e:
                    raise kstack.StackError(f"{plan.stack.file}: services.{g.service.name}.publish[{i}]: "
                                            f"127.0.0.1:{p.host}/{p.proto} cannot be taken ({e.strerror})") from None


def _summary(plan: kstack.Plan, err: TextIO) -> None:
    net = plan.stack.subnet
    gateway = f" (gateway {kstack.gateway_address(net)})" if plan.needs_gateway else ""
    print(f"kaa up: network {net}{gateway}; Ctrl-C stops all", file=err)
    width = max(len(g.service.name) for g in plan.guests)
    for g in plan.guests:
        ports = "".join(f"  127.0.0.1:{p.host} -> {p.guest}{'/udp' if p.proto == 'udp' else ''}"
                        for p in g.service.publish)
        print(f"kaa up:   {g.service.name:<{width}}  {g.address or 'dhcp'}{ports}", file=err)
    err.flush()


class Runner:
    """Starts the stack's QEMUs, copies their output as prefixed lines, and watches them."""

    def __init__(self, plan: kstack.Plan, out: BinaryIO, err: TextIO) -> None:
        self.out = out
        self.err = err
        self.sel = selectors.DefaultSelector()
        self.members: list[Member] = []
        self.width = max(len(g.service.name) for g in plan.guests)
        self.colour = _wants_colour(out)

    def _prefix(self, name: str) -> bytes:
        text = f"{name:<{self.width}} | "
        if self.colour:
            text = f"\033[{COLOURS[len(self.members) % len(COLOURS)]}m{text}\033[0m"
        return text.encode()

    def add_gateway(self, argv: list[str], folder: Path) -> None:
        err = TextSink(self.err)
        m = Member("gateway", argv + ["-qmp", f"unix:{folder / 'gateway.qmp'},server=on,wait=off"],
                   folder / "gateway.qmp", "no", LinePrefix(err, b"kaa up: gateway: ", GATEWAY_NOISE),
                   LinePrefix(err, b"kaa up: gateway: ", GATEWAY_NOISE), gateway=True)
        self.members.append(m)
        self.start(m)

    def add_guest(self, g: kstack.Guest, argv: list[str], image: Path, folder: Path) -> None:
        prefix = self._prefix(g.service.name)
        m = Member(g.service.name, argv, folder / f"{g.service.name}.qmp", g.service.restart,
                   LinePrefix(self.out, prefix), LinePrefix(self.out, prefix), Symbolizer(image))
        self.members.append(m)
        self.start(m)

    def start(self, m: Member) -> None:
        m.qmp.unlink(missing_ok=True)
        m.proc = vm.start(m.argv)
        m.started = time.monotonic()
        m.due = None
        m.writer = ConsoleSymbolizer(cast(BinaryIO, m.console), m.symbolizer) if m.symbolizer else m.console
        self.sel.register(cast(BinaryIO, m.proc.stdout), selectors.EVENT_READ, (m, m.writer))
        self.sel.register(cast(BinaryIO, m.proc.stderr), selectors.EVENT_READ, (m, m.messages))
        m.pipes = 2

    def run(self) -> int:
        """Until a guest ends for good (its status) or the gateway ends (1); a signal raises."""
        while True:
            status = self._step()
            if status is not None:
                return status

    def _step(self) -> int | None:
        due = [m.due for m in self.members if m.due is not None]
        timeout = max(0.0, min(due) - time.monotonic()) if due else None
        for key, _ in self.sel.select(timeout):
            m, writer = key.data
            data = os.read(key.fd, 65536)
            if data:
                writer.write(data)
                continue
            self.sel.unregister(key.fileobj)
            m.pipes -= 1
            if m.pipes == 0:
                status = self._ended(m)
                if status is not None:
                    return status
        now = time.monotonic()
        for m in self.members:
            if m.due is not None and m.due <= now:
                self._say(f"{m.name}: booting again")
                self.start(m)
        return None

    def _ended(self, m: Member) -> int | None:
        """m's QEMU closed its output: report it; the stack's status if the stack stops."""
        assert m.proc is not None
        status = vm.exit_status(m.proc.wait())
        for pipe in (m.proc.stdout, m.proc.stderr):
            if pipe is not None:
                pipe.close()
        self._finish_output(m)
        lived = time.monotonic() - m.started
        self._say(f"{m.name} ended: {describe(status)} after {lived:.1f} s")
        if m.gateway:
            self._say("the gateway (published ports, DHCP) is gone; stopping the stack")
            return 1
        if m.restart == "always" or m.restart == "on-failure" and status != 0:
            if lived >= STABLE_AFTER:
                m.delay = RESTART_DELAY
            m.due = time.monotonic() + m.delay
            self._say(f"{m.name}: restart = \"{m.restart}\": booting again in {m.delay:g} s")
            m.delay = min(m.delay * 2, MAX_RESTART_DELAY)
            return None
        self._say("stopping the stack")
        return status

    def _finish_output(self, m: Member) -> None:
        if isinstance(m.writer, ConsoleSymbolizer):
            m.writer.finish()
        m.console.finish()
        m.messages.finish()

    def stop_all(self) -> None:
        """Stop every QEMU still running (guests last to first, then the gateway) and let out
        their last words."""
        for m in reversed(self.members):
            if m.proc is not None and m.proc.poll() is None:
                vm.stop(m.proc, str(m.qmp))
        deadline = time.monotonic() + DRAIN
        while self.sel.get_map() and time.monotonic() < deadline:
            for key, _ in self.sel.select(max(0.0, deadline - time.monotonic())):
                m, writer = key.data
                data = os.read(key.fd, 65536)
                if data:
                    writer.write(data)
                else:
                    self.sel.unregister(key.fileobj)
        for m in self.members:
            if m.proc is not None:
                if m.proc.poll() is None:
                    m.proc.kill()
                m.proc.wait()
                for pipe in (m.proc.stdout, m.proc.stderr):
                    if pipe is not None:
                        pipe.close()
                self._finish_output(m)
        self.sel.close()

    def _say(self, text: str) -> None:
        print(f"kaa up: {text}", file=self.err, flush=True)


def describe(status: int) -> str:
    """run()'s status in words."""
    if status == vm.NO_STATUS:
        return "powered off without a status"
    if status == vm.QEMU_FAILED:
        return "QEMU failed (its messages are above)"
    if status > 128:
        return f"QEMU killed by signal {status - 128}"
    return f"status {status}"


def _wants_colour(out: BinaryIO) -> bool:
    try:
        return os.isatty(out.fileno()) and "NO_COLOR" not in os.environ
    except (OSError, ValueError, AttributeError):
        return False
