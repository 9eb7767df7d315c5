"""NIC drivers never trust a length or an index the device writes, booted.

tests/kernel/driver_lengths.py plays a lying device under the real drivers: virtio-net
through a fake transport (completions past the buffer, short of a header, naming no
descriptor of ours; a second start() on a live device), e1000 over RAM standing in for
its registers (a descriptor claiming more than RX_BUFFER, a frame longer than a packet,
a frame in two descriptors). Then the real e1000 of QEMU, told its buffers hold 1024
bytes: full-size frames arrive in two descriptors and are put back together, and the
`netstat` device line shows the new counters. And a second probe of a live virtio-net
(tests/kernel/nic_arp.py probe_twice) gives it back untouched. Traffic goes to
127.0.0.1 only.
"""

from __future__ import annotations

import random
import re
import socket
import subprocess
import sys

import pytest

from guest import ROOT, fail_on_crash, run_config, run_to_exit
from kaa import build, vm
from kaa.bench.machine import free_port

pytestmark = pytest.mark.booted


def test_lying_devices(kaa) -> None:
    status, out = run_to_exit(kaa, "tests/kernel/driver_lengths.py", "--net", "none")
    assert status == 0, out
    assert out == [
        # Delivered: the two good frames. Dropped and counted: one byte past the buffer,
        # far past it (both cut by virtqueue.take: overlong 2), shorter than the header.
        # Skipped: the receive entry with id 0x10000 and the transmit completion of a
        # descriptor never given; the transmit queue is whole again.
        "virtio-net: delivered 2 lengths 60 60 content True bad length 3 device errors 2 dropped 3 overlong 2"
        " tx free 16 of 16",
        # The second start is the same device, not reset again (one reset: the first start).
        "virtio-net: second start same device True resets 1 status 15 receive ring full True",
        # RCTL says 1024-byte buffers; 1514 bytes came in two descriptors, bytes in order;
        # the 2048-byte claim and the three-part frame are bad lengths, the CRC error a drop.
        "e1000: rctl bsize 1024 descriptors 10 delivered 3 lengths 60 1514 60 content True bad length 2"
        " dropped 3 rdt 9",
        "pool 240 free, 272 in rings, of 512",       # nothing leaked, nothing freed twice
    ], out


def test_e1000_reassembles_full_size_frames_and_netstat_shows_the_counters() -> None:
    """udp_echo on QEMU's e1000: datagrams up to 1472 bytes (1514-byte frames, two
    1024-byte receive buffers) come back whole; netstat's device line has the counters."""
    port = free_port(socket.SOCK_DGRAM)
    rng = random.Random(port)
    sizes = [1472, 1025 - 42, 1024 - 42, 1, *(rng.randint(900, 1472) for _ in range(16))]
    kaa = subprocess.Popen([sys.executable, "-m", "kaa", "run", "examples/udp_echo.py", "--machine", "q35",
                            "--nic", "e1000", "--timeout", "120", "-p", f"{port}:5555/udp", "--",
                            f"count={len(sizes)}", "netstat"],
                           cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert kaa.stdout is not None
        lines = []
        for line in kaa.stdout:
            lines.append(line.rstrip("\n"))
            if "udp echo: listening" in line:
                break
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            for n in sizes:
                payload = rng.randbytes(n)
                s.sendto(payload, ("127.0.0.1", port))
                assert s.recvfrom(2048)[0] == payload, f"{n}-byte datagram"
        out, err = kaa.communicate(timeout=60)
    finally:
        if kaa.poll() is None:
            kaa.kill()
            kaa.wait()
    lines += out.splitlines()
    fail_on_crash(lines)
    assert kaa.returncode == 0, "\n".join(lines) + err
    device = next(ln for ln in lines if ln.startswith("e1000: rx "))
    m = re.search(r"dropped (\d+);.*rx bad length (\d+), device errors (\d+)$", device)
    assert m and m.groups() == ("0", "0", "0"), device


@pytest.mark.parametrize("machine", ["microvm", "q35"])
def test_a_second_probe_leaves_the_live_device_alone(machine: str) -> None:
    """virtio-net probed twice (virtio-mmio, virtio-pci): the second probe gives the same
    device, and it still answers: the gateway's ARP reply comes through it."""
    cfg = vm.VmConfig(build.build(ROOT / "tests" / "kernel" / "nic_arp.py"), machine=machine,
                      cmdline="probe_twice")
    status, out = run_config(cfg, 60)
    assert status == 0, out
    assert out[0] == "second probe same device True" and "gateway 52:55:0a:00:02:02" in out, out
