"""`kaa deploy`: Kubernetes, Docker stack and Nomad manifests for a service's image (issue 15).

- The Kubernetes file runs under `podman kube play` (with deploy_tools' private podman)
  and answers HTTP; every variant of it passes Kubernetes' own schemas, strictly
  (kubernetes-validate: unknown fields are errors).
- The Nomad job is checked against the fields and types of Nomad's API structs and of
  its docker driver's configuration (no Nomad binary: Debian has none and Nomad's
  releases are not open source since 1.7). The stack file runs under Swarm in
  test_deploy_swarm.py.
- The memory limit's margin for QEMU itself is measured against a running QEMU.
- Bad options get a message that names them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import kubernetes_validate
import pytest
import yaml

from deploy_tools import PODMAN_TOOLS, ROOT, HostNetwork, Podman, apt_install, free_port, http_get, private_podman
from guest import Guest
from kaa.deploy.image import build_image
from kaa.deploy.manifests import KVM_RESOURCE, QEMU_OVERHEAD_MIB

TAG = "kaa-test/http-hello:kube"
KUBERNETES = "1.37"     # the newest schemas kubernetes-validate ships


def _deploy(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kaa", "deploy", "examples/http_hello.py", "-o", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _manifests(out: Path, *args: str) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """(Kubernetes documents, stack file, Nomad job) written by `kaa deploy ARGS`."""
    r = _deploy(out, *args)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(out / f) for f in ("kubernetes.yaml", "stack.yaml", "nomad.json")]
    kube = list(yaml.safe_load_all((out / "kubernetes.yaml").read_text()))
    return kube, yaml.safe_load((out / "stack.yaml").read_text()), json.loads((out / "nomad.json").read_text())


# --- Kubernetes, run by podman --------------------------------------------------------

@pytest.fixture(scope="module")
def podman() -> Iterator[Podman]:
    apt_install(PODMAN_TOOLS)
    yield from private_podman()


@pytest.mark.booted
def test_kubernetes_manifest_runs_under_podman_kube_play(podman: Podman, tmp_path: Path) -> None:
    tarball = build_image(ROOT / "examples/http_hello.py", TAG, output=tmp_path / "image.tar", load_podman=False)
    podman("load", "-i", str(tarball))
    port = free_port()      # podman publishes containerPort on the host's same port
    _manifests(tmp_path, "-t", TAG, "--port", str(port), "--memory", "96", "--", f"port={port}")
    manifest = tmp_path / "kubernetes.yaml"

    before = HostNetwork.now()
    # slirp4netns: without it podman 4.3 makes a CNI bridge for kube pods (firewall rules, ip_forward).
    podman("kube", "play", "--network", "slirp4netns", str(manifest))
    try:
        assert http_get(port)["message"] == "Hello from Kaa"
        [info] = json.loads(podman("inspect", "http-hello-pod-0-http-hello").stdout)
        host = info["HostConfig"]
        assert host["Memory"] == (96 + QEMU_OVERHEAD_MIB) << 20
        assert host["ReadonlyRootfs"] is True and host["CapAdd"] in (None, [])   # QEMU runs with no capability
        assert host["RestartPolicy"]["Name"] == "always"
        env = dict(e.split("=", 1) for e in info["Config"]["Env"])
        assert env["KAA_MEMORY"] == "96" and env["KAA_PORTS"] == str(port) and env["KAA_CMDLINE"] == f"port={port}"
        assert "96 MiB" in podman("logs", "http-hello-pod-0-http-hello").stderr
    finally:
        down = podman("kube", "down", str(manifest), check=False)
    assert down.returncode == 0, down.stderr
    assert podman("pod", "ps", "-q").stdout.strip() == ""
    assert HostNetwork.now() == before


# --- Kubernetes, against its schemas ---------------------------------------------------

@pytest.mark.parametrize("args", [
    [],
    ["--kvm", "--replicas", "3", "--smp", "2", "--memory", "256"],
    ["--port", "8080", "--port", "5353/udp", "--name", "hello", "--", "port=8080", "debug"],
])
def test_kubernetes_manifest_passes_kubernetes_schemas(args: list[str], tmp_path: Path) -> None:
    kube, _, _ = _manifests(tmp_path, "-t", "registry.example:5000/team/hello:1.0", *args)
    assert [d["kind"] for d in kube] == ["Deployment", "Service"]
    for doc in kube:
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_kubernetes_manifest_follows_the_options(tmp_path: Path) -> None:
    kube, _, _ = _manifests(tmp_path, "-t", TAG, "--memory", "256", "--smp", "2", "--replicas", "3",
                            "--port", "8080", "--port", "5353/udp", "--kvm", "--", "port=8080")
    deployment, service = kube
    assert deployment["spec"]["replicas"] == 3
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert {e["name"]: e["value"] for e in container["env"]} == {
        "KAA_MEMORY": "256", "KAA_SMP": "2", "KAA_PORTS": "8080 5353/udp", "KAA_ACCEL": "auto",
        "KAA_CMDLINE": "port=8080"}
    limits = container["resources"]["limits"]
    assert limits == {"memory": f"{256 + QEMU_OVERHEAD_MIB}Mi", "cpu": "2", KVM_RESOURCE: "1"}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/", "port": 8080}
    assert "add" not in container["securityContext"]["capabilities"]
    assert [(p["port"], p["protocol"]) for p in service["spec"]["ports"]] == [(8080, "TCP"), (5353, "UDP")]


def test_a_port_below_1024_gets_the_capability_to_listen(tmp_path: Path) -> None:
    kube, _, nomad = _manifests(tmp_path, "-t", TAG)       # port 80
    [container] = kube[0]["spec"]["template"]["spec"]["containers"]
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}
    assert KVM_RESOURCE not in container["resources"]["limits"]
    assert nomad["Job"]["TaskGroups"][0]["Tasks"][0]["Config"]["cap_add"] == ["net_bind_service"]


# --- Nomad, against its API's structs ----------------------------------------------------

# The fields of Nomad's API structs a job is decoded into (github.com/hashicorp/nomad,
# api/jobs.go, tasks.go, services.go, resources.go at aa026cc9, Aug 2026), each with the
# JSON type of its Go type (time.Duration is an integer of nanoseconds); None for fields
# kaa does not write (allowed, not checked). A struct name in quotes is a nested struct.
NOMAD_API: dict[str, dict[str, Any]] = {
    "Job": {"ID": str, "Name": str, "Type": str, "Datacenters": [str], "TaskGroups": ["TaskGroup"],
            **dict.fromkeys("Region Namespace Priority AllAtOnce NodePool Constraints Affinities Update Multiregion "
                            "Spreads Periodic ParameterizedJob Reschedule Migrate Meta UI Stop ParentID Dispatched "
                            "DispatchIdempotencyToken Payload ConsulNamespace VaultNamespace NomadTokenID Status "
                            "StatusDescription Stable Version SubmitTime CreateIndex ModifyIndex JobModifyIndex "
                            "VersionTag".split())},
    "TaskGroup": {"Name": str, "Count": int, "Tasks": ["Task"], "Networks": ["NetworkResource"],
                  "Services": ["Service"], "RestartPolicy": "RestartPolicy",
                  **dict.fromkeys("Constraints Affinities Spreads Volumes Disconnect ReschedulePolicy EphemeralDisk "
                                  "Update Migrate Meta ShutdownDelay MaxRunDuration StopAfterClientDisconnect "
                                  "MaxClientDisconnect Scaling Consul PreventRescheduleOnLost".split())},
    "Task": {"Name": str, "Driver": str, "Config": "DockerConfig", "Env": {str: str}, "Resources": "Resources",
             "KillTimeout": int, "KillSignal": str,
             **dict.fromkeys("User Lifecycle Constraints Affinities Services RestartPolicy Meta LogConfig Artifacts "
                             "Vault Consul Templates DispatchPayload VolumeMounts CSIPluginConfig Leader ShutdownDelay "
                             "Kind ScalingPolicies Secrets Identity Identities Actions Schedule".split())},
    "RestartPolicy": {"Interval": int, "Attempts": int, "Delay": int, "Mode": str, "RenderTemplates": None},
    "Service": {"Name": str, "PortLabel": str, "Provider": str, "Checks": ["ServiceCheck"],
                **dict.fromkeys("Tags CanaryTags EnableTagOverride AddressMode Address CheckRestart Connect Meta "
                                "CanaryMeta TaggedAddresses TaskName OnUpdate Identity Weights Cluster Kind".split())},
    "ServiceCheck": {"Name": str, "Type": str, "Path": str, "PortLabel": str, "Interval": int, "Timeout": int,
                     "CheckRestart": "CheckRestart",
                     **dict.fromkeys("Command Args Protocol Expose AddressMode Advertise InitialStatus Notes "
                                     "TLSServerName TLSSkipVerify Header Method GRPCService GRPCUseTLS TaskName "
                                     "SuccessBeforePassing FailuresBeforeCritical FailuresBeforeWarning Body "
                                     "OnUpdate".split())},
    "CheckRestart": {"Limit": int, "Grace": int, "IgnoreWarnings": None},
    "Resources": {"CPU": int, "MemoryMB": int,
                  **dict.fromkeys("Cores MemoryMaxMB DiskMB Networks Devices NUMA SecretsMB IOPS".split())},
    "NetworkResource": {"DynamicPorts": ["Port"],
                        **dict.fromkeys("Mode Device CIDR IP DNS ReservedPorts Hostname MBits CNI".split())},
    "Port": {"Label": str, "To": int, "Value": None, "HostNetwork": None, "IgnoreCollision": None},
    # The docker driver's task configuration (drivers/docker/config.go, its hclspec), the keys kaa writes.
    "DockerConfig": {"image": str, "ports": [str], "readonly_rootfs": bool, "cap_drop": [str], "cap_add": [str],
                     "devices": ["DockerDevice"]},
    "DockerDevice": {"host_path": str, "container_path": str, "cgroup_permissions": None},
}


def _check_nomad(value: Any, kind: Any, where: str) -> None:
    if kind is None:
        return
    if isinstance(kind, str):
        assert isinstance(value, dict), f"{where}: want a {kind} object"
        fields = NOMAD_API[kind]
        for name, field_value in value.items():
            assert name in fields, f"{where}: {kind} has no field {name!r}"
            _check_nomad(field_value, fields[name], f"{where}.{name}")
    elif isinstance(kind, list):
        assert isinstance(value, list), f"{where}: want a list"
        for i, item in enumerate(value):
            _check_nomad(item, kind[0], f"{where}[{i}]")
    elif isinstance(kind, dict):
        assert isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()), \
            f"{where}: want a map of strings"
    else:
        assert type(value) is kind, f"{where}: want {kind.__name__}, not {value!r}"


@pytest.mark.parametrize("args", [[], ["--kvm", "--port", "8080", "--port", "53/udp", "--replicas", "2"]])
def test_nomad_job_fits_nomads_api(args: list[str], tmp_path: Path) -> None:
    _, _, nomad = _manifests(tmp_path, "-t", TAG, *args)
    assert list(nomad) == ["Job"]       # the body of POST /v1/jobs, as `nomad job run -json` reads it
    _check_nomad(nomad["Job"], "Job", "Job")
    [group] = nomad["Job"]["TaskGroups"]
    labels = [p["Label"] for p in group["Networks"][0]["DynamicPorts"]]
    assert group["Tasks"][0]["Config"]["ports"] == labels
    [check] = group["Services"][0]["Checks"]
    assert check["Type"] == "http" and check["Path"] == "/" and check["PortLabel"] == labels[0] == "http"
    assert check["Interval"] == 10 * 10**9      # nanoseconds


def test_the_nomad_check_rejects_what_nomad_would() -> None:
    """The checker above is not a rubber stamp."""
    with pytest.raises(AssertionError, match="Task has no field 'Enviroment'"):
        _check_nomad({"TaskGroups": [{"Tasks": [{"Enviroment": {}}]}]}, "Job", "Job")
    with pytest.raises(AssertionError, match="want int"):
        _check_nomad({"Interval": "10s"}, "ServiceCheck", "check")


# --- the stack file --------------------------------------------------------------------

def test_stack_file_follows_the_options(tmp_path: Path) -> None:
    _, stack, _ = _manifests(tmp_path, "-t", TAG, "--memory", "64", "--smp", "4", "--replicas", "2")
    service = stack["services"]["http-hello"]
    assert service["deploy"]["resources"]["limits"] == {"cpus": "4", "memory": f"{64 + QEMU_OVERHEAD_MIB}M"}
    assert service["deploy"]["replicas"] == 2 and service["deploy"]["restart_policy"]["condition"] == "any"
    assert "devices" not in service
    assert stack["networks"]["hostnet"] == {"external": True, "name": "host"}
    _, stack, _ = _manifests(tmp_path, "-t", TAG, "--kvm")
    assert stack["services"]["http-hello"]["devices"] == ["/dev/kvm:/dev/kvm"]


# --- the memory margin ---------------------------------------------------------------------

@pytest.mark.booted
def test_qemu_overhead_fits_the_margin(tmp_path: Path) -> None:
    """QEMU's resident memory besides guest RAM, after serving requests under TCG (the
    worst case: TCG's translation cache), stays within QEMU_OVERHEAD_MIB."""
    port = free_port()
    with Guest("examples/http_hello.py", "--accel", "tcg", "-p", f"{port}:80") as g:
        g.wait_for("serving on port 80")
        for _ in range(200):
            http_get(port)
        [qemu] = Path(f"/proc/{g.proc.pid}/task/{g.proc.pid}/children").read_text().split()
        smaps = Path(f"/proc/{qemu}/smaps").read_text()
    ram_kib = 128 << 10
    total = guest = 0
    for m in re.finditer(r"^([0-9a-f]+)-([0-9a-f]+) .*?^Rss:\s+(\d+) kB", smaps, re.M | re.S):
        rss = int(m.group(3))
        total += rss
        if (int(m.group(2), 16) - int(m.group(1), 16)) >> 10 == ram_kib:
            guest += rss
    overhead_mib = (total - guest) / 1024
    assert guest > 0 and 0 < overhead_mib < QEMU_OVERHEAD_MIB, (total, guest)


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["-t", "Upper:1"], "-t 'Upper:1': write NAME:TAG"),
    (["-t", "ok:1", "--port", "http"], "--port http: want a guest port 1..65535"),
    (["-t", "ok:1", "--port", "70000"], "--port 70000: want a guest port"),
    (["-t", "ok:1", "--port", "53/udp"], "the first port is the HTTP one health checks use; make it TCP"),
    (["-t", "ok:1", "--port", "80", "--port", "80/tcp"], "a port is given twice"),
    (["-t", "ok:1", "--name", "Hello_World"], "--name 'Hello_World': want a DNS label"),
    (["-t", "ok:1", "--memory", "1"], "--memory 1 is too small: the image loads up to"),
    (["-t", "ok:1", "--smp", "0"], "--smp 0: want 1..255"),
    (["-t", "ok:1", "--replicas", "-1"], "--replicas -1: want 0 or more"),
    (["-t", "ok:1", "--", "motd=caf\u00e9"], "must be printable ASCII"),
])
def test_bad_options_are_named(args: list[str], message: str, tmp_path: Path) -> None:
    r = _deploy(tmp_path / "out", *args)
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_missing_service_is_named(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "kaa", "deploy", str(tmp_path / "none.py"), "-t", "ok:1"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "none.py: no such file" in r.stderr and "Traceback" not in r.stderr
