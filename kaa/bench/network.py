"""How a benchmark reaches a guest: QEMU's user network, or a tap in a namespace of its own.

    with network.link("tap") as net:                  # or "user"
        g = net.attach(svc, ports=(8080,), smp=2)     # a VmConfig plus where clients connect
        with g.boot() as m:                           # a Machine (kaa/bench/machine.py)
            host, port = g.address(8080)
            net.call(first_http_200, port, m.t0, 60, m.alive, host=host)   # a client, in the namespace
            subprocess.run(net.command(["wrk", ...]))                     # a tool, in the namespace

  user  QEMU's user network (slirp): each guest TCP port is forwarded from a free port on
        127.0.0.1. Every connection is relayed by QEMU's own TCP stack, which costs
        throughput and makes a connection look accepted before the guest has seen it.
  tap   a tap device in a network namespace the benchmark creates (`ip netns add`) and
        deletes: the host side is HOST_IP, the guest GUEST_IP (static, from its command
        line). QEMU, wrk and the Python clients run inside the namespace, so frames go
        straight between the host's TCP stack and the guest's, and nothing is routed
        anywhere else. Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and /dev/net/tun.

A service that runs on the host (Service.on_host: no VM) is on the user link only: it
listens on a free port of 127.0.0.1 itself and clients connect there directly.

Python clients enter the namespace by running in a thread that called setns(2): a
thread's network namespace is its own, and a socket stays in the namespace it was
created in.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from typing import Any, Callable

from kaa import vm
from kaa.bench.machine import BenchError, HostProcess, Machine, free_port
from kaa.bench.services import Service

NETS = ("user", "tap")
HOST_IP, GUEST_IP, PREFIX = "10.0.3.1", "10.0.3.2", 24
CLONE_NEWNET = 0x40000000


@dataclass
class Attached:
    """A service configured on a link: boot it, and connect to address(guest_port)."""
    cfg: vm.VmConfig | HostProcess
    addresses: dict[int, tuple[str, int]]
    netns: str | None

    def boot(self) -> Machine:
        return Machine(self.cfg, netns=self.netns)

    def address(self, guest_port: int) -> tuple[str, int]:
        return self.addresses[guest_port]


class UserNet:
    name = "user"
    netns: str | None = None

    def __enter__(self) -> "UserNet":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def attach(self, svc: Service, ports: tuple[int, ...], **cfg: Any) -> Attached:
        """svc with each of its guest TCP ports forwarded from a free port on 127.0.0.1 (a host
        process: its own port, given a free one)."""
        if svc.on_host:
            port = free_port()
            return Attached(HostProcess(*svc.command(port)), {svc.guest_port: ("127.0.0.1", port)}, None)
        forwards = {p: free_port() for p in ports}
        return Attached(svc.config(forwards=forwards, **cfg),
                        {p: ("127.0.0.1", h) for p, h in forwards.items()}, None)

    def command(self, argv: list[str]) -> list[str]:
        return argv

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)


class TapNet(UserNet):
    name = "tap"

    def __init__(self, netns: str | None = None, tap: str = "kaabench0"):
        self.netns = netns or f"kaa-bench-{os.getpid()}"
        self.tap = tap

    def _ip(self, *args: str) -> None:
        p = subprocess.run(["ip", "netns", "exec", self.netns, "ip", *args], capture_output=True, text=True,
                           timeout=30)
        if p.returncode != 0:
            raise BenchError(f"ip {' '.join(args)} in namespace {self.netns}: {p.stderr.strip()}")

    def __enter__(self) -> "TapNet":
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, timeout=30)
        p = subprocess.run(["ip", "netns", "add", self.netns], capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            raise BenchError(f"ip netns add {self.netns}: {p.stderr.strip()}")
        try:
            self._ip("link", "set", "lo", "up")
            self._ip("tuntap", "add", "dev", self.tap, "mode", "tap")
            self._ip("addr", "add", f"{HOST_IP}/{PREFIX}", "dev", self.tap)
            self._ip("link", "set", self.tap, "up")
            limit_client_time_wait(self.netns)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, timeout=30)

    def attach(self, svc: Service, ports: tuple[int, ...], **cfg: Any) -> Attached:
        if svc.on_host:
            raise BenchError(f"{svc.name} runs on the host, not on a tap")
        return Attached(svc.config(tap=self.tap, ip=f"{GUEST_IP}/{PREFIX}", **cfg),
                        {p: (GUEST_IP, p) for p in ports}, self.netns)

    def command(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.netns, *argv]

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """fn(*args, **kwargs) in a thread inside the namespace (sockets it opens live there)."""
        out: dict[str, Any] = {}

        def body() -> None:
            try:
                enter_netns(self.netns)
                out["value"] = fn(*args, **kwargs)
            except BaseException as e:       # handed to the caller's thread
                out["error"] = e

        t = threading.Thread(target=body, name=f"netns {self.netns}", daemon=True)
        t.start()
        t.join()
        if "error" in out:
            raise out["error"]
        return out["value"]


# The load generator's own TIME-WAIT. wrk closes first under close-per-request loads, so
# each connection leaves a TIME-WAIT socket in its namespace for 60 s. Linux then spends
# ever longer finding a free ephemeral port, and the load measures the client. The
# guest, then idle, showed 763 requests/s with 14,000 such sockets, against 8,900 with
# them capped. Linux drops TIME-WAIT sockets past this per-namespace limit, as the
# guest does past its own cap.
CLIENT_MAX_TIME_WAIT = 1024


def limit_client_time_wait(netns: str) -> None:
    p = subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-q", "-w",
                        f"net.ipv4.tcp_max_tw_buckets={CLIENT_MAX_TIME_WAIT}"], capture_output=True, text=True,
                       timeout=30)
    if p.returncode != 0:
        raise BenchError(f"sysctl net.ipv4.tcp_max_tw_buckets in namespace {netns}: {p.stderr.strip()}")


def enter_netns(name: str) -> None:
    """Move the calling thread into the named network namespace (setns(2))."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY | os.O_CLOEXEC)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns into {name}: {os.strerror(err)}")
    finally:
        os.close(fd)


def tap_missing() -> str | None:
    """None when a benchmark can make its own namespace and tap here, else why not."""
    if shutil.which("ip") is None:
        return "the ip command is missing (Debian: iproute2)"
    if not os.path.exists("/dev/net/tun"):
        return "/dev/net/tun is missing"
    if os.geteuid() != 0:
        return "a network namespace and a tap need root"
    return None


def link(name: str) -> UserNet:
    """The link named "user" or "tap" (use it as a context manager)."""
    if name == "user":
        return UserNet()
    if name == "tap":
        return TapNet()
    raise BenchError(f"unknown network {name!r}; choose from {', '.join(NETS)}")
