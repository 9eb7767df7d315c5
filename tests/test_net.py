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
from pathlib import Path

import pytest

from guest import Guest, LossyLink, NetNamespace

pytestmark = pytest.mark.booted
ROOT = Path(__file__).resolve().parent.parent
needs_root_net = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                                    reason="network namespaces need root and iproute2")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    with NetNamespace("kaa-fuzz") as ns:
        with Guest("examples/udp_echo.py", "--net", "tap", "--tap", ns.tap, netns=ns.name,
                   cmdline=("ip=10.0.3.2/24", "count=1", "netstat")) as g:
            g.wait_for(r"udp echo: listening")
            ns.run("ping", "-c", "1", "-W", "5", "10.0.3.2")     # the guest knows our MAC now
            sent = json.loads(ns.run(sys.executable, str(ROOT / "tests" / "net_tools" / "send_malformed.py"),
                                     ns.tap, "52:54:00:12:34:56", "10.0.3.2", ns.host_ip).stdout)
            ping = ns.run("ping", "-c", "5", "-i", "0.1", "-W", "2", "10.0.3.2", check=False)
            assert " 5 received" in ping.stdout, ping.stdout
            # One valid datagram ends the service, which prints its counters.
            ns.run(sys.executable, "-c", "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                   ".sendto(b'bye', ('10.0.3.2', 5555))")
            g.wait_for(r"tx_too_big", timeout=60)
        c = netstat(g.lines)
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
        assert c["arp_not_for_us"] >= sent["broadcast_storm"] * 0.95
        drops = sum(v for k, v in c.items() if k not in ("rx_frames", "arp_rx", "ip_rx", "ip_tx", "udp_rx",
                                                        "udp_tx", "tx_frames", "arp_replies_sent",
                                                        "arp_requests_sent", "icmp_echo_replies"))
        device_drops = int(re.search(r"dropped (\d+);", next(ln for ln in g.lines if " rx " in ln)).group(1))
        assert drops + device_drops >= 0.95 * sum(sent.values()), (drops, device_drops, sent)


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
