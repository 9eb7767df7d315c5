"""The e1000 driver and PCI, booted on q35 and pc with QEMU's user network (slirp).

tests/kernel/e1000_arp.py asks slirp's gateway (10.0.2.2) for its MAC with a hand-made
ARP request; slirp answers with 52:55:0a:00:02:02. The GSIs asserted here are what
QEMU's wiring gives the slot the NIC lands in (measured: see kernel/drivers/pci.py),
and "woken by the interrupt True" proves the reply's interrupt reached the handler
through that route. Nothing leaves QEMU: user networking only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kaa import build, vm
from guest import run_config

pytestmark = pytest.mark.booted
TIMEOUT = 120
GATEWAY = "gateway 52:55:0a:00:02:02"
QEMU_MAC = "mac 52:54:00:12:34:56"


@pytest.fixture(scope="module")
def arp_image() -> Path:
    return build.build(Path(__file__).parent / "kernel" / "e1000_arp.py")


def boot(image: Path, machine: str, *, nic: str = "e1000", net: str = "user", cmdline: str = "",
         extra: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    return run_config(vm.VmConfig(image, machine=machine, net=net, nic=nic, cmdline=cmdline, extra=list(extra)),
                      TIMEOUT)


@pytest.mark.parametrize("machine, where", [("q35", "00:01.0 gsi 21"), ("pc", "00:02.0 gsi 10")])
def test_arp_reply_from_the_gateway(arp_image: Path, machine: str, where: str) -> None:
    status, out = boot(arp_image, machine)
    assert status == 0, out
    assert out[0] == f"e1000 at {where} {QEMU_MAC} link True"
    assert out[1:4] == ["woken by the interrupt True", GATEWAY,
                        "rx 1 tx 1 dropped 0 0 interrupts True link True"], out


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_rings_wrap_overflow_and_an_empty_pool(arp_image: Path, machine: str) -> None:
    status, out = boot(arp_image, machine, cmdline="stress")
    assert status == 0, out
    assert out[4:6] == [
        "rounds 40 replies 1280",                               # both rings wrap five times
        "burst 300 queued 255 dropped 45 replies 255",          # a ring holds 255, the rest is dropped
    ], out
    # The device drops what finds no descriptor (QEMU 7.2: 81 of 400) and counts it in
    # MPC: every frame is either delivered or counted.
    m = re.fullmatch(r"overrun: sent 400 delivered (\d+) dropped (\d+)", out[6])
    assert m and int(m[1]) + int(m[2]) == 400 and int(m[1]) >= 255 and int(m[2]) > 0, out
    assert out[7:] == [
        "starved: dropped 1 delivered 0 then recovered True",   # no buffer: drop, keep the ring
        "pool 256 of 512, receive ring 256, other frames 0",    # every packet came back
    ], out


# INTx routing in other slots: (machine, slot, GSI), measured by raising the interrupt.
SLOTS = [("q35", 4, 20), ("q35", 6, 22), ("q35", 28, 16), ("q35", 30, 20),
         ("pc", 3, 11), ("pc", 4, 11), ("pc", 5, 10)]


@pytest.mark.parametrize("machine, slot, gsi", SLOTS)
def test_interrupt_route_by_slot(arp_image: Path, machine: str, slot: int, gsi: int) -> None:
    status, out = boot(arp_image, machine, net="none",
                       extra=("-netdev", "user,id=n1", "-device", f"e1000,netdev=n1,addr={slot:#x}"))
    assert status == 0, out
    assert out[0].startswith(f"e1000 at 00:{slot:02x}.0 gsi {gsi} "), out
    assert out[1:3] == ["woken by the interrupt True", GATEWAY], out


@pytest.mark.parametrize("machine, net, nic", [("q35", "none", "e1000"), ("pc", "none", "e1000"),
                                               ("q35", "user", "virtio"), ("microvm", "none", "virtio")])
def test_probe_without_an_e1000_gives_none(arp_image: Path, machine: str, net: str, nic: str) -> None:
    status, out = boot(arp_image, machine, net=net, nic=nic)
    assert (status, out) == (2, ["no e1000"])


PCI_SCAN = """\
from kaa.lang import *
import kernel.drivers.pci as pci


def main() -> i32:
    pci.scan()
    print(f"unassigned {pci.unassigned}")
    for i in range(pci.count):
        d = addr(pci.devices[i])
        print(f"{d.bus:02x}:{d.slot:02x}.{d.func} {d.vendor:04x}:{d.device:04x} class {d.class_code:02x}{d.subclass:02x} "
              f"pin {d.irq_pin} msi {pci.find_capability(d, pci.CAP_MSI) != 0} msix {pci.msix_size(d)}")
        for b in range(6):
            if d.bar_sizes[b] != 0:
                print(f"  bar{b} {d.bars[b]:#x} size {d.bar_sizes[b]:#x} io {d.bar_is_io[b]} 64bit {d.bar_is_64[b]}")
    v = pci.find(0x1AF4, 0x1041, 0)
    if v is None:
        return 0
    n = 0
    at = pci.find_capability(v, pci.CAP_VENDOR)
    while at != 0:
        n += 1
        at = pci.next_capability(v, at, pci.CAP_VENDOR)
    pci.enable(v)
    table = pci.msix_table(v)
    masked = 0
    for e in range(pci.msix_size(v)):
        masked += i32(mmio_read32(table + u64(e) * 16 + 12) & 1)
    pci.set_msix_entry(v, 1, 0x61, 0)
    print(f"virtio vendor capabilities {n} msix masked {masked} "
          f"entry 1 {mmio_read32(table + 16):#x} {mmio_read32(table + 24):#x} {mmio_read32(table + 28)}")
    return 0
"""


def bars(out: list[str], ids: str) -> dict[int, tuple[int, int, bool, bool]]:
    """The BAR lines under the device with these ids: {n: (base, size, io, 64-bit)}."""
    at = next(i for i, ln in enumerate(out) if f" {ids} " in ln)
    found = {}
    for ln in out[at + 1:]:
        if not ln.startswith("  bar"):
            break
        name, base, _, size, _, io_, _, wide = ln.split()
        found[int(name[3:])] = (int(base, 16), int(size, 16), io_ == "True", wide == "True")
    return found


def test_pci_scan_sizes_and_assigns_bars(tmp_path: Path) -> None:
    app = tmp_path / "pci_scan.py"
    app.write_text(PCI_SCAN)
    image = build.build(app)
    status, out = boot(image, "pc", nic="e1000")
    assert status == 0, out
    assert out[0] == "unassigned 0"
    assert any(ln.startswith("00:02.0 8086:100e class 0200 pin 1 msi False msix 0") for ln in out), out
    e = bars(out, "8086:100e")
    assert [(n, size, io_, wide) for n, (_, size, io_, wide) in sorted(e.items())] == \
        [(0, 0x20000, False, False), (1, 0x40, True, False)]
    assert 0xC0000000 <= e[0][0] < 0xFEC00000 and e[0][0] % 0x20000 == 0
    assert 0xC000 <= e[1][0] < 0x10000 and e[1][0] % 0x40 == 0

    status, out = boot(image, "q35", nic="virtio")
    assert status == 0, out
    assert any(ln.startswith("00:01.0 1af4:1041 class 0200 pin 1 msi False msix 4") for ln in out), out
    v = bars(out, "1af4:1041")
    assert v[4][1:] == (0x4000, False, True)            # 64-bit memory BAR: notify, ISR, config
    assert v[4][0] % 0x4000 == 0 and v[1][0] % 0x1000 == 0
    everything = [b for ln in out if ln.startswith("00:") for b in bars(out, ln.split()[1]).values()]
    memory = sorted((base, base + size) for base, size, io_, _ in everything if not io_)
    assert all(a[1] <= b[0] for a, b in zip(memory, memory[1:])), memory   # no overlaps
    assert out[-1] == "virtio vendor capabilities 5 msix masked 4 entry 1 0xfee00000 0x61 0"
