"""`kaa deploy`'s stack file under Docker Swarm: deployed, answering, restarted by Swarm
when its QEMU dies, and torn down leaving the host's network as it was (issue 15).

The test runs its own dockerd from Debian's docker.io with everything in a temporary
folder (data, exec root with containerd's state, pid file, socket, configuration and
identity key) and no hand on the host's network: --iptables=false, --ip-forward=false,
--bridge=none, --ip-masq=false. Swarm listens on 127.0.0.1 only. Swarm's ingress
sandbox needs a docker_gwbridge; the test makes it first with inhibit_ipv4, so it
gets no address and the host no route (measured: Swarm's own adds 172.17.0.0/16).
The stack joins the host's network, so the guest's port is 127.0.0.1's.

The client is Debian's /usr/bin/docker, pointed at the test's socket (the
/usr/local/bin/docker of these machines is not Docker's).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

from deploy_tools import ROOT, HostNetwork, apt_install, free_port, http_get
from kaa.deploy.image import build_image
from kaa.deploy.manifests import QEMU_OVERHEAD_MIB

DOCKER = "/usr/bin/docker"
TAG = "kaa-test/http-hello:swarm"
STACK = "kaatest"
HOST_DIRS = (Path("/etc/docker"), Path("/run/docker"))     # dockerd makes these whatever its flags say

pytestmark = pytest.mark.booted


class Docker:
    def __init__(self, socket: Path):
        self.host = f"unix://{socket}"

    def __call__(self, *args: str, check: bool = True, input: str | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([DOCKER, "-H", self.host, *args], capture_output=True, text=True, input=input,
                           timeout=timeout)
        if check:
            assert r.returncode == 0, f"docker {' '.join(args)} failed:\n{r.stderr}"
        return r


def _wait(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _unmount_under(folder: Path) -> None:
    """What dockerd left mounted in its folders (the host network's namespace file)."""
    mounts = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    for mount in sorted((m for m in mounts if m.startswith(f"{folder}/")), reverse=True):
        subprocess.run(["umount", "-l", mount], check=False)


@pytest.fixture(scope="module")
def docker() -> Iterator[Docker]:
    apt_install({"dockerd": "docker.io", DOCKER: "docker.io", "iptables-save": "iptables"})
    before = HostNetwork.now()
    made = [d for d in HOST_DIRS if not d.exists()]
    folder = Path(tempfile.mkdtemp(prefix="kaa-docker-"))     # short: the socket path has a length limit
    (folder / "daemon.json").write_text(json.dumps({"deprecated-key-path": f"{folder}/key.json"}))
    log = open(folder / "dockerd.log", "w")
    daemon = subprocess.Popen(
        ["dockerd", "--config-file", f"{folder}/daemon.json", "--data-root", f"{folder}/data",
         "--exec-root", f"{folder}/exec", "--pidfile", f"{folder}/dockerd.pid", "-H", f"unix://{folder}/docker.sock",
         "--iptables=false", "--ip-forward=false", "--bridge=none", "--ip-masq=false"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    d = Docker(folder / "docker.sock")
    try:
        _wait(lambda: daemon.poll() is None and d("info", check=False).returncode == 0, "dockerd")
        d("network", "create", "--driver", "bridge", "-o", "com.docker.network.bridge.inhibit_ipv4=true",
          "-o", "com.docker.network.bridge.enable_ip_masquerade=false", "docker_gwbridge")
        d("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377")
        yield d
    finally:
        d("stack", "rm", STACK, check=False)
        _wait(lambda: not d("ps", "-aq", check=False).stdout.strip(), "the stack's containers to go", 60)
        d("swarm", "leave", "--force", check=False)
        d("network", "rm", "docker_gwbridge", check=False)
        os.kill(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        log.close()
        _unmount_under(folder)
        shutil.rmtree(folder, ignore_errors=True)
        for made_dir in made:
            shutil.rmtree(made_dir, ignore_errors=True)
        after = HostNetwork.now()
        assert after == before, f"the host's network changed:\nbefore: {before}\nafter:  {after}"


def _task_container(d: Docker) -> str:
    """The ID of the stack's one running container."""
    ids = d("ps", "-q", "--filter", f"label=com.docker.stack.namespace={STACK}").stdout.split()
    assert len(ids) == 1, ids
    return ids[0]


def test_stack_serves_and_swarm_restarts_it(docker: Docker, tmp_path: Path) -> None:
    port = free_port()
    # The image's defaults (port 80) stay; the stack file's KAA_* settings move the guest to `port`.
    tarball = build_image(ROOT / "examples/http_hello.py", TAG, output=tmp_path / "image.tar", load_podman=False)
    assert "Loaded image: " + TAG in docker("load", "-i", str(tarball)).stdout
    r = subprocess.run([sys.executable, "-m", "kaa", "deploy", "examples/http_hello.py", "-t", TAG, "--port", str(port),
                        "-o", str(tmp_path), "--", f"port={port}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr

    deployed = docker("stack", "deploy", "-c", str(tmp_path / "stack.yaml"), STACK)
    # Swarm says so when it drops a setting of the file; every one must be taken.
    assert "Ignoring" not in deployed.stdout + deployed.stderr, deployed.stdout + deployed.stderr
    assert http_get(port)["message"] == "Hello from Kaa"

    first = _task_container(docker)
    [info] = json.loads(docker("inspect", first).stdout)
    assert info["HostConfig"]["Memory"] == (128 + QEMU_OVERHEAD_MIB) << 20
    assert info["HostConfig"]["NetworkMode"] == "host" and info["HostConfig"]["ReadonlyRootfs"] is True

    # Kill the guest's QEMU (the entry point's child): the container ends and Swarm starts another.
    entry = info["State"]["Pid"]
    [qemu] = Path(f"/proc/{entry}/task/{entry}/children").read_text().split()
    assert os.readlink(f"/proc/{qemu}/exe").endswith("/qemu-system-x86_64")
    os.kill(int(qemu), signal.SIGKILL)
    _wait(lambda: docker("ps", "-q", "--filter", f"label=com.docker.stack.namespace={STACK}").stdout.split()
          not in ([], [first]), "Swarm to start a new task")
    assert http_get(port)["message"] == "Hello from Kaa"
    tasks = docker("service", "ps", "--format", "{{.CurrentState}}|{{.Error}}", f"{STACK}_http-hello").stdout
    assert "Running" in tasks and "Failed" in tasks, tasks
