"""What the benchmarks boot: a Kaa example or the Linux baseline, and how to tell it answers.

A Service names an image (a Kaa app, built with kaa.build at the -O level asked for,
or the Linux baseline from kaa.bench.linux), how it answers (`proto`: "http" is a
200 to GET `path` on guest_port, "udp" an echoed datagram on guest_port, "exit" a clean
exit with status 0), the console line it prints once it serves (`ready`, a regex;
optional: the answer itself is what boot times measure), and the line in which it states
its own boot time (`self_timed`, a regex with a group named `us` or `s`).

The Kaa HTTP service is a parameter (`http_service(app, port, ready)`), so the HTTP
benchmarks run against any service that answers GET `path` (default "/").

One kind is no guest at all: "cpython" runs a kaa.web service's .py as a process on the
host under CPython (`command(port)`: PORT in its environment, the checkout on
PYTHONPATH), the framework's own CPython implementation beside the same file booted
(`web_items()` and `cpython(svc)`).

config() puts a service on QEMU's user network (its port, and any other TCP ports
asked for, forwarded from 127.0.0.1) or on a tap device (the guest then takes a static
address from its command line: Kaa's `ip=A/P`, the Linux baseline's `kaa_ip=A/P`);
kaa/bench/network.py chooses between the two.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaa import vm
from kaa.bench.linux import SINK_PORT, SOURCE_PORT
from kaa.compiler.declare import KAA_ROOT

EXAMPLES = KAA_ROOT / "examples"
PROGRAMS = Path(__file__).resolve().parent / "programs"
KAA_BANNER = r"booted in (?P<us>\d+) us"
LINUX_READY = r"kaa-bench: nginx ready \(uptime (?P<s>[\d.]+) s\)"


@dataclass
class Service:
    name: str
    kind: str                        # "kaa", "linux" or "cpython" (a host process: no VM)
    proto: str                       # "http", "udp", "tcp" (bulk sink and source) or "exit"
    guest_port: int = 0
    path: str = "/"                  # proto "http": what GET asks for (loads, health checks, probes)
    ready: str | None = None
    self_timed: str | None = None
    app: Path | None = None          # kind "kaa": the service's .py (or a built image); "cpython": its .py
    cmdline: str = ""
    body: bytes | None = None        # kind "linux": what nginx answers GET / with
    extra: list[str] = field(default_factory=list)

    def available(self) -> str | None:
        """None when the service can be built here, else why not."""
        if self.kind in ("kaa", "cpython") and (self.app is None or not Path(self.app).exists()):
            shown = Path(self.app or "?")
            if shown.is_absolute() and shown.is_relative_to(KAA_ROOT):
                shown = shown.relative_to(KAA_ROOT)
            return f"{shown} does not exist (yet)"
        return None

    @property
    def on_host(self) -> bool:
        """A process on the host (kind "cpython"), not a guest: no image, no tap, no vCPUs."""
        return self.kind == "cpython"

    def command(self, port: int) -> tuple[list[str], dict[str, str]]:
        """Kind "cpython": (argv, environment) of the host process serving on 127.0.0.1:port.
        The NAME=value words of cmdline go into its environment, as a booted service finds
        them in os.environ."""
        assert self.on_host and self.app is not None
        words = dict(w.split("=", 1) for w in self.cmdline.split() if "=" in w)
        env = {**os.environ, **words, "PORT": str(port), "PYTHONPATH": str(KAA_ROOT), "PYTHONUNBUFFERED": "1"}
        return [sys.executable, str(self.app)], env

    def image(self, opt: int = 2, accel: str = "auto") -> tuple[Path, str, list[str]]:
        """(image, kernel command line, extra QEMU args), building what is needed."""
        if self.on_host:
            raise ValueError(f"{self.name} runs on the host: it has no image")
        if self.kind == "linux":
            from kaa.bench import linux
            b = linux.build_baseline(port=self.guest_port, body=self.body or linux.BODY)
            return b.vmlinux, linux.boot_cmdline(b.cmdline, vm.pick_accel(accel)), b.qemu_extra()
        assert self.app is not None
        app = Path(self.app)
        if app.suffix != ".py":
            return app, self.cmdline, []
        from kaa import build
        return build.build(app, target="kvm", opt=opt), self.cmdline, []

    def config(self, host_port: int | None = None, *, opt: int = 2, memory: int = 128, smp: int = 1,
               machine: str = "microvm", nic: str = "virtio", accel: str = "auto",
               forwards: dict[int, int] | None = None, tap: str | None = None,
               ip: str | None = None) -> vm.VmConfig:
        """How QEMU runs this service. User networking (the default): host_port on 127.0.0.1
        is forwarded to guest_port, and forwards maps more guest TCP ports to host ports.
        tap: attach the NIC to that tap device instead, the guest at ip (A.B.C.D/P)."""
        image, cmdline, extra = self.image(opt, accel)
        fw = []
        if host_port is not None and self.proto in ("http", "udp"):
            fw = [f"{host_port}:{self.guest_port}" + ("/udp" if self.proto == "udp" else "")]
        fw += [f"{host}:{guest}" for guest, host in (forwards or {}).items()]
        net = "none" if self.proto == "exit" else "tap" if tap else "user"
        if ip is not None:
            cmdline = f"{cmdline} {'kaa_ip' if self.kind == 'linux' else 'ip'}={ip}".strip()
        return vm.VmConfig(image, machine=machine, accel=accel, memory=memory, smp=smp, cmdline=cmdline,
                           net=net, nic=nic, forwards=fw if net == "user" else [], tap=tap or "kaa0",
                           extra=extra + list(self.extra))

    def with_(self, **changes: object) -> "Service":
        return replace(self, **changes)


def hello() -> Service:
    return Service("hello", "kaa", "exit", ready=r"Hello from Kaa", self_timed=KAA_BANNER,
                   app=EXAMPLES / "hello.py")


def udp_echo(port: int = 5555) -> Service:
    return Service("udp_echo", "kaa", "udp", port, ready=r"udp echo: listening", self_timed=KAA_BANNER,
                   app=EXAMPLES / "udp_echo.py", cmdline=f"port={port}")


def http_service(app: str | Path | None = None, port: int = 8080, ready: str | None = None,
                 cmdline: str = "", name: str | None = None) -> Service:
    """The Kaa HTTP service under test (default examples/http_hello.py, told to serve on port)."""
    if app is None:
        app = EXAMPLES / "http_hello.py"
        ready = ready or r"http_hello: serving on port"
        cmdline = cmdline or f"port={port}"
    path = Path(app)
    return Service(name or path.stem, "kaa", "http", port, ready=ready, self_timed=KAA_BANNER, app=path,
                   cmdline=cmdline)


def web_items(port: int = 8080) -> Service:
    """kaa/bench/programs/web_items.py: the kaa.web framework's Item service, GET /items/1 as JSON."""
    return Service("web_items", "kaa", "http", port, path="/items/1", ready=r"kaa\.web: serving on port",
                   self_timed=KAA_BANNER, app=PROGRAMS / "web_items.py", cmdline=f"PORT={port}")


def cpython(svc: Service) -> Service:
    """The same kaa.web service's file run by CPython on the host (the framework's CPython
    transport: the standard library's threading HTTP server)."""
    return svc.with_(name=f"{svc.name}_cpython", kind="cpython", self_timed=None)


def tcp_bulk(sink: int = SINK_PORT, source: int = SOURCE_PORT) -> Service:
    """kaa/bench/programs/tcp_bulk.py: a TCP sink on port `sink`, a TCP source on `source`."""
    return Service("tcp_bulk", "kaa", "tcp", sink, ready=r"tcp_bulk: ready", self_timed=KAA_BANNER,
                   app=PROGRAMS / "tcp_bulk.py", cmdline=f"sink={sink} source={source}")


def linux(port: int = 8080, body: bytes | None = None) -> Service:
    """The Linux baseline: Debian's kernel and nginx (see kaa.bench.linux), same port as the Kaa
    service; it also runs a TCP sink and source on kaa.bench.linux.SINK_PORT and SOURCE_PORT."""
    return Service("linux", "linux", "http", port, ready=LINUX_READY, self_timed=LINUX_READY, body=body)


def self_time_us(match_groups: dict[str, str | None]) -> float | None:
    """The guest's own boot time in microseconds from a self_timed match."""
    if match_groups.get("us") is not None:
        return float(match_groups["us"])
    if match_groups.get("s") is not None:
        return float(match_groups["s"]) * 1e6
    return None
