"""`kaa libvirt`: the domain XML it writes is defined and started by libvirt 9, and the
guest answers HTTP through the domain's port forward (issue 15).

The fixture runs libvirt as the issue's facts found it works here: Debian's
libvirt-daemon, -driver-qemu and -clients (not -system, whose default network adds NAT
rules), the libvirt-qemu user the QEMU driver needs to exist, virtlogd for QEMU's log.
When no libvirtd runs yet, the test starts its own with its sockets in a temporary
folder and stops it (and the virtlogd it started) by PID afterwards; a system libvirtd
that already runs is used as it is. The guest's files (kernel, console) live in a
folder open to libvirt-qemu.

The daemon the test starts runs QEMU as root, through a /etc/libvirt/qemu.conf written
for the test's duration when there is none (a privileged libvirtd reads it from there
only). Measured: as libvirt-qemu, QEMU cannot open this host's /dev/kvm (mode 0600),
while libvirt's probe of QEMU reported KVM; libvirt then finds its capability cache
stale at every look-up and probes QEMU again, 4 s a time: `virsh define` took 36 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from deploy_tools import ROOT, apt_install, free_port, http_get

TOOLS = {"libvirtd": "libvirt-daemon", "virtlogd": "libvirt-daemon", "virsh": "libvirt-clients",
         "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so": "libvirt-daemon-driver-qemu"}
SYSTEM_SOCKET = Path("/run/libvirt/libvirt-sock")
VIRTLOGD_SOCKET = Path("/run/libvirt/virtlogd-sock")
QEMU_LOGS = Path("/var/log/libvirt/qemu")
QEMU_CONF = Path("/etc/libvirt/qemu.conf")

pytestmark = pytest.mark.booted


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.connect(str(path))
            return True
        except OSError:
            return False


def _start_daemon(argv: list[str], pidfile: Path, ready: Path) -> int:
    """Start a libvirt daemon (-d: it forks, writes pidfile); its PID once `ready` answers."""
    r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"{' '.join(argv)} failed:\n{r.stderr}"
    deadline = time.monotonic() + 30
    while not (pidfile.exists() and _answers(ready)):
        assert time.monotonic() < deadline, f"{argv[0]} did not come up"
        time.sleep(0.1)
    return int(pidfile.read_text())


def _stop(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)


class Virsh:
    def __init__(self, uri: str, folder: Path):
        self.uri = uri
        self.folder = folder        # open to libvirt-qemu: the kernel and console go here

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        r = subprocess.run(["virsh", "-c", self.uri, *args], capture_output=True, text=True, timeout=120)
        if check:
            assert r.returncode == 0, f"virsh {' '.join(args)} failed:\n{r.stderr}"
        return r


@pytest.fixture(scope="module")
def virsh() -> Iterator[Virsh]:
    apt_install(TOOLS)
    if subprocess.run(["id", "libvirt-qemu"], capture_output=True).returncode != 0:
        # What libvirt-daemon-system's installer does; the QEMU driver will not load without it.
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/var/lib/libvirt",
                        "--shell", "/usr/sbin/nologin", "libvirt-qemu"], check=True)
    folder = Path(tempfile.mkdtemp(prefix="kaa-libvirt-"))
    folder.chmod(0o755)
    started: list[int] = []
    written: list[Path] = []
    try:
        if _answers(SYSTEM_SOCKET):
            uri = "qemu:///system"
        else:
            if not _answers(VIRTLOGD_SOCKET):   # its socket's place is fixed: /run/libvirt
                (folder / "virtlogd.conf").write_text(f'log_outputs = "3:file:{folder}/virtlogd.log"\n')
                started.append(_start_daemon(["virtlogd", "-d", "-f", str(folder / "virtlogd.conf"),
                                              "-p", str(folder / "virtlogd.pid")], folder / "virtlogd.pid",
                                             VIRTLOGD_SOCKET))
            if not QEMU_CONF.exists():
                QEMU_CONF.write_text(f"# Written by {__name__} while it runs\nuser = \"root\"\ngroup = \"root\"\n")
                written.append(QEMU_CONF)
            (folder / "libvirtd.conf").write_text(f'unix_sock_dir = "{folder}"\n'
                                                  f'log_outputs = "3:file:{folder}/libvirtd.log"\n')
            started.append(_start_daemon(["libvirtd", "-d", "-f", str(folder / "libvirtd.conf"),
                                          "-p", str(folder / "libvirtd.pid")], folder / "libvirtd.pid",
                                         folder / "libvirt-sock"))
            uri = f"qemu:///system?socket={folder}/libvirt-sock"
        yield Virsh(uri, folder)
    finally:
        for pid in reversed(started):
            _stop(pid)
        for path in written:
            path.unlink()
        shutil.rmtree(folder, ignore_errors=True)


def _kaa_libvirt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kaa", "libvirt", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("machine", ["microvm", "q35"])
def test_domain_boots_and_serves_through_its_forward(virsh: Virsh, machine: str) -> None:
    port = free_port()
    name = f"kaa-test-{machine}-{port}"
    xml, console = virsh.folder / f"{name}.xml", virsh.folder / f"{name}.console"
    r = _kaa_libvirt("examples/http_hello.py", "--name", name, "--machine", machine, "-p", f"{port}:80",
                     "--kernel", str(virsh.folder / f"{name}.elf"), "--console", str(console), "-o", str(xml))
    assert r.returncode == 0, r.stderr
    assert f"virsh define {xml} && virsh start {name}" in r.stderr
    virsh("define", "--validate", str(xml))        # against libvirt's schema, too
    try:
        virsh("start", name)
        assert http_get(port)["message"] == "Hello from Kaa"
        assert "http_hello: serving on port 80" in console.read_text()
        # libvirt took the machine as written (direct kernel boot, no firmware disk, qboot for q35).
        live = virsh("dumpxml", name).stdout
        assert f"machine='{machine}" in live or f"machine='pc-{machine}" in live, live
        # The QEMU libvirt started: the device model the machine calls for.
        pid = int((Path("/run/libvirt/qemu") / f"{name}.pid").read_text())
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        assert ("virtio-net-device,netdev=n0" if machine == "microvm" else "virtio-net-pci,netdev=n0,disable-legacy=on") in argv
        assert argv[argv.index("-kernel") + 1] == str(virsh.folder / f"{name}.elf")
        virsh("destroy", name)
        assert "shut off" in virsh("domstate", name).stdout
        assert not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    finally:
        virsh("destroy", name, check=False)
        virsh("undefine", name, check=False)
        (QEMU_LOGS / f"{name}.log").unlink(missing_ok=True)


def test_a_guest_that_ends_ends_its_domain(virsh: Virsh) -> None:
    """isa-debug-exit in the domain: a service that returns stops QEMU, so libvirt shows
    the domain shut off rather than running with a halted CPU."""
    name = f"kaa-test-exit-{os.getpid()}"
    xml, console = virsh.folder / f"{name}.xml", virsh.folder / f"{name}.console"
    r = _kaa_libvirt("examples/hello.py", "--name", name, "--kernel", str(virsh.folder / f"{name}.elf"),
                     "--console", str(console), "-o", str(xml))
    assert r.returncode == 0, r.stderr
    try:
        virsh("create", str(xml))          # a transient domain: gone once it stops
        deadline = time.monotonic() + 60
        while name in virsh("list", "--name").stdout.split():
            assert time.monotonic() < deadline, "the domain still runs after its guest ended"
            time.sleep(0.2)
        assert "Hello from Kaa" in console.read_text()
    finally:
        virsh("destroy", name, check=False)
        (QEMU_LOGS / f"{name}.log").unlink(missing_ok=True)


@pytest.mark.parametrize("args, message", [
    (["-p", "80"], None),                                       # a bare guest port is fine: same number on the host
    (["-p", "x:80"], "bad port forward 'x:80'"),
    (["--memory", "1"], "--memory 1 is too small"),
    (["--smp", "0"], "--smp 0: want 1..255"),
    (["--name", "a/b"], "--name 'a/b'"),
])
def test_bad_options_are_named(args: list[str], message: str | None, tmp_path: Path) -> None:
    xml = tmp_path / "d.xml"
    r = _kaa_libvirt("examples/http_hello.py", *args, "--kernel", str(tmp_path / "k.elf"), "-o", str(xml))
    assert "Traceback" not in r.stderr
    if message is None:
        assert r.returncode == 0, r.stderr
    else:
        assert r.returncode == 1 and message in r.stderr and not xml.exists(), r.stderr


def test_missing_image_is_named(tmp_path: Path) -> None:
    r = _kaa_libvirt(str(tmp_path / "nothing.elf"), "-o", str(tmp_path / "d.xml"))
    assert r.returncode == 1 and "nothing.elf: no such file" in r.stderr and "Traceback" not in r.stderr
