"""Orchestrator manifests for a service's image: `kaa deploy SERVICE.py -t NAME:TAG`.

Design:
- One description (`Service`: the image of kaa/deploy/image.py, guest RAM, vCPUs, guest
  ports, replicas, kernel command line) gives three files: a Kubernetes Deployment +
  Service (kubernetes.yaml), a Docker stack file (stack.yaml, the compose format that
  `docker stack deploy` reads) and a Nomad job (nomad.json, the JSON job of Nomad's
  HTTP API: `nomad job run -json nomad.json`). YAML through PyYAML's safe_dump, so
  quoting is never ours to get wrong.
- The container's settings are the entry point's KAA_* variables, written out in full so
  the manifest says what runs whatever defaults the image was built with. The service
  is built (a cache hit after `kaa image`) only to check --memory against what the
  kernel loads into, which the entry point would otherwise refuse at every start.
- Health: `GET /` on the first port (it must be TCP). Kubernetes probes it (startup,
  readiness, liveness), Nomad checks it and restarts the task after failures. The image
  has no shell and no HTTP client for Docker's in-container HEALTHCHECK, so the stack
  file has none: Swarm restarts the task when QEMU (and so the container) ends.
- Memory: the limit is guest RAM plus QEMU's own memory. Measured (TCG, http_hello with
  128 MiB, after 300 requests): QEMU's RSS is 45 MiB, of which only 4 MiB is guest RAM;
  the rest (binary, libraries, TCG's translation cache, heap) is 41 MiB. The guest may
  touch all its RAM, so limit = RAM + QEMU_OVERHEAD_MIB (the 41 MiB and half again).
  Requests equal limits: the guest's RAM is what it was promised.
- CPU: QEMU runs one thread a vCPU; the limit is one core a vCPU, the request a quarter
  of one (an idle guest halts and costs nearly nothing).
- KVM: off by default, so the guest runs under TCG anywhere (KAA_ACCEL=auto picks KVM
  only when /dev/kvm works). --kvm asks for /dev/kvm: on Kubernetes as the extended
  resource devices.kubevirt.io/kvm (a KVM device plugin, such as KubeVirt's, provides
  it), on Nomad and plain `docker compose` as a device. Swarm services cannot be given
  devices, so there it stays TCG.
- Swarm networking: the stack joins the host's network (the entry point forwards the
  guest's ports from the container's 0.0.0.0, here the node's), which needs no bridge,
  overlay or ingress NAT; so at most one replica per node.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaa import build as kbuild
from kaa import vm
from kaa.deploy import image

QEMU_OVERHEAD_MIB = 64          # see the module doc
CPU_REQUEST_MILLI = 250         # per vCPU
NOMAD_MHZ_PER_VCPU = 500        # a quarter of a ~2 GHz core, as CPU_REQUEST_MILLI
KVM_RESOURCE = "devices.kubevirt.io/kvm"
STOP_GRACE_S = 5                # the entry point stops QEMU within a second
FILES = ("kubernetes.yaml", "stack.yaml", "nomad.json")

_DNS_LABEL = re.compile(r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?")
_PORT = re.compile(r"(\d+)(?:/(tcp|udp))?")
_SECOND_NS = 1_000_000_000      # Nomad's API durations are nanoseconds


class DeployError(Exception):
    """Manifests cannot be written; the message says why."""


@dataclass(frozen=True)
class Port:
    number: int
    protocol: str               # "tcp" or "udp"

    @property
    def spec(self) -> str:
        """As KAA_PORTS writes it."""
        return str(self.number) if self.protocol == "tcp" else f"{self.number}/udp"


@dataclass(frozen=True)
class Service:
    name: str                   # a DNS label: Deployment, Service, stack service and job name
    image: str                  # NAME:TAG
    memory: int = 128           # guest RAM, MiB
    smp: int = 1
    ports: tuple[Port, ...] = (Port(80, "tcp"),)     # the first is the HTTP one checks use
    replicas: int = 1
    cmdline: str = ""
    kvm: bool = False

    @property
    def memory_limit(self) -> int:
        """MiB for the whole container: guest RAM and QEMU."""
        return self.memory + QEMU_OVERHEAD_MIB

    @property
    def http(self) -> Port:
        return self.ports[0]

    @property
    def low_port(self) -> bool:
        """Whether QEMU listens below 1024 (which takes CAP_NET_BIND_SERVICE)."""
        return any(p.number < 1024 for p in self.ports)

    def env(self) -> dict[str, str]:
        """The entry point's settings (kaa/deploy/entry.c)."""
        env = {"KAA_MEMORY": str(self.memory), "KAA_SMP": str(self.smp),
               "KAA_PORTS": " ".join(p.spec for p in self.ports), "KAA_ACCEL": "auto"}
        if self.cmdline:
            env["KAA_CMDLINE"] = self.cmdline
        return env


def service_name(app: Path) -> str:
    """A DNS label from the service's file name: examples/http_hello.py -> http-hello."""
    return re.sub(r"[^a-z0-9]+", "-", app.stem.lower()).strip("-")[:63].strip("-")


def parse_port(spec: str) -> Port:
    m = _PORT.fullmatch(spec)
    if m is None or not 1 <= int(m.group(1)) <= 65535:
        raise DeployError(f"--port {spec}: want a guest port 1..65535, optionally /tcp or /udp")
    return Port(int(m.group(1)), m.group(2) or "tcp")


def describe(app: Path, tag: str, *, name: str | None = None, memory: int = 128, smp: int = 1,
             ports: tuple[str, ...] = ("80",), replicas: int = 1, cmdline: str = "", kvm: bool = False) -> Service:
    """A checked Service for app's image, or a DeployError naming the bad option."""
    if not app.is_file():
        raise DeployError(f"{app}: no such file")
    try:
        image.parse_tag(tag)
    except image.ImageError as e:
        raise DeployError(str(e)) from None
    if name is None and not _DNS_LABEL.fullmatch(service_name(app)):
        raise DeployError(f"{app.name}: its name makes no DNS label; give --name")
    name = name if name is not None else service_name(app)
    if not _DNS_LABEL.fullmatch(name):
        raise DeployError(f"--name {name!r}: want a DNS label (lower-case letters, digits and -, "
                          "at most 63, starting and ending with a letter or digit)")
    try:        # the entry point would refuse less RAM than the kernel loads into, at each start
        vm.check_memory(vm.VmConfig(kbuild.build(app, target="kvm"), memory=memory))
    except vm.VmError as e:
        raise DeployError(str(e)) from None
    if not 1 <= smp <= 255:
        raise DeployError(f"--smp {smp}: want 1..255 virtual CPUs")
    if replicas < 0:
        raise DeployError(f"--replicas {replicas}: want 0 or more")
    parsed = tuple(parse_port(p) for p in ports) or (Port(80, "tcp"),)
    if parsed[0].protocol != "tcp":
        raise DeployError(f"--port {parsed[0].spec}: the first port is the HTTP one health checks use; make it TCP")
    if len({p.spec for p in parsed}) != len(parsed):
        raise DeployError("--port: a port is given twice")
    if any(not " " <= c <= "~" for c in cmdline):
        raise DeployError("the kernel command line (after --) must be printable ASCII")
    return Service(name, tag, memory, smp, parsed, replicas, cmdline, kvm)


def _port_name(s: Service, p: Port) -> str:
    return "http" if p == s.http else f"{p.protocol}-{p.number}"


def kubernetes(s: Service) -> str:
    """A Deployment and a ClusterIP Service (one YAML stream)."""
    labels = {"app.kubernetes.io/name": s.name}
    memory = f"{s.memory_limit}Mi"
    limits: dict[str, str] = {"memory": memory, "cpu": str(s.smp)}
    if s.kvm:
        limits[KVM_RESOURCE] = "1"

    def probe(period: int, failures: int) -> dict[str, Any]:
        # Kubernetes counts 200..399 as healthy. The port by number: podman's kube play
        # turns a named one into port 0.
        return {"httpGet": {"path": "/", "port": s.http.number}, "periodSeconds": period,
                "timeoutSeconds": 2, "failureThreshold": failures}

    container = {
        "name": s.name,
        "image": s.image,
        "env": [{"name": k, "value": v} for k, v in s.env().items()],
        "ports": [{"name": _port_name(s, p), "containerPort": p.number, "protocol": p.protocol.upper()}
                  for p in s.ports],
        "resources": {"requests": {"memory": memory, "cpu": f"{CPU_REQUEST_MILLI * s.smp}m"}, "limits": limits},
        # TCG boots in about a second, under load it may take longer: up to a minute.
        "startupProbe": probe(1, 60),
        "readinessProbe": probe(5, 1),
        "livenessProbe": probe(10, 3),
        # QEMU writes nothing to its file system and needs no capability (TCG, or KVM
        # through the device) but to listen on a port below 1024.
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"], **({"add": ["NET_BIND_SERVICE"]} if s.low_port else {})}},
    }
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": s.name, "labels": labels},
        "spec": {
            "replicas": s.replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels},
                         "spec": {"restartPolicy": "Always", "terminationGracePeriodSeconds": STOP_GRACE_S,
                                  "containers": [container]}},
        },
    }
    service = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": s.name, "labels": labels},
        "spec": {"selector": labels,
                 "ports": [{"name": _port_name(s, p), "port": p.number, "targetPort": _port_name(s, p),
                            "protocol": p.protocol.upper()} for p in s.ports]},
    }
    return _yaml_stream(f"# kubectl apply -f kubernetes.yaml  (image {s.image}, from `kaa image`)", deployment, service)


def stack(s: Service) -> str:
    """A Docker stack file (compose format 3.8) for `docker stack deploy`."""
    service: dict[str, Any] = {
        "image": s.image,
        "environment": s.env(),
        "networks": ["hostnet"],
        "read_only": True,
        "stop_signal": "SIGTERM",
        "stop_grace_period": f"{STOP_GRACE_S}s",
        "deploy": {
            "replicas": s.replicas,
            "placement": {"max_replicas_per_node": 1},     # the ports are the node's
            "restart_policy": {"condition": "any", "delay": "1s"},
            "update_config": {"order": "stop-first"},
            "resources": {"limits": {"cpus": str(s.smp), "memory": f"{s.memory_limit}M"},
                          "reservations": {"cpus": f"{CPU_REQUEST_MILLI * s.smp / 1000:g}",
                                           "memory": f"{s.memory_limit}M"}},
        },
    }
    if s.kvm:
        service["devices"] = ["/dev/kvm:/dev/kvm"]
    doc = {"version": "3.8", "services": {s.name: service},
           "networks": {"hostnet": {"external": True, "name": "host"}}}
    ports = ", ".join(p.spec for p in s.ports)
    header = (f"# docker stack deploy -c stack.yaml {s.name}  (image {s.image}, from `kaa image`)\n"
              f"# Host networking: the guest's ports ({ports}) are the node's, one replica a node.\n"
              "# No healthcheck: the image has no shell or HTTP client to run one; Swarm restarts\n"
              "# the task when QEMU ends." + ("\n# devices (/dev/kvm) is for `docker compose`; Swarm ignores it." if s.kvm else ""))
    return _yaml_stream(header, doc)


def nomad(s: Service) -> str:
    """A Nomad job in the JSON of Nomad's HTTP API (`nomad job run -json`, or POST /v1/jobs)."""
    labels = [_port_name(s, p) for p in s.ports]
    config: dict[str, Any] = {"image": s.image, "ports": labels, "readonly_rootfs": True, "cap_drop": ["all"]}
    if s.low_port:
        config["cap_add"] = ["net_bind_service"]
    if s.kvm:
        config["devices"] = [{"host_path": "/dev/kvm", "container_path": "/dev/kvm"}]
    task = {
        "Name": s.name, "Driver": "docker", "Config": config, "Env": s.env(),
        "Resources": {"CPU": NOMAD_MHZ_PER_VCPU * s.smp, "MemoryMB": s.memory_limit},
        "KillSignal": "SIGTERM", "KillTimeout": STOP_GRACE_S * _SECOND_NS,
    }
    check = {"Name": f"{s.name}-http", "Type": "http", "Path": "/", "PortLabel": "http",
             "Interval": 10 * _SECOND_NS, "Timeout": 2 * _SECOND_NS,
             "CheckRestart": {"Limit": 3, "Grace": 10 * _SECOND_NS}}
    group = {
        "Name": s.name, "Count": s.replicas,
        "Networks": [{"DynamicPorts": [{"Label": label, "To": p.number} for label, p in zip(labels, s.ports)]}],
        "Services": [{"Name": s.name, "PortLabel": "http", "Provider": "nomad", "Checks": [check]}],
        "RestartPolicy": {"Attempts": 10, "Interval": 300 * _SECOND_NS, "Delay": 2 * _SECOND_NS, "Mode": "delay"},
        "Tasks": [task],
    }
    job = {"ID": s.name, "Name": s.name, "Type": "service", "Datacenters": ["*"], "TaskGroups": [group]}
    return json.dumps({"Job": job}, indent=2) + "\n"


def _yaml_stream(header: str, *docs: dict[str, Any]) -> str:
    try:
        import yaml     # here, so the rest of `kaa` works without PyYAML
    except ImportError:
        raise DeployError("PyYAML is missing: pip install PyYAML (pyproject.toml pins it)") from None

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True     # no &anchors: the labels repeat, as people write them

    body = "---\n".join(yaml.dump(d, Dumper=Dumper, sort_keys=False, default_flow_style=False) for d in docs)
    return f"{header}\n{body}"


def write(s: Service, out_dir: Path) -> list[Path]:
    """Write the three manifests into out_dir; their paths, in FILES order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in zip(FILES, (kubernetes(s), stack(s), nomad(s))):
        path = out_dir / name
        path.write_text(text)
        paths.append(path)
    return paths


def main(args: argparse.Namespace, cmdline: str) -> int:
    """`kaa deploy` (kaa/cli.py parses its options)."""
    s = describe(args.app, args.tag, name=args.name, memory=args.memory, smp=args.smp,
                 ports=tuple(args.port or ("80",)), replicas=args.replicas, cmdline=cmdline, kvm=args.kvm)
    for path in write(s, args.output or Path("build") / "deploy" / s.name):
        print(path)
    return 0
