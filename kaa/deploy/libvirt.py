"""libvirt domains for a service: `kaa libvirt SERVICE.py`.

Design:
- The domain boots the built ELF directly (<kernel>), as `kaa run` does, on the same
  machine: microvm with virtio-mmio devices by default, q35 with virtio-pci for hosts
  that need PCI (booted through qboot, as kaa/vm.py does, where SeaBIOS is slow).
  Domain type and CPU follow vm.pick_accel: kvm with QEMU's default CPU, or qemu (TCG)
  with the maximum CPU model.
- What libvirt 9.0 does not model for us goes through <qemu:commandline>, built by
  kaa/vm.py's own net_args so the two never drift: the NIC on QEMU's user network with
  the port forwards (libvirt forwards ports only with passt, which Debian builds
  without), virtio-mmio in modern mode, and isa-debug-exit, so a guest that ends (or
  panics) ends QEMU and the domain shows as shut off instead of a halted CPU that looks
  alive. libvirt marks such a domain "tainted: custom-argv"; that is all it means.
- microvm needs in libvirt's terms: no USB controller, no memballoon, <acpi/> (microvm's
  own default, as under `kaa run`).
- The serial console goes to a file (libvirt opens it and hands QEMU the descriptor).
- libvirt runs QEMU as its own user (libvirt-qemu on Debian) and chowns the kernel to
  it, but not the folders above: they must let others through (mode o+x), which
  `unreachable_folder` checks so `kaa libvirt` can say so before `virsh start` fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from kaa import build as kbuild
from kaa import vm
from kaa.deploy.manifests import service_name

QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
MACHINES = ("microvm", "q35")
LOG_DIR = Path("/var/log/libvirt/qemu")     # where libvirt keeps each domain's logs


class LibvirtError(Exception):
    """A domain cannot be described; the message says why."""


@dataclass
class Domain:
    name: str
    kernel: Path                # the built ELF (absolute in the XML)
    machine: str = "microvm"
    accel: str = "auto"
    memory: int = 128           # MiB
    smp: int = 1
    cmdline: str = ""
    forwards: list[str] = field(default_factory=list)   # "HOST:GUEST[/udp]" on 127.0.0.1
    console: Path | None = None  # default LOG_DIR/NAME-console.log


def _vm_config(d: Domain) -> vm.VmConfig:
    return vm.VmConfig(d.kernel, machine=d.machine, accel=d.accel, memory=d.memory, smp=d.smp,
                       cmdline=d.cmdline, forwards=list(d.forwards))


def domain_xml(d: Domain) -> str:
    """The domain's XML, checked as `kaa run` checks a VM (machine, memory, forwards, accel)."""
    if d.machine not in MACHINES:
        raise LibvirtError(f"--machine {d.machine}: choose one of {', '.join(MACHINES)}")
    if not 1 <= d.smp <= 255:
        raise LibvirtError(f"--smp {d.smp}: want 1..255 virtual CPUs")
    if not d.name or any(c in d.name for c in "/\n") or d.name != d.name.strip():
        raise LibvirtError(f"--name {d.name!r}: want a name without '/', line breaks or edge spaces")
    cfg = _vm_config(d)
    try:
        vm.check_memory(cfg)
        vm.check_accel(cfg)
        accel = vm.pick_accel(d.accel)
        extra = [*vm.net_args(cfg), "-device", f"isa-debug-exit,iobase={vm.DEBUG_EXIT_PORT:#x},iosize=1"]
    except vm.VmError as e:
        raise LibvirtError(str(e)) from None
    emulator = shutil.which(vm.QEMU)
    if emulator is None:
        raise LibvirtError(f"{vm.QEMU} not found; install QEMU (Debian: qemu-system-x86)")

    ET.register_namespace("qemu", QEMU_NS)
    dom = ET.Element("domain", type="kvm" if accel == "kvm" else "qemu")
    ET.SubElement(dom, "name").text = d.name
    ET.SubElement(dom, "memory", unit="MiB").text = str(d.memory)
    ET.SubElement(dom, "vcpu").text = str(d.smp)
    os_ = ET.SubElement(dom, "os")
    ET.SubElement(os_, "type", arch="x86_64", machine=d.machine).text = "hvm"
    if d.machine != "microvm" and os.path.exists(vm.QBOOT_PATH):
        ET.SubElement(os_, "loader", type="rom", readonly="yes").text = vm.QBOOT_PATH
    ET.SubElement(os_, "kernel").text = str(Path(d.kernel).resolve())
    if d.cmdline:
        ET.SubElement(os_, "cmdline").text = d.cmdline
    ET.SubElement(ET.SubElement(dom, "features"), "acpi")
    if accel == "tcg":
        ET.SubElement(dom, "cpu", mode="maximum")       # as vm.py's -cpu max
    for event in ("poweroff", "reboot", "crash"):
        ET.SubElement(dom, f"on_{event}").text = "destroy"

    devices = ET.SubElement(dom, "devices")
    ET.SubElement(devices, "emulator").text = emulator
    ET.SubElement(devices, "controller", type="usb", model="none")
    ET.SubElement(devices, "memballoon", model="none")
    console = str(d.console if d.console is not None else LOG_DIR / f"{d.name}-console.log")
    for tag, target in (("serial", {"port": "0"}), ("console", {"type": "serial", "port": "0"})):
        chardev = ET.SubElement(devices, tag, type="file")
        ET.SubElement(chardev, "source", path=console)
        ET.SubElement(chardev, "target", target)

    commandline = ET.SubElement(dom, f"{{{QEMU_NS}}}commandline")
    for arg in extra:
        ET.SubElement(commandline, f"{{{QEMU_NS}}}arg", value=arg)
    ET.indent(dom)
    return ET.tostring(dom, encoding="unicode") + "\n"


def unreachable_folder(path: Path) -> Path | None:
    """The first folder above path that others cannot pass through (libvirt's QEMU user
    could not open the kernel), or None."""
    for folder in reversed(Path(path).resolve().parents):
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None


def main(args: argparse.Namespace, cmdline: str) -> int:
    """`kaa libvirt` (kaa/cli.py parses its options): build the kernel where the domain
    will find it, write the XML, say how to start it."""
    name = args.name or service_name(args.app)
    kernel = args.app
    if kernel.suffix == ".py":
        kernel = kbuild.build(args.app, args.kernel or Path("build") / f"{args.app.stem}.elf",
                              target="kvm", opt=args.opt, debug=args.debug)
    elif not kernel.is_file():
        raise LibvirtError(f"{kernel}: no such file")
    d = Domain(name, kernel.resolve(), machine=args.machine, accel=args.accel, memory=args.memory, smp=args.smp,
               cmdline=cmdline, forwards=list(args.port), console=args.console.resolve() if args.console else None)
    xml = domain_xml(d)
    out = args.output or Path("build") / f"{name}.xml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(xml)
    print(out)
    blocked = unreachable_folder(d.kernel)
    if blocked is not None:
        print(f"kaa: note: {blocked} is closed to other users (no o+x), so libvirt's QEMU user cannot open "
              f"{d.kernel}; give --kernel a path under an open folder (e.g. /var/lib/libvirt/images/)",
              file=sys.stderr)
    print(f"kaa: start it with: virsh define {out} && virsh start {name}", file=sys.stderr)
    return 0
