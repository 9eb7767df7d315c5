"""`kaa image`: a service's OCI image, run by podman (issue 15).

podman runs with a private configuration and storage (tests/deploy_tools.py): the
host's podman setup is neither used nor changed, and slirp4netns touches no firewall
or route. What is missing is installed with apt-get; the tests skip only when apt
cannot reach its registry.

The image is built once, by the `kaa image` command (which loads it into that podman),
and every container forwards 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from deploy_tools import PODMAN_TOOLS, ROOT, Podman, apt_install, free_port, http_get, private_podman
from kaa import vm

TAG = "kaa-test/http-hello:1"

pytestmark = pytest.mark.booted


@pytest.fixture(scope="module")
def podman() -> Iterator[Podman]:
    apt_install({**PODMAN_TOOLS, "skopeo": "skopeo"})
    yield from private_podman()


@pytest.fixture(scope="module")
def built(podman: Podman, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The tarball of examples/http_hello.py's image and `kaa image`'s output."""
    tarball = tmp_path_factory.mktemp("image") / "http-hello.tar"
    r = subprocess.run([sys.executable, "-m", "kaa", "image", "examples/http_hello.py", "-t", TAG, "-o", str(tarball)],
                       cwd=ROOT, capture_output=True, text=True, env=podman.env, timeout=300)
    assert r.returncode == 0, r.stderr
    return tarball, r.stdout


def _processes(podman: Podman, name: str) -> tuple[int, int]:
    """(the entry point's PID, QEMU's PID) of a running container, as the host sees them."""
    entry = int(podman("inspect", "--format", "{{.State.Pid}}", name).stdout)
    children = Path(f"/proc/{entry}/task/{entry}/children").read_text().split()
    assert len(children) == 1, f"the entry point should have one child, QEMU: {children}"
    qemu = int(children[0])
    assert os.readlink(f"/proc/{qemu}/exe").endswith("/qemu-system-x86_64")
    return entry, qemu


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_image_size_is_reported(podman: Podman, built: tuple[Path, str]) -> None:
    m = re.search(r"kaa-test/http-hello:1: ([\d.]+) MB \(.*kernel [\d.]+ MB.*\); "
                  r"a python:3.11-slim \+ Flask image is about 130 MB", built[1])
    assert m, built[1]
    # podman's own measure of the image it loaded (the files it unpacked)
    size = int(podman("image", "inspect", "--format", "{{.Size}}", TAG).stdout)
    assert abs(float(m.group(1)) * 1e6 - size) < 0.01 * size, (m.group(0), size)
    assert size < 80e6, "the image should stay far below a Python service image's 130 MB"


def test_image_serves_http_and_stops_on_sigterm(podman: Podman, built: tuple[Path, str]) -> None:
    port = free_port()
    name = f"kaa-test-{port}"
    podman("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:80", TAG)
    try:
        assert http_get(port)["message"] == "Hello from Kaa"
        entry, qemu = _processes(podman, name)

        # Exactly what QEMU loads: every file of the image but the entry point and the
        # firmware (read, not mapped) is mapped by the running QEMU.
        mapped = {line.split()[5] for line in Path(f"/proc/{qemu}/maps").read_text().splitlines()
                  if len(line.split()) >= 6 and line.split()[5].startswith("/")}
        with tarfile.open(built[0]) as t:
            layer_name = json.load(t.extractfile("manifest.json"))[0]["Layers"][0]    # type: ignore[arg-type]
            with tarfile.open(fileobj=t.extractfile(layer_name)) as layer:
                files = {"/" + m.name for m in layer.getmembers() if m.isfile()}
        loaded = {f for f in files if f != "/kaa/entry" and not f.startswith("/usr/share/qemu/")}
        assert loaded == mapped, f"in the image, never mapped: {loaded - mapped}; mapped, not in the image: {mapped - loaded}"

        # The forwarded port listens with a real backlog (kaa/deploy/listen_shim.c), not
        # the one of QEMU's user network.
        ss = subprocess.run(["nsenter", "-t", str(qemu), "-n", "ss", "-Hltn", "sport = :80"], capture_output=True,
                            text=True, check=True).stdout.split()
        assert "LISTEN" in ss and ss[ss.index("LISTEN") + 2] == "1024", ss

        # SIGTERM to PID 1, as `podman stop` sends it: QEMU and the container gone within a second.
        start = time.monotonic()
        os.kill(entry, signal.SIGTERM)
        while not (_gone(entry) and _gone(qemu)) and time.monotonic() - start < 5:
            time.sleep(0.005)
        took = time.monotonic() - start
        assert _gone(qemu) and _gone(entry) and took < 1.0, f"still running {took:.2f} s after SIGTERM"
        assert podman("wait", name).stdout.strip() == "143"          # 128 + SIGTERM: stopped, not killed
        logs = podman("logs", name).stderr
        assert "terminating on signal 15" in logs and "killed" not in logs, logs

        # The same through `podman stop -t 1`: well within its second of grace (no SIGKILL: 143).
        podman("start", name)
        http_get(port)
        start = time.monotonic()
        podman("stop", "-t", "1", name)
        took = time.monotonic() - start
        assert took < 1.0, f"podman stop took {took:.2f} s"
        assert podman("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip() == "143"
    finally:
        podman("rm", "--force", "--time", "0", name, check=False)


def test_image_takes_settings_from_environment(podman: Podman, built: tuple[Path, str]) -> None:
    port = free_port()
    name = f"kaa-test-{port}"
    # http_hello listens on port=N from the kernel command line.
    podman("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8080", "-e", "KAA_PORTS=8080",
           "-e", "KAA_CMDLINE=port=8080", "-e", "KAA_MEMORY=64", "-e", "KAA_SMP=2", TAG)
    try:
        assert http_get(port)["message"] == "Hello from Kaa"
        console = podman("logs", name).stdout
        m = re.search(r"booted in \d+ us, 2 CPUs, (\d+) MiB free", console)
        assert m and int(m.group(1)) < 64, console
        assert "serving on port 8080" in console
    finally:
        podman("rm", "--force", "--time", "0", name, check=False)


def test_entry_point_runs_qemu_as_kaa_run_does(podman: Podman, built: tuple[Path, str]) -> None:
    """KAA_DRY_RUN=1 prints the entry point's QEMU argv: kaa/vm.py's for the same
    settings, but for the network (any address of the container, QEMU's own range)."""
    env = {"KAA_DRY_RUN": "1", "KAA_ACCEL": "tcg", "KAA_MEMORY": "96", "KAA_SMP": "2",
           "KAA_PORTS": "8080 5353/udp", "KAA_CMDLINE": "port=8080 debug"}
    r = podman("run", "--rm", *(a for k, v in env.items() for a in ("-e", f"{k}={v}")), TAG)
    argv = r.stdout.splitlines()
    expected = vm.qemu_command(vm.VmConfig("/kaa/kernel.elf", accel="tcg", memory=96, smp=2,
                                           cmdline="port=8080 debug", forwards=["8080:8080", "5353:5353/udp"]))
    netdev = argv.index("-netdev") + 1
    assert argv[netdev] == "user,id=n0,net=198.18.0.0/24,hostfwd=tcp::8080-:8080,hostfwd=udp::5353-:5353"
    assert argv[0] == shutil.which("qemu-system-x86_64")
    assert argv[1:netdev] + argv[netdev + 1:] == [a for i, a in enumerate(expected[1:], 1)
                                                  if i != expected.index("-netdev") + 1]


@pytest.mark.parametrize("variable, value, message", [
    ("KAA_MEMORY", "lots", "KAA_MEMORY=lots: want MiB"),
    ("KAA_MEMORY", "1", "KAA_MEMORY=1: want MiB"),      # below what the kernel loads into
    ("KAA_PORTS", "80/sctp", "the protocol is tcp or udp"),
    ("KAA_ACCEL", "hvf", "KAA_ACCEL=hvf: choose auto, kvm or tcg"),
])
def test_entry_point_rejects_bad_settings(podman: Podman, built: tuple[Path, str], variable: str, value: str,
                                          message: str) -> None:
    r = podman("run", "--rm", "-e", f"{variable}={value}", TAG, check=False)
    assert r.returncode == 125 and message in r.stderr, (r.returncode, r.stderr)


def test_tarball_is_a_docker_archive_and_an_oci_layout(podman: Podman, built: tuple[Path, str]) -> None:
    tarball = built[0]
    with tarfile.open(tarball) as t:
        def read(name: str) -> bytes:
            f = t.extractfile(name)
            assert f is not None, name
            return f.read()

        # Every blob is named by its content's sha256 (OCI image-layout.md, "Blobs").
        blobs = {m.name: read(m.name) for m in t.getmembers() if m.name.startswith("blobs/sha256/") and m.isfile()}
        for name, data in blobs.items():
            assert name == "blobs/sha256/" + hashlib.sha256(data).hexdigest()

        # docker save's manifest.json: the config and the layers, with the repository tag.
        [docker] = json.loads(read("manifest.json"))
        assert docker["RepoTags"] == [TAG]
        config = json.loads(blobs[docker["Config"]])
        layers = [blobs[name] for name in docker["Layers"]]
        assert config["architecture"] == "amd64" and config["os"] == "linux"
        assert config["rootfs"] == {"type": "layers",
                                    "diff_ids": ["sha256:" + hashlib.sha256(data).hexdigest() for data in layers]}
        assert config["config"]["Entrypoint"] == ["/kaa/entry"]

        # The OCI layout: oci-layout, index.json -> manifest -> config and layers, sizes and digests.
        assert json.loads(read("oci-layout")) == {"imageLayoutVersion": "1.0.0"}
        index = json.loads(read("index.json"))
        assert index["schemaVersion"] == 2
        [desc] = index["manifests"]
        assert desc["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
        assert desc["annotations"]["org.opencontainers.image.ref.name"] == TAG
        manifest_blob = blobs["blobs/sha256/" + desc["digest"].removeprefix("sha256:")]
        assert desc["size"] == len(manifest_blob)
        manifest = json.loads(manifest_blob)
        for d in [manifest["config"], *manifest["layers"]]:
            assert d["size"] == len(blobs["blobs/sha256/" + d["digest"].removeprefix("sha256:")])
        assert manifest["config"]["digest"] == "sha256:" + docker["Config"].rsplit("/", 1)[1]

    # Read by other implementations: podman (loaded by `kaa image`: its image ID is the
    # config's digest) and skopeo, once as each format.
    image_id = podman("image", "inspect", "--format", "{{.Id}}", TAG).stdout.strip()
    assert image_id == docker["Config"].rsplit("/", 1)[1]
    for transport in ("docker-archive", "oci-archive"):
        r = subprocess.run(["skopeo", "inspect", "--config", f"{transport}:{tarball}"], capture_output=True, text=True,
                           env=podman.env, timeout=60)
        assert r.returncode == 0, f"skopeo inspect {transport}: {r.stderr}"
        assert json.loads(r.stdout)["rootfs"] == config["rootfs"]


def test_tarball_is_reproducible(built: tuple[Path, str], tmp_path: Path) -> None:
    again = tmp_path / "again.tar"
    r = subprocess.run([sys.executable, "-m", "kaa", "image", "examples/http_hello.py", "-t", TAG, "-o", str(again),
                        "--no-load"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert again.read_bytes() == built[0].read_bytes()


@pytest.mark.parametrize("args, message", [
    (["-t", "Upper:1"], "-t 'Upper:1': write NAME:TAG"),
    (["-t", "ok:1", "--port", "http"], "--port http: want a guest port"),
    (["-t", "ok:1", "--memory", "1"], "--memory 1 is too small"),
])
def test_image_rejects_bad_options(args: list[str], message: str, tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "kaa", "image", "examples/http_hello.py", *args,
                        "-o", str(tmp_path / "x.tar"), "--no-load"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "x.tar").exists()
