"""`kaa up STACK.toml`: several services on one private network (kaa/deploy/up.py,
stack.py, switch.py).

Booted, end to end: examples/stack/stack.toml (its published port moved to a free one)
boots front and back; front answers through the forward on 127.0.0.1 with what it
fetched from back by name; Ctrl-C (or SIGTERM) stops everything (no QEMU left). A QEMU killed: front
(restart = "on-failure") boots again and answers, back (restart = "no") stops the stack
with its status. A dhcp service leases an address from the gateway's pool and calls back
by name, and its ending ends the stack with its status.

Without booting: the switch forwards frames as a learning switch, never floods the
gateway's uplink, and queues for a slow reader; stack files with mistakes get errors
naming the file, the key and what is allowed; the plan gives addresses, names and
forwards as documented.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from kaa.deploy import stack as kstack
from kaa.deploy import switch as kswitch
from kaa.deploy.switch import Switch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "stack"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- the switch, with sockets standing in for QEMU's stream netdevs -----------------

def mac(n: int) -> bytes:
    return bytes([0x52, 0x54, 0, 0, 0, n])


BROADCAST = b"\xff" * 6


def frame(dst: bytes, src: bytes, payload: bytes = b"x" * 46) -> bytes:
    return dst + src + b"\x08\x00" + payload


class FakeNic:
    """One end of a stream netdev: frames with QEMU's 4-byte big-endian length."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(path))
        self.buf = b""

    def send(self, f: bytes) -> None:
        self.sock.sendall(struct.pack(">I", len(f)) + f)

    def frames(self, count: int | None = None, wait: float = 0.3) -> list[bytes]:
        """count frames (waiting up to 10 s), or all that come within `wait` seconds."""
        out: list[bytes] = []
        deadline = time.monotonic() + (10 if count is not None else wait)
        while (count is None or len(out) < count) and time.monotonic() < deadline:
            while len(self.buf) >= 4 and len(self.buf) >= 4 + struct.unpack(">I", self.buf[:4])[0]:
                n = struct.unpack(">I", self.buf[:4])[0]
                out.append(self.buf[4:4 + n])
                self.buf = self.buf[4 + n:]
            if count is not None and len(out) >= count:
                break
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(1 << 20)
            except TimeoutError:
                break
            if not data:
                break
            self.buf += data
        return out


@pytest.fixture
def switch(tmp_path: Path) -> Iterator[Switch]:
    sw = Switch(tmp_path)
    sw.start()
    yield sw
    sw.close()


def connected(sw: Switch, *uplink: bool) -> list[FakeNic]:
    nics = [FakeNic(sw.uplink_path if up else sw.guests_path) for up in uplink]
    deadline = time.monotonic() + 5
    while len(sw.ports) < len(nics) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(sw.ports) == len(nics)
    return nics


def test_the_switch_learns_and_keeps_foreign_frames_from_the_uplink(switch: Switch) -> None:
    a, b, up = connected(switch, False, False, True)
    hello = frame(BROADCAST, mac(1), b"who has")
    a.send(hello)
    assert b.frames(1) == [hello] and up.frames(1) == [hello] and a.frames() == []
    # b's address is unknown yet: the other guests get it, the gateway never does
    to_b = frame(mac(2), mac(1), b"to b")
    a.send(to_b)
    assert b.frames(1) == [to_b] and up.frames() == []
    # the gateway speaks: its address is learned on the uplink
    from_gw = frame(mac(1), b"\x52\x55\x0a\x00\x09\x01", b"syn-ack")
    up.send(from_gw)
    assert a.frames(1) == [from_gw] and b.frames() == []
    to_gw = frame(b"\x52\x55\x0a\x00\x09\x01", mac(1), b"ack")
    a.send(to_gw)
    assert up.frames(1) == [to_gw] and b.frames() == []
    b.send(frame(mac(1), mac(2), b"reply"))
    assert a.frames(1) == [frame(mac(1), mac(2), b"reply")] and up.frames() == []


def test_a_port_that_goes_is_forgotten(switch: Switch) -> None:
    a, b, c = connected(switch, False, False, False)
    b.send(frame(BROADCAST, mac(2)))
    a.frames(1), c.frames(1)
    b.sock.close()
    deadline = time.monotonic() + 5
    while len(switch.ports) > 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert mac(2) not in switch.table
    a.send(frame(mac(2), mac(1), b"anyone?"))      # unknown again: flooded to the guests left
    assert c.frames(1) == [frame(mac(2), mac(1), b"anyone?")]


def test_a_slow_reader_gets_every_frame_in_order(switch: Switch) -> None:
    a, b = connected(switch, False, False)
    b.send(frame(BROADCAST, mac(2)))
    a.frames(1)
    sent = [frame(mac(2), mac(1), i.to_bytes(4, "big") * 350) for i in range(2000)]   # 2.8 MB
    def send_all() -> None:
        for f in sent:
            a.send(f)

    writer = threading.Thread(target=send_all)
    writer.start()
    time.sleep(0.5)                 # b reads nothing meanwhile: the switch queues
    got = b.frames(2000)
    writer.join()
    assert len(got) == 2000 and got == sent


def test_beyond_the_backlog_frames_are_dropped_and_the_switch_goes_on(switch: Switch,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kswitch, "MAX_BACKLOG", 64 << 10)
    a, b, c = connected(switch, False, False, False)
    b.send(frame(BROADCAST, mac(2)))
    c.send(frame(BROADCAST, mac(3)))
    assert len(a.frames(2)) == 2 and len(b.frames(1)) == 1 and len(c.frames(1)) == 1
    for i in range(3000):           # 4.2 MB for b, which does not read: more than its socket and backlog hold
        a.send(frame(mac(2), mac(1), i.to_bytes(4, "big") * 350))
    a.send(frame(mac(3), mac(1), b"still there"))
    assert c.frames(1)[0] == frame(mac(3), mac(1), b"still there")
    port_b = switch.table[mac(2)]
    assert port_b.dropped > 0
    got = b.frames(3000 - port_b.dropped)
    assert len(got) == 3000 - port_b.dropped
    numbers = [int.from_bytes(f[14:18], "big") for f in got]
    assert numbers == sorted(numbers) and numbers[0] == 0     # dropped from the tail, never reordered


# ---- stack files --------------------------------------------------------------------

def load_text(tmp_path: Path, text: str) -> kstack.Stack:
    (tmp_path / "a.py").write_text("print('a')\n")
    (tmp_path / "b.py").write_text("print('b')\n")
    f = tmp_path / "stack.toml"
    f.write_text(text)
    return kstack.load(f)


BAD_FILES = [
    ("[services.a]\napp = \"a.py\"\nmemroy = 64\n", "services.a.memroy: unknown key; allowed here: app, memory, smp, "
                                                     "address, publish, env, args, restart"),
    ("[services.a]\napp = 'a.py'\n[servces.b]\n", "servces: unknown key; allowed here: network, services"),
    ("[network]\nsubnet = '10.0.9.0/24'\n", "services: missing: add a table [services.NAME] for each service"),
    ("[services]\n", "services: no services: add a table [services.NAME]"),
    ("services = 3\n", "services: must be a table, not an integer"),
    ("[services.a]\nmemory = 64\n", "services.a.app: missing: the service's file"),
    ("[services.a]\napp = 'nope.py'\n", "services.a.app: 'nope.py': no such file"),
    ("[services.a]\napp = 'a.txt'\n", "services.a.app: 'a.txt': a service (.py) or a built image (.elf)"),
    ("[services.Front]\napp = 'a.py'\n", "services.Front: a service's name is its host name: lower-case letters"),
    ("[services.a]\napp = 'a.py'\nmemory = '64'\n", "services.a.memory: must be an integer from 16 to 1048576, not '64'"),
    ("[services.a]\napp = 'a.py'\nsmp = 0\n", "services.a.smp: must be an integer from 1 to 64, not 0"),
    ("[services.a]\napp = 'a.py'\npublish = '8080:80'\n", "services.a.publish: must be a list"),
    ("[services.a]\napp = 'a.py'\npublish = ['8080:80', 'http']\n", "services.a.publish[1]: 'http': write \"HOST:GUEST\""),
    ("[services.a]\napp = 'a.py'\npublish = ['70000:80']\n", "services.a.publish[0]: '70000:80': port 70000 is not 1-65535"),
    ("[services.a]\napp = 'a.py'\npublish = ['8080:80']\n[services.b]\napp = 'b.py'\npublish = ['8080:81']\n",
     "services.b.publish[0]: 127.0.0.1:8080/tcp is also published by services.a"),
    ("[services.a]\napp = 'a.py'\nenv = { 'bad name' = 'x' }\n", "services.a.env.bad name: a setting's name is letters"),
    ("[services.a]\napp = 'a.py'\nenv = { X = 'two words' }\n", "services.a.env.X: 'two words': the kernel command line "
                                                               "is words split at spaces"),
    ("[services.a]\napp = 'a.py'\nenv = { X = 1.5 }\n", "services.a.env.X: must be a string or an integer, not a number"),
    ("[services.a]\napp = 'a.py'\nenv = { HOSTS = 'x:1.2.3.4' }\n", "services.a.env.HOSTS: kaa up sets HOSTS itself"),
    ("[services.a]\napp = 'a.py'\nargs = ['ip=10.0.0.5/24']\n", "services.a.args[0]: 'ip=10.0.0.5/24': kaa up sets ip= "
                                                               "and gw=; use `address`"),
    ("[services.a]\napp = 'a.py'\nrestart = 'sometimes'\n", "services.a.restart: 'sometimes': allowed: 'no', "
                                                            "'on-failure', 'always'"),
    ("[network]\nsubnet = '10.0.9.1/24'\n[services.a]\napp = 'a.py'\n", "network.subnet: '10.0.9.1/24' is not an IPv4 "
                                                                       "network like \"10.0.9.0/24\""),
    ("[network]\nsubnet = '10.0.9.0/30'\n[services.a]\napp = 'a.py'\n", "network.subnet: '10.0.9.0/30': the prefix "
                                                                       "must be /8 to /29"),
    ("[network]\nsubnet = 'x'\n[services.a]\napp = 'a.py'\n", "network.subnet: 'x' is not an IPv4 network"),
    ("[network]\nsubnet = '10.0.9.0/29'\n[services.a]\napp = 'a.py'\naddress = 'dhcp'\n",
     "network.subnet: 10.0.9.0/29: too small for dhcp"),
    ("[services.a]\napp = 'a.py'\naddress = '10.0.8.5'\n", "services.a.address: 10.0.8.5 is not a host address of the "
                                                           "subnet 10.0.9.0/24"),
    ("[services.a]\napp = 'a.py'\naddress = '10.0.9.1'\n", "services.a.address: 10.0.9.1 is the gateway"),
    ("[network]\nsubnet = '127.0.0.0/8'\n[services.a]\napp = 'a.py'\n", "network.subnet: '127.0.0.0/8' is a "
                                                                       "special-purpose range; use a private one"),
    ("[services.a]\napp = 'a.py'\naddress = 5\n", "services.a.address: 5: an IPv4 address of the stack's subnet"),
    ("[services.a]\napp = 'a.py'\naddress = 'ten'\n", "services.a.address: 'ten': an IPv4 address of the stack's subnet, "
                                                      "or \"dhcp\""),
    ("[services.a]\napp = 'a.py'\naddress = '10.0.9.9'\n[services.b]\napp = 'b.py'\naddress = '10.0.9.9'\n",
     "services.b.address: 10.0.9.9 is also services.a.address"),
    ("[services.a]\napp = 'a.py'\naddress = '10.0.9.250'\n[services.b]\napp = 'b.py'\naddress = 'dhcp'\n",
     "services.a.address: 10.0.9.250 is in the DHCP pool (10.0.9.239-10.0.9.254)"),
    ("[services.a]\napp = 'a.py'\naddress = 'dhcp'\npublish = ['8080:80']\n",
     "services.a.publish: a published service needs a fixed address (not dhcp)"),
    ("[network]\nsubnet = '10.0.9.0/29'\n[services.a]\napp = 'a.py'\n[services.b]\napp = 'b.py'\n"
     "[services.c]\napp = 'a.py'\n[services.d]\napp = 'b.py'\n[services.e]\napp = 'a.py'\n",
     "network.subnet: 10.0.9.0/29 has no free address left for services.e"),
    ("[services.a\napp = 'a.py'\n", "not valid TOML: "),
]


@pytest.mark.parametrize("text,message", BAD_FILES)
def test_a_bad_stack_file_is_named_with_the_key_and_what_is_allowed(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(kstack.StackError) as e:
        load_text(tmp_path, text)
    assert str(e.value).startswith(f"{tmp_path / 'stack.toml'}: "), str(e.value)
    assert message in str(e.value)


def test_kaa_up_reports_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("print('a')\n")
    (tmp_path / "s.toml").write_text("[services.a]\napp = 'a.py'\nrestart = 'never'\n")
    for args, message in [([str(tmp_path / "s.toml")], "services.a.restart: 'never': allowed: 'no', 'on-failure'"),
                          ([str(tmp_path / "none.toml")], f"{tmp_path / 'none.toml'}: no such file")]:
        r = subprocess.run([sys.executable, "-m", "kaa", "up", *args], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert r.stderr.startswith("kaa: ")


def test_a_taken_port_is_refused_before_anything_boots(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (tmp_path / "s.toml").write_text(f"[services.a]\napp = '{ROOT / 'examples' / 'hello.py'}'\n"
                                         f"publish = ['{port}:80']\n")
        r = subprocess.run([sys.executable, "-m", "kaa", "up", str(tmp_path / "s.toml")], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr
    assert f"services.a.publish[0]: 127.0.0.1:{port}/tcp cannot be taken (Address already in use)" in r.stderr


def test_the_plan_of_the_example(tmp_path: Path) -> None:
    stack = kstack.load(EXAMPLE / "stack.toml")
    p = kstack.plan(stack)
    back, front = p.guests
    net = ipaddress.IPv4Network("10.0.9.0/24")
    # the gateway takes the first host address, its DNS the second; services follow in order
    assert (back.address, front.address) == (str(net.network_address + 3), str(net.network_address + 4))
    assert front.cmdline == ["ip=10.0.9.4/24", "gw=10.0.9.1", "HOSTNAME=front", "HOSTS=back:10.0.9.3,front:10.0.9.4",
                             "BACK_URL=http://back/"]
    assert back.cmdline[:4] == ["ip=10.0.9.3/24", "gw=10.0.9.1", "HOSTNAME=back", "HOSTS=back:10.0.9.3,front:10.0.9.4"]
    assert (back.mac, front.mac) == ("52:54:0a:00:09:03", "52:54:0a:00:09:04")
    assert p.needs_gateway
    netdev = p.gateway_netdev().split(",")
    assert {"user", "restrict=on", "net=10.0.9.0/24", "host=10.0.9.1", "hostfwd=tcp:127.0.0.1:8080-10.0.9.4:80"} \
        <= set(netdev)


def test_addresses_fixed_automatic_and_dhcp(tmp_path: Path) -> None:
    stack = load_text(tmp_path, "[network]\nsubnet = '192.168.50.0/26'\n"
                                "[services.a]\napp = 'a.py'\n"
                                "[services.b]\napp = 'b.py'\naddress = '192.168.50.3'\n"
                                "[services.c]\napp = 'a.py'\naddress = 'dhcp'\n"
                                "[services.d]\napp = 'b.py'\naddress = 'dhcp'\npublish = []\n"
                                "[services.e]\napp = 'a.py'\nargs = ['netstat']\nenv = { N = 3 }\n")
    p = kstack.plan(stack)
    got = {g.service.name: g.address for g in p.guests}
    assert got == {"a": "192.168.50.4", "b": "192.168.50.3", "c": "", "d": "", "e": "192.168.50.5"}
    assert len({g.mac for g in p.guests}) == 5
    c = p.guests[2]
    assert c.cmdline == ["HOSTNAME=c", "HOSTS=a:192.168.50.4,b:192.168.50.3,e:192.168.50.5"]
    assert p.guests[4].cmdline[-2:] == ["N=3", "netstat"]
    # the last 16 addresses are the DHCP pool: 192.168.50.47-62 in a /26
    assert "dhcpstart=192.168.50.47" in p.gateway_netdev().split(",")


def test_no_gateway_when_nothing_is_published_and_nobody_uses_dhcp(tmp_path: Path) -> None:
    p = kstack.plan(load_text(tmp_path, "[services.a]\napp = 'a.py'\n[services.b]\napp = 'b.py'\n"))
    assert not p.needs_gateway and all(not w.startswith("gw=") for g in p.guests for w in g.cmdline)


# ---- booted --------------------------------------------------------------------------

class Up:
    """`kaa up FILE` running; its stdout and stderr lines collected by threads."""

    def __init__(self, file: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "kaa", "up", str(file)], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(s, lines), daemon=True)
                        for s, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self.readers:
            t.start()

    def _read(self, stream: object, lines: list[str]) -> None:
        for line in stream:                 # type: ignore[attr-defined]
            with self.changed:
                lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, pattern: str, where: str = "out", timeout: float = 300, nth: int = 1) -> str:
        """The nth line matching pattern (a regex) on stdout or stderr, waiting for it."""
        rx = re.compile(pattern)
        lines = self.out if where == "out" else self.err
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [ln for ln in lines if rx.search(ln)]
                if len(found) >= nth:
                    return found[nth - 1]
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not any(t.is_alive() for t in self.readers)):
                    raise AssertionError(f"no line matching {pattern!r}\nstdout:\n" + "\n".join(self.out) +
                                         "\nstderr:\n" + "\n".join(self.err))
                self.changed.wait(min(left, 0.5))

    def qemus(self) -> dict[str, int]:
        """The running QEMUs kaa up started: {service name (or "gateway"): pid}."""
        found: dict[str, int] = {}
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for pid in map(int, children):
                try:
                    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                if not argv[0].endswith(b"qemu-system-x86_64"):
                    continue
                name = next((w[9:].decode() for a in argv for w in a.split() if w.startswith(b"HOSTNAME=")), "gateway")
                found[name] = pid
        return found

    def wait(self, timeout: float = 30) -> int:
        rc = self.proc.wait(timeout)
        for t in self.readers:
            t.join(5)
        return rc

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def example_stack(tmp_path: Path, port: int) -> Path:
    """examples/stack/stack.toml, its apps named by absolute path and front published on port."""
    text = (EXAMPLE / "stack.toml").read_text()
    assert '"8080:80"' in text and 'app = "back.py"' in text and 'app = "front.py"' in text
    text = text.replace('"8080:80"', f'"{port}:80"')
    for app in ("back.py", "front.py"):
        text = text.replace(f'app = "{app}"', f'app = "{EXAMPLE / app}"')
    tomllib.loads(text)
    f = tmp_path / "stack.toml"
    f.write_text(text)
    return f


def get(url: str, method: str = "GET") -> tuple[int, dict[str, object]]:
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def wait_serving(up: Up, *names: str) -> None:
    for name in names:
        up.wait_for(rf"^{name}\s*\| kaa\.web: serving on port 80$")


@pytest.mark.booted
@pytest.mark.parametrize("signum,status,said", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_front_calls_back_by_name_through_the_forward_and_a_signal_stops_all(tmp_path: Path, signum: int,
                                                                             status: int, said: str) -> None:
    port = free_port()
    up = Up(example_stack(tmp_path, port))
    try:
        wait_serving(up, "back", "front")
        code, first = get(f"http://127.0.0.1:{port}/")
        assert code == 200 and first["host"] == "front", first
        back = first["back"]
        assert isinstance(back, dict) and back["host"] == "back" and back["stock"] == {"tea": 12, "kettle": 3}
        code, bought = get(f"http://127.0.0.1:{port}/buy/kettle", "POST")
        assert code == 200 and bought["back"] == {"host": "back", "served": back["served"] + 1, "item": "kettle",
                                                    "left": 2}
        code, again = get(f"http://127.0.0.1:{port}/")          # the back's state, seen through the front
        assert again["back"] == {"host": "back", "served": back["served"] + 2, "stock": {"tea": 12, "kettle": 2}}
        assert get(f"http://127.0.0.1:{port}/buy/spoon", "POST") == (409, {"detail": "no spoon left"})
        qemus = up.qemus()
        assert set(qemus) == {"gateway", "front", "back"}
        up.proc.send_signal(signum)
        assert up.wait() == status
    finally:
        up.close()
    assert not [pid for pid in qemus.values() if alive(pid)]
    assert f"kaa up: stopped ({said})" in up.err
    assert "front | POST /buy/kettle 200" in up.out             # the log, multiplexed by name
    assert any(re.fullmatch(r"back  \| net: virtio-net 52:54:0a:00:09:03 10\.0\.9\.3/24; .*", ln) for ln in up.out)


@pytest.mark.booted
def test_a_dead_guest_is_restarted_or_stops_the_stack(tmp_path: Path) -> None:
    port = free_port()
    up = Up(example_stack(tmp_path, port))
    try:
        wait_serving(up, "back", "front")
        assert get(f"http://127.0.0.1:{port}/buy/tea", "POST")[1]["back"]["left"] == 11     # type: ignore[index]
        first = up.qemus()
        os.kill(first["front"], signal.SIGKILL)             # front: restart = "on-failure"
        up.wait_for(r"^kaa up: front ended: QEMU killed by signal 9", "err")
        up.wait_for(r'^kaa up: front: restart = "on-failure": booting again in 0.5 s', "err")
        # (a connection made while front is down would wait for the gateway's SYN retransmission)
        up.wait_for(r"^front\s*\| kaa\.web: serving on port 80$", nth=2, timeout=60)
        status, answer = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and answer["back"]["stock"]["tea"] == 11       # type: ignore[index]
        second = up.qemus()
        assert second["front"] != first["front"] and second["back"] == first["back"]
        os.kill(second["back"], signal.SIGKILL)             # back: restart = "no"
        assert up.wait() == 128 + 9
    finally:
        up.close()
    assert "kaa up: back ended: QEMU killed by signal 9" in "\n".join(up.err)
    assert "kaa up: stopping the stack" in up.err
    assert not [pid for pid in second.values() if alive(pid)]


CALLER = """\
import socket
import time

from kaa import web

for attempt in range(100):              # back may still be booting
    try:
        r = web.get("http://back/stock", timeout=5)
        break
    except OSError:
        time.sleep(0.1)
print("caller got", r.status, r.json()["host"], "at", socket.gethostbyname("back"))
"""


@pytest.mark.booted
def test_a_dhcp_service_calls_back_by_name_and_its_end_ends_the_stack(tmp_path: Path) -> None:
    (tmp_path / "caller.py").write_text(CALLER)
    f = tmp_path / "stack.toml"
    f.write_text(f"[network]\nsubnet = '172.30.7.0/24'\n"
                 f"[services.back]\napp = '{EXAMPLE / 'back.py'}'\nmemory = 64\n"
                 f"[services.caller]\napp = 'caller.py'\naddress = 'dhcp'\nmemory = 64\n")
    up = Up(f)
    try:
        assert up.wait(timeout=400) == 0
    finally:
        up.close()
    assert "caller | caller got 200 back at 172.30.7.3" in up.out, up.out + up.err
    lease = up.wait_for(r"^caller \| net: virtio-net 52:56:00:00:00:01 ")
    address = ipaddress.IPv4Address(lease.split()[5].split("/")[0])
    assert "(dhcp)" in lease and int(address) in kstack.dhcp_range(ipaddress.IPv4Network("172.30.7.0/24"))
    assert "kaa up: caller ended: status 0" in "\n".join(up.err)
