"""Run a Kaa image in QEMU.

Design:
- `pick_accel` picks the accelerator. Where KVM is kvm_pvm (software virtualization,
  far slower than TCG for our guests; see DESIGN.md section 3) "auto" means TCG.
- `qemu_command` builds the argv; the image boots through its PVH note (-kernel).
- `run` starts QEMU in its own session (a terminal Ctrl-C reaches only us), copies
  the serial console (QEMU's stdout) and QEMU's stderr through byte for byte as they
  arrive, and stops QEMU with QMP `quit` on Ctrl-C or timeout (SIGTERM, then SIGKILL,
  if QMP does not work). No QEMU outlives `run`.
- Console input: given console_in (`kaa run` passes its stdin when console_input()
  finds it readable: a pipe, a socket, or the terminal while in the foreground), `run`
  copies it to QEMU's stdin, which is the guest's COM1 (kernel/drivers/console_input.py
  binds debug keys to it). Writes never block the console's copy: input QEMU does not
  take in time is dropped. On a terminal, keys go one by one (cbreak mode: no Enter
  needed, no echo, Ctrl-C still a signal) and the terminal is restored afterwards.
- With cfg.gdb, QEMU starts paused (-S) with its gdb stub on 127.0.0.1:PORT and `run`
  says how to attach. The timeout does not apply then: the guest runs only when and
  as long as the debugger lets it, so wall time says nothing about it.
- The guest reports its status through isa-debug-exit; `exit_status` decodes it.

Exit statuses of `run` (shell conventions where one exists):
  0..127    the guest's status byte (QEMU exits with (status << 1) | 1 and the OS
            keeps 8 bits, so only 0..127 survive; kernels should stay below 124)
  124       TIMEOUT: the timeout expired
  125       QEMU_FAILED: QEMU itself failed (bad option, missing image, ...)
  126       NO_STATUS: QEMU ended without a guest status (guest powered off or
            triple-faulted; -no-reboot turns a reset into an exit)
  130       INTERRUPTED: Ctrl-C
  128 + N   QEMU was killed by signal N
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import re
import selectors
import signal
import stat
import subprocess
import sys
import tempfile
import termios
import time
import tty
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator, cast

from kaa import listen_backlog
from kaa.symbolize import ConsoleSymbolizer, Symbolizer

QEMU = "qemu-system-x86_64"
KVM_DEV_PATH = "/dev/kvm"
KVM_PVM_PATH = "/sys/module/kvm_pvm"
QBOOT_PATH = "/usr/share/qemu/qboot.rom"
DEBUG_EXIT_PORT = 0x501

MACHINES = ("microvm", "q35", "pc")
NETS = ("user", "tap", "dgram", "none")
NICS = ("virtio", "e1000")
_FORWARD = re.compile(r"^(?:(\d+):)?(\d+)(?:/(tcp|udp))?$")
ACCELS = ("auto", "kvm", "tcg")

TIMEOUT = 124
QEMU_FAILED = 125
NO_STATUS = 126
INTERRUPTED = 130

STOP_GRACE = 2.0  # seconds QEMU gets to exit after each stop request

_QEMU_ERROR_LINE = re.compile(rb"^qemu[\w-]*: (?!warning:)", re.MULTILINE)


class VmError(Exception):
    """A VM cannot be configured or started; the message says why."""


def _kvm_usable() -> bool:
    try:
        fd = os.open(KVM_DEV_PATH, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    os.close(fd)
    return True


def pick_accel(requested: str) -> str:
    """Resolve "auto"/"kvm"/"tcg" to the accelerator QEMU should use."""
    if requested == "tcg":
        return "tcg"
    if requested == "kvm":
        if not _kvm_usable():
            raise VmError(f"accel kvm: {KVM_DEV_PATH} cannot be opened read-write "
                          "(no KVM here, or no permission); use --accel tcg")
        return "kvm"
    if requested == "auto":
        if os.path.exists(KVM_PVM_PATH):
            return "tcg"
        return "kvm" if _kvm_usable() else "tcg"
    raise VmError(f"unknown accelerator {requested!r}; choose one of {', '.join(ACCELS)}")


@dataclass
class VmConfig:
    image: str | Path
    machine: str = "microvm"
    accel: str = "auto"
    memory: int = 128  # MiB
    smp: int = 1
    cmdline: str = ""
    net: str = "user"              # user (QEMU's NAT), tap (an existing tap device), none
    nic: str = "virtio"            # virtio or e1000 (q35/pc only)
    forwards: list[str] = field(default_factory=list)   # "HOST:GUEST[/udp]" on 127.0.0.1
    tap: str = "kaa0"              # the tap device's name, for net="tap"
    dgram: str = ""                # net="dgram": "LOCAL:REMOTE" UDP ports on 127.0.0.1 (one frame a datagram)
    pcap: str | None = None        # capture the NIC's traffic to this file
    disk: str | Path | None = None  # a raw disk image, attached as a virtio-blk disk
    gdb: int | None = None         # start paused, with QEMU's gdb stub on 127.0.0.1:gdb
    extra: list[str] = field(default_factory=list)


def net_args(cfg: VmConfig) -> list[str]:
    """-netdev/-device (and a filter-dump for --pcap) for cfg's network."""
    if cfg.net not in NETS:
        raise VmError(f"unknown network {cfg.net!r}; choose one of {', '.join(NETS)}")
    if cfg.nic not in NICS:
        raise VmError(f"unknown NIC {cfg.nic!r}; choose one of {', '.join(NICS)}")
    if cfg.machine == "microvm" and cfg.nic != "virtio":    # checked even without a network
        raise VmError("-M microvm has only virtio devices: use --nic virtio, or --machine q35 for e1000")
    if cfg.net == "none":
        if cfg.forwards or cfg.pcap:
            raise VmError("port forwards and --pcap need a network (--net user or tap)")
        return []
    if cfg.net == "user":
        backend = "user,id=n0" + "".join(f",hostfwd={_hostfwd(f)}" for f in cfg.forwards)
    elif cfg.forwards:
        raise VmError("port forwards are for --net user; a tap or a datagram link reaches the guest directly")
    elif cfg.net == "tap":
        backend = f"tap,id=n0,ifname={cfg.tap},script=no,downscript=no"
    else:
        m = re.fullmatch(r"(\d+):(\d+)", cfg.dgram)
        if m is None:
            raise VmError("--net dgram needs --dgram LOCAL:REMOTE (UDP ports on 127.0.0.1)")
        backend = (f"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={m.group(1)},"
                   f"remote.type=inet,remote.host=127.0.0.1,remote.port={m.group(2)}")
    if cfg.machine == "microvm":
        device = ["-global", "virtio-mmio.force-legacy=false", "-device", "virtio-net-device,netdev=n0"]
    else:
        device = ["-device", "virtio-net-pci,netdev=n0,disable-legacy=on" if cfg.nic == "virtio" else "e1000,netdev=n0"]
    args = ["-netdev", backend, *device]
    if cfg.pcap:
        args += ["-object", f"filter-dump,id=dump0,netdev=n0,file={cfg.pcap}"]
    return args


def disk_args(cfg: VmConfig) -> list[str]:
    """-drive/-device for cfg's disk image: virtio-blk on virtio-mmio (microvm, modern, as
    for the NIC) or on virtio-pci (q35/pc)."""
    if cfg.disk is None:
        return []
    if not Path(cfg.disk).is_file():
        raise VmError(f"disk image {cfg.disk}: no such file")
    path = str(cfg.disk).replace(",", ",,")            # QEMU's escape for a comma in a value
    drive = ["-drive", f"file={path},if=none,id=d0,format=raw"]
    if cfg.machine == "microvm":
        return drive + ["-global", "virtio-mmio.force-legacy=false", "-device", "virtio-blk-device,drive=d0"]
    return drive + ["-device", "virtio-blk-pci,drive=d0,disable-legacy=on"]


def _hostfwd(spec: str) -> str:
    m = _FORWARD.match(spec)
    if m is None:
        raise VmError(f"bad port forward {spec!r}: write HOST:GUEST, PORT or HOST:GUEST/udp")
    host, guest, proto = m.group(1) or m.group(2), m.group(2), m.group(3) or "tcp"
    return f"{proto}:127.0.0.1:{host}-:{guest}"


def _machine_args(machine: str) -> list[str]:
    if machine not in MACHINES:
        raise VmError(f"unknown machine {machine!r}; choose one of {', '.join(MACHINES)}")
    args = ["-M", machine]
    # qboot boots q35/pc in ~100 ms where SeaBIOS takes much longer.
    if machine != "microvm" and os.path.exists(QBOOT_PATH):
        args += ["-bios", QBOOT_PATH]
    return args


def gdb_args(cfg: VmConfig) -> list[str]:
    """QEMU's gdb stub on 127.0.0.1 (not every interface), the CPU paused until gdb says continue."""
    if cfg.gdb is None:
        return []
    if not 0 < cfg.gdb < 65536:
        raise VmError(f"gdb port {cfg.gdb} is not a TCP port (1-65535)")
    return ["-gdb", f"tcp:127.0.0.1:{cfg.gdb}", "-S"]


def _accel_args(accel: str) -> list[str]:
    if accel == "tcg":
        return ["-accel", "tcg", "-cpu", "max"]
    # Default CPU model: -cpu host/max crash QEMU under kvm_pvm.
    return ["-accel", "kvm"]


def image_end(image: str | Path) -> int | None:
    """The highest physical address the ELF image loads to (None if it is no ELF)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    try:
        with open(image, "rb") as f:
            return max((s["p_paddr"] + s["p_memsz"] for s in ELFFile(f).iter_segments()
                        if s["p_type"] == "PT_LOAD"), default=0)
    except (OSError, ELFError):
        return None


def image_uses_sse(image: str | Path) -> bool:
    """Whether the image holds floating-point code (kernel/arch/x86_64/linker.ld's kaa_sse section)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    try:
        with open(image, "rb") as f:
            section = ELFFile(f).get_section_by_name(".kaa_sse")
            return section is not None and section["sh_size"] > 0
    except (OSError, ELFError):
        return False


def check_accel(cfg: VmConfig) -> None:
    """kvm_pvm emulates every guest instruction and has no SSE in its emulator: an image
    with floating-point code (every service, a kernel module with f64) stops at its first
    SSE instruction with a KVM internal error. Say so before booting."""
    if cfg.accel == "kvm" and os.path.exists(KVM_PVM_PATH) and image_uses_sse(cfg.image):
        raise VmError("accel kvm: this KVM is kvm_pvm, which cannot run floating-point (SSE) "
                      "instructions, and this image has them (a service, or f64); use --accel tcg or auto")


def check_memory(cfg: VmConfig) -> None:
    """QEMU loads the image into guest RAM; with less RAM than the image's end, the guest
    never starts (the firmware jumps into empty memory) and would hang until a timeout."""
    end = image_end(cfg.image)
    if end is not None and cfg.memory << 20 < end:
        need = -(-end >> 20)
        raise VmError(f"--memory {cfg.memory} is too small: the image loads up to {end:#x}; "
                      f"use --memory {need} or more")


def qemu_command(cfg: VmConfig, qmp_socket: str | None = None) -> list[str]:
    """The QEMU argv for cfg; with qmp_socket, a QMP server listens there."""
    check_memory(cfg)
    check_accel(cfg)
    cmd = [QEMU, *_machine_args(cfg.machine), *_accel_args(pick_accel(cfg.accel)),
           "-m", str(cfg.memory), "-smp", str(cfg.smp),
           "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
           "-serial", "stdio",
           "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=1",
           "-kernel", str(cfg.image)]
    if cfg.cmdline:
        cmd += ["-append", cfg.cmdline]
    if qmp_socket is not None:
        cmd += ["-qmp", f"unix:{qmp_socket},server=on,wait=off"]
    return cmd + net_args(cfg) + disk_args(cfg) + gdb_args(cfg) + list(cfg.extra)


def exit_status(qemu_returncode: int) -> int:
    """Map QEMU's return code (as subprocess reports it) to run()'s status."""
    if qemu_returncode < 0:
        return 128 - qemu_returncode
    if qemu_returncode & 1:
        return qemu_returncode >> 1
    return NO_STATUS if qemu_returncode == 0 else QEMU_FAILED


def _die_with_parent() -> None:
    """In the child: get SIGKILL if we die, so even a killed kaa leaves no QEMU."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def console_input(stream: BinaryIO) -> BinaryIO | None:
    """stream, if run() can forward it to the guest: a pipe or a socket (a selector
    cannot watch files or /dev/null), or a terminal of which we are the foreground
    job (a background job reading it would be stopped by SIGTTIN)."""
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
        if os.isatty(fd):
            return stream if os.tcgetpgrp(fd) == os.getpgrp() else None
    except (OSError, ValueError):
        return None
    return stream if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else None


@contextmanager
def _keys_one_by_one(console_in: BinaryIO | None, out: BinaryIO) -> Iterator[None]:
    """cbreak mode on an interactive terminal (stdin and stdout both terminals)."""
    try:
        interactive = console_in is not None and os.isatty(console_in.fileno()) and os.isatty(out.fileno())
    except (OSError, ValueError, AttributeError):
        interactive = False
    if not interactive:
        yield
        return
    fd = console_in.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def start(cmd: list[str], console_in: bool = False) -> subprocess.Popen[bytes]:
    """QEMU, running cmd; its forwarded ports get a real listen backlog (listen_backlog.py)."""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if console_in else subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, bufsize=0, start_new_session=True,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    except FileNotFoundError:
        raise VmError(f"{cmd[0]} not found; install QEMU (Debian: qemu-system-x86)") from None
    listen_backlog.widen_in_background(proc.pid, listen_backlog.forwarded_tcp_ports(cmd))
    return proc


class _Pump:
    """Copies QEMU's stdout/stderr to their destinations as bytes arrive, and
    console_in (if any) to QEMU's stdin."""

    def __init__(self, proc: subprocess.Popen[bytes], out: BinaryIO, err: BinaryIO,
                 console_in: BinaryIO | None = None):
        self.sel = selectors.DefaultSelector()
        self.sel.register(proc.stdout, selectors.EVENT_READ, out)
        self.sel.register(proc.stderr, selectors.EVENT_READ, err)
        self.outputs = 2                # QEMU's pipes still open
        self.err_pipe = proc.stderr
        self.console_in = console_in
        self.to_guest = proc.stdin
        if console_in is not None and proc.stdin is not None:
            os.set_blocking(proc.stdin.fileno(), False)
            self.sel.register(console_in, selectors.EVENT_READ, None)
        self.got_console = False
        self.stderr_text = bytearray()

    def until_eof(self, deadline: float | None) -> bool:
        """Copy until QEMU's pipes close (True) or the deadline passes (False)."""
        while self.outputs:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            for key, _ in self.sel.select(left):
                self._copy(key)
        return True

    def _forward(self, key: selectors.SelectorKey) -> None:
        try:
            data = os.read(key.fd, 4096)
            if data:
                os.write(self.to_guest.fileno(), data)
                return
        except BlockingIOError:
            return                      # QEMU is not reading (the guest's FIFO is full): keys dropped
        except OSError:                 # QEMU has gone (EPIPE), or our input broke
            pass
        self.sel.unregister(key.fileobj)    # the end of our input is the end of QEMU's
        self.to_guest.close()

    def _copy(self, key: selectors.SelectorKey) -> None:
        if key.fileobj is self.console_in:
            self._forward(key)
            return
        data = os.read(key.fd, 65536)
        if not data:
            self.sel.unregister(key.fileobj)
            self.outputs -= 1
            return
        if key.fileobj is self.err_pipe:
            self.stderr_text += data[:65536 - len(self.stderr_text)]
        else:
            self.got_console = True
        key.data.write(data)
        key.data.flush()

    def qemu_reported_error(self) -> bool:
        return _QEMU_ERROR_LINE.search(self.stderr_text) is not None


def _qmp_quit(socket_path: str) -> bool:
    """Send QMP `quit`; False if qemu.qmp is missing or QEMU cannot be reached."""
    try:
        from qemu.qmp import QMPClient
    except ImportError:
        return False

    async def quit_() -> None:
        client = QMPClient("kaa")
        await asyncio.wait_for(client.connect(socket_path), STOP_GRACE)
        try:
            await asyncio.wait_for(client.execute("quit"), STOP_GRACE)
        except Exception:  # QEMU may drop the connection as it quits
            pass
        finally:
            await client.disconnect()

    try:
        asyncio.run(quit_())
    except Exception:
        return False
    return True


def stop(proc: subprocess.Popen[bytes], qmp_socket: str) -> None:
    """QMP quit, then SIGTERM, then SIGKILL, each given STOP_GRACE to work."""
    for step in (lambda: _qmp_quit(qmp_socket), proc.terminate, proc.kill):
        if proc.poll() is not None:
            return
        if step() is False:
            continue
        try:
            proc.wait(STOP_GRACE)
            return
        except subprocess.TimeoutExpired:
            pass


def run(cfg: VmConfig, timeout: float | None = None, out: BinaryIO | None = None,
        err: BinaryIO | None = None, symbolizer: Symbolizer | None = None,
        console_in: BinaryIO | None = None) -> int:
    """Boot cfg, stream its console to out (default: our stdout) and console_in (if
    given) to the guest's console; see module doc.

    With a symbolizer, backtrace frame lines on the console get `in function (file:line)`."""
    out = out if out is not None else sys.stdout.buffer
    terminal = out
    if symbolizer is not None:
        out = cast(BinaryIO, ConsoleSymbolizer(out, symbolizer))
    err = err if err is not None else sys.stderr.buffer
    if cfg.gdb is not None:
        timeout = None
    with tempfile.TemporaryDirectory(prefix="kaa-vm-") as tmp, _keys_one_by_one(console_in, terminal):
        qmp_socket = os.path.join(tmp, "qmp.sock")
        proc = start(qemu_command(cfg, qmp_socket), console_in is not None)
        if cfg.gdb is not None:
            err.write(f"kaa: the guest waits for gdb: gdb {Path(cfg.image).resolve()} "
                      f"-ex 'target remote :{cfg.gdb}'\n".encode())
            err.flush()
        pump = _Pump(proc, out, err, console_in)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            try:
                finished = pump.until_eof(deadline)
            except KeyboardInterrupt:
                stop(proc, qmp_socket)
                pump.until_eof(time.monotonic() + STOP_GRACE)  # QEMU's last words
                return INTERRUPTED
            if not finished:
                stop(proc, qmp_socket)
                pump.until_eof(time.monotonic() + STOP_GRACE)
                print(f"kaa: timeout after {timeout:g} s", file=sys.stderr, flush=True)
                return TIMEOUT
            rc = proc.wait()
            if rc == 1 and not pump.got_console and pump.qemu_reported_error():
                return QEMU_FAILED
            return exit_status(rc)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            pump.sel.close()
            proc.stdout.close()
            proc.stderr.close()
            if proc.stdin is not None:
                proc.stdin.close()
            if isinstance(out, ConsoleSymbolizer):
                out.finish()  # a partial last line it was holding back
