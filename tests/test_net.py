"""The network, booted: UDP echo through port forwards (virtio-mmio, virtio-pci, e1000),
ping and arping over a tap in a network namespace, a pcap that tshark reads cleanly,
and malformed frames that the guest drops, counts and survives.

Traffic goes only to 127.0.0.1 (QEMU's user networking) or to a tap inside a network
namespace each test creates and deletes; nothing is routed anywhere else.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from guest import Guest, LossyLink, NetNamespace
from kaa.bench.machine import free_port
from kaa import build, vm

pytestmark = pytest.mark.booted
ROOT = Path(__file__).resolve().parent.parent
needs_root_net = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                                    reason="network namespaces need root and iproute2")


def free_udp_port() -> int:
    return free_port(socket.SOCK_DGRAM)


def echo_exchange(port: int, count: int, seed: int) -> None:
    """count datagrams of random sizes up to 1472 bytes, each answered byte for byte."""
    rng = random.Random(seed)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        for i in range(count):
            payload = rng.randbytes(rng.randint(1, 1472))
            for attempt in range(5):    # UDP: a datagram lost on the way is sent again
                s.sendto(payload, ("127.0.0.1", port))
                try:
                    reply, _ = s.recvfrom(2048)
                except TimeoutError:
                    continue
                assert reply == payload, f"datagram {i}: wrong echo"
                break
            else:
                raise AssertionError(f"datagram {i} never came back")


@pytest.mark.parametrize("machine,nic", [("microvm", "virtio"), ("q35", "virtio"), ("q35", "e1000"),
                                         ("pc", "e1000")])
def test_udp_echo_through_port_forward(machine: str, nic: str) -> None:
    port = free_udp_port()
    with Guest("examples/udp_echo.py", "--machine", machine, "--nic", nic, "-p", f"{port}:5555/udp") as g:
        g.wait_for(r"udp echo: listening on port 5555")
        echo_exchange(port, 1000, seed=port)


class QemuGuest:
    """A guest booted from a VmConfig, for QEMU device flags `kaa run` has no option for
    (the virtio variants below); console lines in .lines, QEMU stopped on leaving."""

    def __init__(self, cfg: "vm.VmConfig"):
        self.cmd = vm.qemu_command(cfg)
        self.lines: list[str] = []

    def __enter__(self) -> "QemuGuest":
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace")
        self.reader = threading.Thread(target=lambda: self.lines.extend(ln.rstrip() for ln in self.proc.stdout),
                                       daemon=True)
        self.reader.start()
        return self

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ln in list(self.lines):
                if m := re.search(pattern, ln):
                    return m
            if self.proc.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"no console line matching {pattern!r}:\n" + "\n".join(self.lines))

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(5)


# virtio transports and modes `kaa run` does not attach: (machine, QEMU flags for the
# NIC on netdev n0, what the driver's boot line must say).
VIRTIO_VARIANTS = {
    "q35-virtio-pci-legacy": ("q35", ["-device", "virtio-net-pci,netdev=n0,disable-modern=on"],
                              r"pci legacy intx; mrg_rxbuf event_idx$"),
    "microvm-virtio-mmio-legacy": ("microvm", ["-global", "virtio-mmio.force-legacy=true",
                                               "-device", "virtio-net-device,netdev=n0"],
                                   r"mmio legacy; mrg_rxbuf event_idx$"),
    "q35-virtio-pci-intx": ("q35", ["-device", "virtio-net-pci,netdev=n0,disable-legacy=on,vectors=0"],
                            r"pci modern intx; mrg_rxbuf event_idx$"),
    "microvm-no-event-idx": ("microvm", ["-global", "virtio-mmio.force-legacy=false",
                                         "-device", "virtio-net-device,netdev=n0,event_idx=off"],
                             r"mmio modern; mrg_rxbuf$"),
}


@pytest.mark.parametrize("variant", list(VIRTIO_VARIANTS))
def test_udp_echo_on_virtio_variants(variant: str) -> None:
    """The same 1000-datagram echo on the legacy transports (virtio-pci's I/O-port
    registers, virtio-mmio version 1), on INTx instead of MSI-X, and with the flags
    instead of EVENT_IDX suppressing notifications and interrupts. QEMU's user network
    offers no CSUM (no vnet headers behind it): the boot line shows it is off."""
    machine, device, features = VIRTIO_VARIANTS[variant]
    port = free_udp_port()
    image = build.build(ROOT / "examples" / "udp_echo.py")
    cfg = vm.VmConfig(image, machine=machine, net="none",
                      extra=["-netdev", f"user,id=n0,hostfwd=udp:127.0.0.1:{port}-:5555", *device])
    with QemuGuest(cfg) as g:
        g.wait_for(r"udp echo: listening on port 5555")
        assert re.search(features, g.wait_for(r"^net: virtio-net .*").group(0)), g.lines
        echo_exchange(port, 1000, seed=port)


def test_pcap_reads_cleanly(tmp_path: Path) -> None:
    if shutil.which("tshark") is None and not os.environ.get("CI"):
        pytest.skip("needs tshark (make test installs it)")
    port = free_udp_port()
    pcap = tmp_path / "run.pcap"
    with Guest("examples/udp_echo.py", "-p", f"{port}:5555/udp", "--pcap", str(pcap)) as g:
        g.wait_for(r"udp echo: listening")
        echo_exchange(port, 50, seed=7)
    # Random payloads are plain data, not whatever protocol a heuristic dissector guesses.
    decode = ["-d", "udp.port==5555,data"]
    out = subprocess.run(["tshark", "-r", str(pcap), *decode, "-o", "ip.check_checksum:TRUE",
                          "-o", "udp.check_checksum:TRUE", "-Y", "_ws.malformed || _ws.expert.severity >= warning",
                          "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout
    frames = subprocess.run(["tshark", "-r", str(pcap), *decode], capture_output=True, text=True).stdout
    assert "DHCP ACK" in frames and frames.count("→ 5555") >= 50 and frames.count("5555 →") >= 50


def netstat(lines: list[str]) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for ln in lines if (m := re.match(r"\s+(\w+)\s+(\d+)$", ln))}


@needs_root_net
def test_ping_and_arping_over_a_tap() -> None:
    with NetNamespace("kaa-ping") as ns:
        with Guest("examples/udp_echo.py", "--net", "tap", "--tap", ns.tap, netns=ns.name,
                   cmdline=("ip=10.0.3.2/24",)) as g:
            g.wait_for(r"udp echo: listening")
            ping = ns.run("ping", "-c", "20", "-i", "0.05", "-W", "2", "10.0.3.2", check=False)
            assert " 20 received" in ping.stdout, ping.stdout
            arping = ns.run("arping", "-c", "3", "-w", "10", "-I", ns.tap, "10.0.3.2", check=False)
            assert re.search(r"Received [1-9]\d* response", arping.stdout), arping.stdout
            assert "52:54:00:12:34:56" in arping.stdout.lower()


@needs_root_net
def test_malformed_frames_are_dropped_and_counted() -> None:
    """Every frame that reaches the guest is accounted for exactly: dropped under one
    counter, or taken by the stack (our pings, our one datagram, ARP for the guest)."""
    with NetNamespace("kaa-fuzz") as ns:
        # A quiet link: without IPv6 the namespace's side sends nothing on its own
        # (no router solicitations, MLD reports or DAD probes), so every frame is ours.
        ns.run("sysctl", "-q", "-w", f"net.ipv6.conf.{ns.tap}.disable_ipv6=1", check=False)  # fails: no IPv6 at all
        with Guest("examples/udp_echo.py", "--net", "tap", "--tap", ns.tap, netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "count=1", "netstat")) as g:
            g.wait_for(r"udp echo: listening")
            ns.run("ping", "-c", "1", "-W", "5", "10.0.3.2")     # the guest knows our MAC now
            sent = json.loads(ns.run(sys.executable, str(ROOT / "tests" / "net_tools" / "send_malformed.py"),
                                     ns.tap, "52:54:00:12:34:56", "10.0.3.2", ns.host_ip).stdout)
            ping = ns.run("ping", "-c", "5", "-i", "0.1", "-W", "2", "10.0.3.2", check=False)
            assert " 5 received" in ping.stdout, ping.stdout
            # One valid datagram ends the service, which prints its counters. Its echo is
            # read, so no port-unreachable goes back to a guest that no longer reads.
            ns.run(sys.executable, "-c", "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                   "s.settimeout(30); s.sendto(b'bye', ('10.0.3.2', 5555)); assert s.recv(64) == b'bye'")
            g.wait_for(r"tx_too_big", timeout=60)
            tap = json.loads(ns.run("ip", "-s", "-j", "link", "show", "dev", ns.tap).stdout)[0]["stats64"]["tx"]
        c = netstat(g.lines)
        device_drops = int(re.search(r"dropped (\d+);", next(ln for ln in g.lines if " rx " in ln)).group(1))
        # Each kind lands where it should (random bytes may add to any of these).
        assert c["ip_bad_checksum"] >= sent["ip_bad_checksum"]
        assert c["udp_bad_checksum"] >= sent["udp_bad_checksum"]
        assert c["ip_fragments"] >= sent["ip_fragments"]
        assert c["ip_bad_header"] + c["ip_short"] >= sent["ip_bad_ihl"] + sent["truncated_ip"] \
            + sent["ip_total_length_too_big"]
        # QEMU pads frames shorter than 60 bytes with zeros: a truncated header arrives
        # as a frame for another MAC or of an unknown type.
        assert c["rx_short"] + c["rx_not_for_us"] + c["rx_bad_ethertype"] >= sent["truncated_ethernet"]
        assert c["udp_bad_length"] >= sent["udp_bad_length"]
        assert c["icmp_bad"] >= sent["icmp_bad_checksum"]
        assert c["arp_not_for_us"] >= sent["broadcast_storm"]
        # Conservation, exact. Every frame the stack saw ends under one counter...
        assert c["rx_frames"] == sum(c[k] for k in ("rx_short", "rx_not_for_us", "rx_bad_ethertype", "arp_bad",
                                                     "arp_rx", "ip_short", "ip_bad_checksum", "ip_bad_header",
                                                     "ip_fragments", "ip_not_for_us", "ip_rx")), c
        assert c["ip_rx"] == sum(c[k] for k in ("ip_unknown_protocol", "icmp_bad", "icmp_other", "icmp_ignored",
                                                 "icmp_echo_replies", "udp_rx", "udp_bad_length", "udp_bad_checksum",
                                                 "udp_no_socket", "udp_queue_full", "tcp_rx", "tcp_bad_header",
                                                 "tcp_bad_checksum", "tcp_bad_options", "tcp_bad_address")), c
        # ...every frame QEMU read from the tap reached the stack or the device's drop count...
        assert tap["packets"] == c["rx_frames"] + device_drops, (tap, c, device_drops)
        # ...and those frames are exactly what we sent: the malformed ones (less any the
        # tap itself dropped, counted there), 6 pings, 1 datagram, and our ARP for the guest.
        assert c["icmp_echo_replies"] == 6 and c["udp_rx"] == 1, c
        ours = sum(sent.values()) + 6 + 1 + c["arp_rx"] - c["arp_not_for_us"]
        assert tap["packets"] + tap["dropped"] == ours, (tap, sent, c)


@needs_root_net
def test_lossy_link_fixture() -> None:
    """The relay drops, reorders and duplicates frames; pings still get through, some lost."""
    with NetNamespace("kaa-loss") as ns, LossyLink(ns, loss=0.1, reorder=0.05, duplicate=0.05) as link:
        with Guest("examples/udp_echo.py", *link.kaa_args, netns=ns.name, cmdline=("ip=10.0.3.2/24",)) as g:
            g.wait_for(r"udp echo: listening")
            ping = ns.run("ping", "-c", "40", "-i", "0.05", "-W", "1", "10.0.3.2", check=False)
    received = int(re.search(r"(\d+) received", ping.stdout).group(1))
    assert 10 <= received < 40, ping.stdout
    for direction in ("to_host", "to_guest"):
        assert link.counts[direction]["dropped"] > 0
    assert sum(link.counts[d]["reordered"] + link.counts[d]["duplicated"] for d in link.counts) > 0


def test_transitional_virtio_pci(tmp_path: Path) -> None:
    """QEMU's default virtio-net-pci (legacy ID, modern capabilities) is found and works."""
    from kaa import build, vm
    image = build.build(ROOT / "tests" / "kernel" / "nic_arp.py")
    out = tmp_path / "console"
    with open(out, "wb") as f:
        status = vm.run(vm.VmConfig(image, machine="q35", net="none", cmdline="idle",
                                    extra=["-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0"]),
                        timeout=60, out=f)
    assert status == 0, out.read_text()
    assert "gateway 52:55:0a:00:02:02" in out.read_text()


# --- virtio-net offloads over a tap: CSUM, GUEST_CSUM, MRG_RXBUF ----------------------

TX_CHECKSUM_OFF = """
import array, fcntl, socket, struct, sys
SIOCETHTOOL, ETHTOOL_STXCSUM = 0x8946, 0x17             # ethtool -K DEV tx off, without ethtool
data = array.array("B", struct.pack("II", ETHTOOL_STXCSUM, 0))
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s, SIOCETHTOOL, struct.pack("16sP", sys.argv[1].encode(), data.buffer_info()[0]))
"""

UDP_CLIENT = """
import json, random, socket, sys
host, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng, ok = random.Random(seed), 0
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.settimeout(5)
    for i in range(count):
        payload = rng.randbytes(rng.choice([1, 2, 3, 17, 1471, 1472, rng.randint(1, 1472)]))
        s.sendto(payload, (host, 5555))
        ok += s.recvfrom(2048)[0] == payload
print(json.dumps({"ok": ok}))
"""

TCP_STATIC_CLIENT = """
import hashlib, socket, sys
with socket.create_connection((sys.argv[1], 9), timeout=60) as s:
    s.sendall(sys.argv[2].encode() + b" static\\n")
    h, n = hashlib.sha256(), 0
    while chunk := s.recv(1 << 20):
        h.update(chunk)
        n += len(chunk)
print(n, h.hexdigest())
"""


class RoutedPeer:
    """A second namespace (10.0.4.2) routed through the tap's (10.0.3.1) over a veth pair
    whose ends do not offload transmit checksums, captured by dumpcap in the peer.

    A frame the guest sends with NEEDS_CSUM reaches Linux as a partial checksum; as it
    forwards it to a device without checksum offload, Linux completes it in software
    from csum_start and csum_offset, as a NIC would. So the capture holds what a wire
    would carry, and tshark can judge our half of the work (the pseudo-header sum and
    the offsets). A capture on the tap, or QEMU's filter-dump, would show the partial
    sums (and QEMU 7.2's filter-dump on a tap also writes the 12-byte vnet header in
    front of every frame)."""

    def __init__(self, ns: NetNamespace, pcap: Path):
        self.ns, self.pcap, self.name = ns, pcap, ns.name + "-peer"

    def run(self, *cmd: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["ip", "netns", "exec", self.name, *cmd], capture_output=True, text=True,
                              check=True, timeout=timeout)

    def __enter__(self) -> "RoutedPeer":
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        self.ns.run("ip", "link", "add", "kaav0", "type", "veth", "peer", "name", "kaav1", "netns", self.name)
        self.ns.run("ip", "addr", "add", "10.0.4.1/24", "dev", "kaav0")
        self.ns.run("ip", "link", "set", "kaav0", "up")
        self.ns.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
        self.ns.run(sys.executable, "-c", TX_CHECKSUM_OFF, "kaav0")
        self.run("ip", "link", "set", "lo", "up")
        self.run("ip", "addr", "add", "10.0.4.2/24", "dev", "kaav1")
        self.run("ip", "link", "set", "kaav1", "up")
        self.run("ip", "route", "add", "default", "via", "10.0.4.1")
        self.run(sys.executable, "-c", TX_CHECKSUM_OFF, "kaav1")
        # A 64 MiB capture buffer: the TCP test's 4 MiB burst arrives faster than a
        # dumpcap starved of CPU writes it out, and the default 2 MiB overflowed.
        self.log = self.pcap.with_suffix(".log")
        with open(self.log, "w") as log:
            self.dumpcap = subprocess.Popen(["ip", "netns", "exec", self.name, "dumpcap", "-q", "-B", "64",
                                             "-i", "kaav1", "-w", str(self.pcap)], stdout=subprocess.DEVNULL,
                                            stderr=log)
        deadline = time.monotonic() + 20
        while not (self.pcap.exists() and self.pcap.stat().st_size > 0) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    def stop_capture(self) -> None:
        if self.dumpcap.poll() is None:
            self.dumpcap.terminate()
            self.dumpcap.wait(10)

    def dropped(self) -> int:
        """How many frames the stopped dumpcap dropped (its report at exit)."""
        m = re.search(r"received/dropped on interface '[^']*': \d+/(\d+)", self.log.read_text())
        assert m is not None, "dumpcap gave no capture report:\n" + self.log.read_text()
        return int(m.group(1))

    def __exit__(self, *exc: object) -> None:
        self.stop_capture()
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    def checksums(self, proto: str) -> dict[str, int]:
        """How many of the guest's (10.0.3.2) proto segments tshark finds Good/Bad/other,
        from a capture that missed none."""
        self.stop_capture()
        dropped = self.dropped()
        assert dropped == 0, f"the capture is incomplete: dumpcap dropped {dropped} frames"
        out = subprocess.run(["tshark", "-r", str(self.pcap), "-o", f"{proto}.check_checksum:TRUE",
                              "-o", "ip.check_checksum:TRUE", "-d", "udp.port==5555,data",
                              "-Y", f"ip.src == 10.0.3.2 && {proto}", "-T", "fields", "-E", "occurrence=f",
                              "-e", f"{proto}.checksum.status", "-e", f"{proto}.checksum",
                              "-e", f"{proto}.checksum_calculated"], capture_output=True, text=True,
                             check=True).stdout
        counts: dict[str, int] = {}
        for line in out.splitlines():
            status, field, calculated = (line.split("\t") + ["", ""])[:3]
            name = {"1": "good", "0": "bad"}.get(status, "other")
            # Linux completes a partial checksum with skb_checksum_help(), which writes
            # a sum of 0 as 0xFFFF for every protocol (CSUM_MANGLED_0, meant for UDP).
            # For TCP the two are the same one's-complement zero and receivers accept
            # either, but tshark calls 0xFFFF bad (RFC 1624): about one segment in 65536
            # of a right checksum, not ours to fix (a NIC would write 0x0000).
            if name == "bad" and proto == "tcp" and field == "0xffff" and calculated == "0x0000":
                name = "good"
            counts[name] = counts.get(name, 0) + 1
        return counts


needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None or shutil.which("dumpcap") is None,
                                  reason="needs tshark and dumpcap")


@needs_root_net
@needs_tshark
def test_udp_checksum_offload_and_mergeable_buffers_over_a_tap(tmp_path: Path) -> None:
    """Over a tap (vnet headers), the modern device offers CSUM, GUEST_CSUM and MRG_RXBUF
    and the driver takes them: the guest's UDP echoes leave with the checksum to the
    device, and arrive valid past a software-checksumming hop; jumbo frames the device
    spreads over several receive buffers are dropped and counted, never misparsed."""
    # Names of this process's own: a second pytest running this test at the same time
    # (another checkout, say) would otherwise delete and replace our namespaces mid-test.
    with NetNamespace("kaa-csum") as ns, RoutedPeer(ns, tmp_path / "peer.pcapng") as peer:
        with Guest("examples/udp_echo.py", "--machine", "q35", "--net", "tap", "--tap", ns.tap, netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "gw=10.0.3.1", "count=61", "netstat")) as g:
            g.wait_for(r"udp echo: listening")
            assert g.wait_for(r"^net: virtio-net .*")[0].endswith("; pci modern msix; csum guest_csum mrg_rxbuf event_idx")
            r = peer.run(sys.executable, "-c", UDP_CLIENT, "10.0.3.2", "60", "11")
            assert json.loads(r.stdout) == {"ok": 60}
            # 4000-byte datagrams straight from the tap's namespace: one frame each
            # (MTU 9000 there), three receive buffers each in the guest.
            ns.run("ip", "link", "set", ns.tap, "mtu", "9000")
            ns.run(sys.executable, "-c", "import socket, time\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                   "for i in range(3):\n    s.sendto(bytes(4000), ('10.0.3.2', 5555)); time.sleep(0.1)")
            r = ns.run(sys.executable, "-c", UDP_CLIENT, "10.0.3.2", "1", "12")     # the 61st ends the service
            assert json.loads(r.stdout) == {"ok": 1}
            g.wait_for(r"tx_too_big", timeout=60)
        checks = peer.checksums("udp")
    assert checks == {"good": 60}, checks
    c = netstat(g.lines)
    assert c["udp_rx"] == 61 and c["ip_short"] == 0 and c["udp_bad_length"] == 0, c
    device_drops = int(re.search(r"dropped (\d+);", next(ln for ln in g.lines if " rx " in ln)).group(1))
    assert device_drops == 3, g.lines


@needs_root_net
@needs_tshark
def test_tcp_checksum_offload_over_a_tap(tmp_path: Path) -> None:
    """TCP segments with their payload read in place (tcp.send_static: a two-descriptor
    chain) and copied ones, checksums left to the device: 4 MiB arrive intact and every
    segment's checksum is valid past the software-checksumming hop."""
    from test_tcp_static import expected, table
    reps = 4
    with NetNamespace("kaa-tcsum") as ns, RoutedPeer(ns, tmp_path / "peer.pcapng") as peer:
        with Guest("tests/kernel/tcp_static.py", "--memory", "256", "--net", "tap", "--tap", ns.tap, netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "gw=10.0.3.1")) as g:
            g.wait_for(r"tcp_static: ready")
            assert g.wait_for(r"^net: virtio-net .*")[0].endswith("; mmio modern; csum guest_csum mrg_rxbuf event_idx")
            n, digest = peer.run(sys.executable, "-c", TCP_STATIC_CLIENT, "10.0.3.2", str(reps)).stdout.split()
            assert int(n) == reps * (15 + (1 << 20)) and digest == expected(reps, table())
            g.wait_for(r"tcp_static: conn 1 ")
        checks = peer.checksums("tcp")
    assert checks.get("good", 0) >= reps * (1 << 20) // 1460 and set(checks) == {"good"}, checks
