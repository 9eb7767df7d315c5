"""Helpers for the deployment tests (issue 15): installing the tools, a private podman,
HTTP on 127.0.0.1, and proof that a test left the host's network as it found it.

- apt_install installs what is missing with apt-get (--no-install-recommends) and
  skips only when apt cannot reach its registry.
- Podman runs podman with a private configuration, the one that works on these hosts
  (the issue's measured facts: runc, cgroupfs, slirp4netns, no default ulimits), and
  its own storage under a temporary folder (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF):
  the host's podman setup is neither used nor changed (its own network folder too: `podman
  system reset` removes the networks it knows). `podman kube play` needs
  `--network slirp4netns` besides: without it podman 4.3 creates a CNI bridge for kube
  pods, with firewall rules and ip_forward on.
- HostNetwork snapshots what a container engine could change (firewall rules, links,
  routes, forwarding switches); a test compares the snapshots from before and after.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent

PODMAN_TOOLS = {"podman": "podman", "runc": "runc", "slirp4netns": "slirp4netns", "catatonit": "catatonit"}

CONTAINERS_CONF = """\
[containers]
default_ulimits = []
netns = "slirp4netns"

[network]
network_config_dir = "{dir}/networks"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{dir}/events.log"
tmp_dir = "{dir}/tmp"
"""

# vfs: plain directories, so it works wherever the test's folder is (even on overlayfs).
STORAGE_CONF = """\
[storage]
driver = "vfs"
graphroot = "{dir}/root"
runroot = "{dir}/run"
"""


def apt_install(tools: dict[str, str]) -> None:
    """apt-get install the packages of the tools (name -> package) that are missing; a tool
    is a command on the PATH or an absolute path. Skips if apt cannot reach its registry."""
    def present(tool: str) -> bool:
        return os.path.exists(tool) if tool.startswith("/") else shutil.which(tool) is not None

    missing = sorted({pkg for tool, pkg in tools.items() if not present(tool)})
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    update = subprocess.run(["apt-get", *lock, "update", "-qq"], capture_output=True, text=True, env=env)
    if update.returncode != 0 or re.search(r"^(W|E): (Failed to fetch|Some index files failed)", update.stderr, re.M):
        pytest.skip(f"apt-get update cannot reach the package registry, so {', '.join(missing)} "
                    f"cannot be installed:\n{update.stderr[-2000:]}")
    install = subprocess.run(["apt-get", *lock, "install", "-y", "-qq", "--no-install-recommends", *missing],
                             capture_output=True, text=True, env=env)
    assert install.returncode == 0, f"apt-get install {' '.join(missing)} failed:\n{install.stderr[-3000:]}"


class Podman:
    """podman with the private configuration: `podman("ps")` runs `podman ps`."""

    def __init__(self, folder: Path):
        (folder / "containers.conf").write_text(CONTAINERS_CONF.format(dir=folder))
        (folder / "storage.conf").write_text(STORAGE_CONF.format(dir=folder))
        self.env = {**os.environ, "CONTAINERS_CONF": str(folder / "containers.conf"),
                    "CONTAINERS_STORAGE_CONF": str(folder / "storage.conf")}

    def __call__(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        r = subprocess.run(["podman", *args], capture_output=True, text=True, env=self.env, timeout=timeout)
        if check:
            assert r.returncode == 0, f"podman {' '.join(args)} failed ({r.returncode}):\n{r.stderr}"
        return r


def private_podman() -> Iterator[Podman]:
    """A Podman in a fresh folder (install first with apt_install(PODMAN_TOOLS)); removes its
    containers, pods and storage afterwards. For a fixture: `yield from private_podman()`."""
    # Short and our own: podman's runroot holds sockets, whose paths have a length limit.
    folder = Path(tempfile.mkdtemp(prefix="kaa-podman-"))
    p = Podman(folder)
    try:
        yield p
    finally:
        p("pod", "rm", "--all", "--force", check=False)
        p("rm", "--all", "--force", "--time", "0", check=False)
        p("system", "reset", "--force", check=False, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))    # 127.0.0.1 never through a proxy


def http_get(port: int, timeout: float = 60) -> dict[str, object]:
    """GET http://127.0.0.1:port/ once it answers 200 with JSON (the guest boots first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with _DIRECT.open(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                assert resp.status == 200
                answer: dict[str, object] = json.load(resp)
                return answer
        except (OSError, ValueError) as e:   # refused, reset, or slirp's empty answer before the guest listens
            if time.monotonic() > deadline:
                raise AssertionError(f"no HTTP answer on 127.0.0.1:{port} in {timeout} s: {e}") from e
            time.sleep(0.2)


@dataclass(frozen=True)
class HostNetwork:
    firewall: str           # iptables-save and ip6tables-save, counters and comments dropped
    links: tuple[str, ...]
    routes: str
    forwarding: tuple[str, ...]

    @staticmethod
    def now() -> "HostNetwork":
        def run(*argv: str) -> str:
            if shutil.which(argv[0]) is None:
                return f"({argv[0]} not installed)"
            return subprocess.run(argv, capture_output=True, text=True).stdout

        rules = "".join(line for tool in ("iptables-save", "ip6tables-save")
                        for line in run(tool).splitlines(keepends=True) if not line.startswith("#"))
        links = tuple(sorted(line.split()[0].split("@")[0] for line in run("ip", "-br", "link").splitlines()))
        forwarding = tuple(Path(f"/proc/sys/net/{p}").read_text().strip()
                           for p in ("ipv4/ip_forward", "ipv6/conf/all/forwarding"))
        return HostNetwork(re.sub(r"\[\d+:\d+\]", "", rules), links,
                           run("ip", "route") + run("ip", "-6", "route"), forwarding)
