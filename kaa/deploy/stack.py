"""Stack files: several services on one private network, for `kaa up STACK.toml`.

    [network]
    subnet = "10.0.9.0/24"           # optional (this is the default)

    [services.back]
    app = "back.py"                  # a service (.py) or a built image (.elf), relative to this file
    memory = 64                      # MiB (default 128); smp = CPUs (default 1)

    [services.front]
    app = "front.py"
    address = "10.0.9.20"            # optional: an address of the subnet, or "dhcp"
    publish = ["8080:80"]            # 127.0.0.1:8080 -> the guest's port 80 ("HOST:GUEST[/udp]")
    env = { BACK_URL = "http://back/" }      # NAME=value words on the kernel command line
    args = ["netstat"]               # more words for the kernel command line
    restart = "always"               # "no" (default), "on-failure" or "always"

load() reads and checks a file: any mistake is a StackError naming the file, the key
and what is allowed. plan() turns a Stack into what `kaa up` starts:
- Addresses: the subnet's first host address is the gateway, the second its (unused)
  DNS address; a service without `address` gets the next free one from the third on;
  "dhcp" services lease one of the subnet's last 16 addresses (the gateway's pool).
  The subnet never touches the host: it exists only on the stack's own switch.
- Names: every guest's command line carries HOSTS=name:address,... for the services with
  a fixed address (kaa/stdlib/socket.py consults it before DNS) and HOSTNAME=its name.
  A dhcp service has no name the others can resolve (its address is not known in advance).
- MAC addresses: 52:54 then the IPv4 address (52:56:00:00:00:N for the Nth dhcp service),
  so every guest differs and a frame names its sender.
- The gateway (only when a service publishes a port or uses DHCP): a QEMU without a
  machine whose user-mode network (restrict=on: nothing leaves for the host or the
  Internet) forwards the published ports from 127.0.0.1 and answers DHCP, on a hub with
  a link to the switch (kaa/deploy/switch.py explains why not to a hub of the guests).
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kaa import vm

DEFAULT_SUBNET = "10.0.9.0/24"
DHCP_POOL = 16                      # leases QEMU's user network hands out (libslirp's NB_BOOTP_CLIENTS)
RESTARTS = ("no", "on-failure", "always")
SERVICE_KEYS = ("app", "memory", "smp", "address", "publish", "env", "args", "restart")
_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PUBLISH = re.compile(r"^(?:(\d+):)?(\d+)(?:/(tcp|udp))?$")
RESERVED_ENV = ("HOSTS", "HOSTNAME")
RESERVED_WORDS = ("ip", "gw")


class StackError(Exception):
    """A stack file that cannot be run; the message names the file and the key."""


@dataclass
class Publish:
    host: int
    guest: int
    proto: str = "tcp"


@dataclass
class Service:
    name: str
    app: Path
    memory: int = 128
    smp: int = 1
    address: str = ""               # "" (the next free one), an IPv4 address, or "dhcp"
    publish: list[Publish] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    restart: str = "no"


@dataclass
class Stack:
    file: Path
    subnet: ipaddress.IPv4Network
    services: list[Service]


# ---- reading and checking ---------------------------------------------------------

Fail = Callable[[str, str], StackError]     # (key, problem) -> the error to raise


def load(file: Path) -> Stack:
    """Read and check a stack file (StackError on any mistake)."""
    try:
        with open(file, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise StackError(f"{file}: no such file") from None
    except OSError as e:
        raise StackError(f"{file}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise StackError(f"{file}: not valid TOML: {e}") from None
    return parse(data, file)


def parse(data: dict[str, Any], file: Path) -> Stack:
    """A Stack from a parsed file's tables (file names the file in errors and anchors `app`)."""
    def fail(key: str, problem: str) -> StackError:
        return StackError(f"{file}: {key}: {problem}")

    _known_keys(data, ("network", "services"), "", fail)
    network = _table(data.get("network", {}), "network", fail)
    _known_keys(network, ("subnet",), "network", fail)
    subnet = _subnet(network.get("subnet", DEFAULT_SUBNET), fail)
    if "services" not in data:
        raise fail("services", "missing: add a table [services.NAME] for each service")
    services_table = _table(data["services"], "services", fail)
    if not services_table:
        raise fail("services", "no services: add a table [services.NAME] with app = \"NAME.py\"")
    services = [_service(name, spec, file, fail) for name, spec in services_table.items()]
    stack = Stack(file, subnet, services)
    _addresses(stack, fail)
    _check_ports(stack, fail)
    return stack


def _known_keys(table: dict[str, Any], allowed: tuple[str, ...], where: str, fail: Fail) -> None:
    for key in table:
        if key not in allowed:
            name = f"{where}.{key}" if where else key
            raise fail(name, f"unknown key; allowed here: {', '.join(allowed)}")


def _table(value: Any, key: str, fail: Fail) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(key, f"must be a table, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _subnet(value: Any, fail: Fail) -> ipaddress.IPv4Network:
    if not isinstance(value, str):
        raise fail("network.subnet", f"must be a string like \"{DEFAULT_SUBNET}\", not {_kind(value)}")
    try:
        net = ipaddress.IPv4Network(value)
    except ValueError as e:
        raise fail("network.subnet", f"{value!r} is not an IPv4 network like \"{DEFAULT_SUBNET}\" ({e})") from None
    if not 8 <= net.prefixlen <= 29:
        raise fail("network.subnet", f"{value!r}: the prefix must be /8 to /29 (room for a gateway and guests)")
    if net.is_loopback or net.is_multicast or net.is_link_local or net.is_reserved or net.is_unspecified:
        raise fail("network.subnet", f"{value!r} is a special-purpose range; use a private one like \"{DEFAULT_SUBNET}\"")
    return net


def _service(name: str, spec: Any, file: Path, fail: Fail) -> Service:
    where = f"services.{name}"
    if not _NAME.match(name):
        raise fail(where, "a service's name is its host name: lower-case letters, digits and '-' "
                          "(not first or last), at most 63 (e.g. back, db-1)")
    spec = _table(spec, where, fail)
    _known_keys(spec, SERVICE_KEYS, where, fail)
    app = spec.get("app")
    if not isinstance(app, str) or not app:
        raise fail(f"{where}.app", "missing: the service's file, e.g. app = \"back.py\" (or a built .elf)")
    s = Service(name, (file.parent / app))
    if s.app.suffix not in (".py", ".elf"):
        raise fail(f"{where}.app", f"{app!r}: a service (.py) or a built image (.elf)")
    if not s.app.is_file():
        raise fail(f"{where}.app", f"{app!r}: no such file ({s.app})")
    s.memory = _int(spec, "memory", s.memory, 16, 1 << 20, where, fail)
    s.smp = _int(spec, "smp", s.smp, 1, 64, where, fail)
    s.address = _address(spec.get("address", ""), where, fail)
    s.publish = [_publish(p, f"{where}.publish[{i}]", fail) for i, p in enumerate(_list(spec, "publish", where, fail))]
    s.env = _env(spec.get("env", {}), f"{where}.env", fail)
    s.args = [_word(w, f"{where}.args[{i}]", fail) for i, w in enumerate(_list(spec, "args", where, fail))]
    for i, w in enumerate(s.args):
        if w.partition("=")[0] in RESERVED_WORDS:
            raise fail(f"{where}.args[{i}]", f"{w!r}: kaa up sets ip= and gw=; use `address` to choose one")
    s.restart = spec.get("restart", "no")
    if s.restart not in RESTARTS:
        raise fail(f"{where}.restart", f"{s.restart!r}: allowed: {', '.join(repr(r) for r in RESTARTS)}")
    return s


def _int(spec: dict[str, Any], key: str, default: int, low: int, high: int, where: str, fail: Fail) -> int:
    v = spec.get(key, default)
    if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high:
        raise fail(f"{where}.{key}", f"must be an integer from {low} to {high}, not {v!r}")
    return v


def _list(spec: dict[str, Any], key: str, where: str, fail: Fail) -> list[Any]:
    v = spec.get(key, [])
    if not isinstance(v, list):
        raise fail(f"{where}.{key}", f"must be a list (e.g. {key} = [...]), not {_kind(v)}")
    return v


def _address(v: Any, where: str, fail: Fail) -> str:
    if v == "" or v == "dhcp":
        return str(v)
    try:
        if not isinstance(v, str):
            raise ValueError(v)
        return str(ipaddress.IPv4Address(v))
    except ValueError:
        raise fail(f"{where}.address", f"{v!r}: an IPv4 address of the stack's subnet, or \"dhcp\"") from None


def _publish(v: Any, key: str, fail: Fail) -> Publish:
    m = _PUBLISH.match(v) if isinstance(v, str) else _PUBLISH.match(str(v)) if isinstance(v, int) else None
    if m is None:
        raise fail(key, f"{v!r}: write \"HOST:GUEST\" (127.0.0.1:HOST to the guest's GUEST), \"PORT\", "
                        "or \"HOST:GUEST/udp\"")
    guest = int(m.group(2))
    host = int(m.group(1) or guest)
    for port in (host, guest):
        if not 0 < port < 65536:
            raise fail(key, f"{v!r}: port {port} is not 1-65535")
    return Publish(host, guest, m.group(3) or "tcp")


def _env(v: Any, key: str, fail: Fail) -> dict[str, str]:
    if not isinstance(v, dict):
        raise fail(key, f"must be a table (env = {{ NAME = \"value\" }}), not {_kind(v)}")
    env: dict[str, str] = {}
    for name, value in v.items():
        if not _ENV_NAME.match(name):
            raise fail(f"{key}.{name}", "a setting's name is letters, digits and '_', not starting with a digit")
        if name in RESERVED_ENV or name in RESERVED_WORDS:
            raise fail(f"{key}.{name}", f"kaa up sets {name} itself (HOSTS: the stack's names, HOSTNAME: the "
                                        "service's, ip/gw: its address)")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise fail(f"{key}.{name}", f"must be a string or an integer, not {_kind(value)}")
        env[name] = _word(str(value), f"{key}.{name}", fail)
    return env


def _word(v: Any, key: str, fail: Fail) -> str:
    """One word of the kernel command line: words are split at spaces, and the line is text."""
    if not isinstance(v, str) or not v or any(c.isspace() for c in v) or not v.isprintable():
        raise fail(key, f"{v!r}: the kernel command line is words split at spaces; a value may hold "
                        "no space, tab or newline and may not be empty")
    return v


def _addresses(stack: Stack, fail: Fail) -> dict[str, str]:
    """Each service's address (dhcp services have none): the fixed ones checked, the
    others the next free host addresses, in the file's order."""
    net = stack.subnet
    dhcp = [s for s in stack.services if s.address == "dhcp"]
    if len(dhcp) > DHCP_POOL:
        raise fail("services", f"{len(dhcp)} services use dhcp; the gateway leases at most {DHCP_POOL}")
    if dhcp and net.num_addresses - 2 < 2 + DHCP_POOL + 1:
        raise fail("network.subnet", f"{net}: too small for dhcp (the gateway's {DHCP_POOL} leases); use /27 or larger")
    reserved = {gateway_address(net): "the gateway", net.network_address + 2: "the gateway's DNS address"}
    pool = dhcp_range(net) if dhcp else range(0)
    fixed: dict[ipaddress.IPv4Address, str] = {}
    for s in stack.services:
        if s.address in ("", "dhcp"):
            continue
        ip = ipaddress.IPv4Address(s.address)
        key = f"services.{s.name}.address"
        if ip not in net or ip in (net.network_address, net.broadcast_address):
            raise fail(key, f"{ip} is not a host address of the subnet {net}")
        if ip in reserved:
            raise fail(key, f"{ip} is {reserved[ip]}; take another address of {net}")
        if int(ip) in pool:
            raise fail(key, f"{ip} is in the DHCP pool ({dhcp_pool_text(net)}); take another address")
        if ip in fixed:
            raise fail(key, f"{ip} is also services.{fixed[ip]}.address")
        fixed[ip] = s.name
    free = (a for a in net.hosts() if a not in reserved and a not in fixed and int(a) not in pool)
    addresses: dict[str, str] = {}
    for s in stack.services:
        if s.address == "":
            ip = next(free, None)
            if ip is None:
                raise fail("network.subnet", f"{net} has no free address left for services.{s.name}")
            addresses[s.name] = str(ip)
        elif s.address != "dhcp":
            addresses[s.name] = s.address
    return addresses


def _check_ports(stack: Stack, fail: Fail) -> None:
    taken: dict[tuple[int, str], str] = {}
    for s in stack.services:
        for i, p in enumerate(s.publish):
            key = f"services.{s.name}.publish[{i}]"
            if (p.host, p.proto) in taken:
                raise fail(key, f"127.0.0.1:{p.host}/{p.proto} is also published by services.{taken[(p.host, p.proto)]}")
            taken[(p.host, p.proto)] = s.name
        if s.publish and s.address == "dhcp":
            raise fail(f"services.{s.name}.publish", "a published service needs a fixed address (not dhcp): "
                                                     "the gateway forwards to it before it leases one")


# ---- the plan -----------------------------------------------------------------------

def gateway_address(net: ipaddress.IPv4Network) -> ipaddress.IPv4Address:
    return net.network_address + 1


def dhcp_range(net: ipaddress.IPv4Network) -> range:
    """The gateway's leases as ints: the last DHCP_POOL host addresses of the subnet."""
    end = int(net.broadcast_address)
    return range(end - DHCP_POOL, end)


def dhcp_pool_text(net: ipaddress.IPv4Network) -> str:
    r = dhcp_range(net)
    return f"{ipaddress.IPv4Address(r.start)}-{ipaddress.IPv4Address(r.stop - 1)}"


@dataclass
class Guest:
    """One service as `kaa up` boots it."""
    service: Service
    address: str                    # "" for dhcp
    mac: str
    cmdline: list[str]


@dataclass
class Plan:
    stack: Stack
    guests: list[Guest]
    needs_gateway: bool

    def gateway_netdev(self) -> str:
        """QEMU's user-mode network (-netdev user) of the gateway: the subnet, the published
        ports (127.0.0.1 only) to their guests' addresses, DHCP from the pool, nothing out."""
        net = self.stack.subnet
        parts = ["user,id=gw,restrict=on", f"net={net}", f"host={gateway_address(net)}",
                 f"dns={net.network_address + 2}", f"dhcpstart={ipaddress.IPv4Address(dhcp_range(net).start)}"]
        for g in self.guests:
            for p in g.service.publish:
                parts.append(f"hostfwd={p.proto}:127.0.0.1:{p.host}-{g.address}:{p.guest}")
        return ",".join(parts)


def plan(stack: Stack) -> Plan:
    """What `kaa up` boots for a checked Stack (load() has raised on any mistake)."""
    addresses = _addresses(stack, lambda key, problem: StackError(f"{stack.file}: {key}: {problem}"))
    net = stack.subnet
    hosts = ",".join(f"{name}:{ip}" for name, ip in addresses.items())
    needs_gateway = any(s.publish or s.address == "dhcp" for s in stack.services)
    guests = []
    dhcp_count = 0
    for s in stack.services:
        ip = addresses.get(s.name, "")
        words = []
        if ip:
            words.append(f"ip={ip}/{net.prefixlen}")
            if needs_gateway:
                words.append(f"gw={gateway_address(net)}")
            mac = "52:54:" + ":".join(f"{b:02x}" for b in ipaddress.IPv4Address(ip).packed)
        else:
            dhcp_count += 1
            mac = f"52:56:00:00:00:{dhcp_count:02x}"
        words += [f"HOSTNAME={s.name}", f"HOSTS={hosts}"] if hosts else [f"HOSTNAME={s.name}"]
        words += [f"{k}={v}" for k, v in s.env.items()] + s.args
        guests.append(Guest(s, ip, mac, words))
    return Plan(stack, guests, needs_gateway)


def guest_config(g: Guest, image: Path, switch_socket: Path, accel: str) -> vm.VmConfig:
    """The guest's VM: its NIC (with its MAC) on a stream netdev to the stack's switch."""
    extra = ["-netdev", f"stream,id=n0,server=off,addr.type=unix,addr.path={switch_socket}",
             "-global", "virtio-mmio.force-legacy=false", "-device", f"virtio-net-device,netdev=n0,mac={g.mac}"]
    return vm.VmConfig(image, accel=accel, memory=g.service.memory, smp=g.service.smp,
                       cmdline=" ".join(g.cmdline), net="none", extra=extra)


def gateway_command(p: Plan, uplink_socket: Path) -> list[str]:
    """A QEMU with no machine: the user-mode network and a stream link to the switch's
    uplink, joined by a hub (a netdev's only peers are NICs and hub ports)."""
    return [vm.QEMU, "-M", "none", "-nodefaults", "-no-user-config", "-display", "none",
            "-netdev", f"stream,id=up,server=off,addr.type=unix,addr.path={uplink_socket}",
            "-netdev", p.gateway_netdev(),
            "-netdev", "hubport,id=hub-up,hubid=0,netdev=up", "-netdev", "hubport,id=hub-gw,hubid=0,netdev=gw"]
