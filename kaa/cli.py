"""The `kaa` command: argument parsing only; each verb calls build or vm."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kaa import build as kbuild
from kaa import disk
from kaa import vm
from kaa.symbolize import Symbolizer
from kaa.compiler import CompileError
from kaa.deploy import image as deploy_image
from kaa.deploy import libvirt as deploy_libvirt
from kaa.deploy import manifests as deploy_manifests
from kaa.deploy import stack as deploy_stack
from kaa.deploy import up as deploy_up


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-O", dest="opt", type=int, choices=range(4), default=2, metavar="0-3",
                   help="gcc optimisation level (default 2)")
    p.add_argument("--debug", action="store_true", help="bounds and shift checks")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kaa", description="Build and run Kaa unikernel services.",
                                 epilog="kaa run APP.py [options] -- ARGS passes ARGS as the kernel command line")
    verbs = ap.add_subparsers(dest="verb", required=True)

    b = verbs.add_parser("build", help="compile a service into a bootable image")
    b.add_argument("app", type=Path)
    b.add_argument("-o", "--output", type=Path, help="output file (default build/APP.elf, or build/APP on host)")
    b.add_argument("--target", choices=kbuild.TARGETS, default="kvm",
                   help="kvm: a PVH image for QEMU/KVM (default); host: a Linux executable")
    _build_options(b)

    r = verbs.add_parser("run", help="build (if given a .py) and boot in QEMU")
    r.add_argument("app", type=Path, help="a service (.py) or a built image")
    r.add_argument("--accel", choices=vm.ACCELS, default="auto")
    r.add_argument("--machine", choices=vm.MACHINES, default="microvm")
    r.add_argument("--memory", type=int, default=128, help="MiB (default 128)")
    r.add_argument("--smp", type=int, default=1)
    r.add_argument("--timeout", type=float, help="stop the VM after this many seconds (status 124)")
    r.add_argument("--net", choices=vm.NETS, default="user",
                   help="network: QEMU's NAT (default), a tap, UDP datagrams (--dgram), none")
    r.add_argument("--nic", choices=vm.NICS, default="virtio", help="virtio (default) or e1000 (q35/pc)")
    r.add_argument("-p", "--publish", action="append", default=[], metavar="HOST:GUEST[/udp]",
                   help="forward 127.0.0.1:HOST to the guest's port (repeatable; --net user)")
    r.add_argument("--tap", default="kaa0", help="tap device for --net tap (default kaa0)")
    r.add_argument("--dgram", default="", metavar="LOCAL:REMOTE",
                   help="--net dgram: frames as UDP datagrams between these ports on 127.0.0.1")
    r.add_argument("--pcap", help="write the NIC's traffic to this pcap file")
    r.add_argument("--gdb", type=int, nargs="?", const=1234, metavar="PORT",
                   help="start paused with QEMU's gdb stub on 127.0.0.1:PORT (default 1234); no --timeout then")
    disk.add_run_options(r)
    _build_options(r)
    disk.add_verb(verbs)

    bn = verbs.add_parser("bench", help="benchmarks beside a Linux guest (JSON; --report writes docs/benchmarks)")
    bn.add_argument("names", nargs="*", metavar="NAME", help="boot size memory http tcp opt nic lang, or all (default)")
    bn.add_argument("--report", action="store_true", help="write docs/benchmarks/README.md (and lang.md) with tables and plots")
    bn.add_argument("--runs", type=int, help="runs of each measurement (default: each benchmark's own)")

    im = verbs.add_parser("image", help="an OCI image of a service, for podman, docker, Kubernetes, Swarm, Nomad",
                          epilog="kaa image APP.py -t NAME:TAG [options] -- ARGS makes ARGS the default kernel "
                                 "command line; the container's KAA_MEMORY, KAA_SMP, KAA_PORTS, KAA_ACCEL, "
                                 "KAA_CMDLINE override the defaults")
    im.add_argument("app", type=Path, help="the service (.py)")
    im.add_argument("-t", "--tag", required=True, metavar="NAME:TAG")
    im.add_argument("--memory", type=int, default=128, help="MiB (default 128)")
    im.add_argument("--smp", type=int, default=1, help="virtual CPUs (default 1)")
    im.add_argument("--port", action="append", metavar="GUEST[/udp]",
                    help="a guest port the container forwards from its own (repeatable; default 80)")
    im.add_argument("-o", "--output", type=Path, help="the tarball (default build/NAME-TAG.tar)")
    im.add_argument("--no-load", action="store_true", help="only write the tarball, even with podman installed")

    dp = verbs.add_parser("deploy", help="Kubernetes, Docker stack and Nomad manifests for a service's image",
                          epilog="kaa deploy APP.py -t NAME:TAG [options] -- ARGS sets KAA_CMDLINE to ARGS")
    dp.add_argument("app", type=Path, help="the service (.py); its name names the deployment")
    dp.add_argument("-t", "--tag", required=True, metavar="NAME:TAG", help="the image (from kaa image)")
    dp.add_argument("--name", help="deployment/service/job name (default: from APP's file name)")
    dp.add_argument("--memory", type=int, default=128, help="guest MiB (default 128); limits add QEMU's own")
    dp.add_argument("--smp", type=int, default=1, help="virtual CPUs (default 1)")
    dp.add_argument("--port", action="append", metavar="GUEST[/udp]",
                    help="a guest port (repeatable; default 80); health checks GET / on the first")
    dp.add_argument("--replicas", type=int, default=1, help="instances (default 1)")
    dp.add_argument("--kvm", action="store_true", help="give the container /dev/kvm (Kubernetes: a KVM device plugin's "
                         "devices.kubevirt.io/kvm; Swarm cannot); without it KVM is used only if present")
    dp.add_argument("-o", "--output", type=Path, help="folder for the manifests (default build/deploy/NAME)")

    lv = verbs.add_parser("libvirt", help="a libvirt domain XML that boots a service",
                          epilog="kaa libvirt APP.py [options] -- ARGS passes ARGS as the kernel command line")
    lv.add_argument("app", type=Path, help="a service (.py) or a built image")
    lv.add_argument("--name", help="domain name (default: from APP's file name)")
    lv.add_argument("--machine", choices=deploy_libvirt.MACHINES, default="microvm")
    lv.add_argument("--accel", choices=vm.ACCELS, default="auto", help="decides the domain type: kvm or qemu (TCG)")
    lv.add_argument("--memory", type=int, default=128, help="MiB (default 128)")
    lv.add_argument("--smp", type=int, default=1)
    lv.add_argument("-p", "--port", action="append", default=[], metavar="HOST:GUEST[/udp]",
                    help="forward 127.0.0.1:HOST to the guest's port (repeatable)")
    lv.add_argument("--console", type=Path, help="the serial console's file (default /var/log/libvirt/qemu/NAME-console.log)")
    lv.add_argument("--kernel", type=Path, help="where the built image goes (default build/APP.elf)")
    lv.add_argument("-o", "--output", type=Path, help="the XML file (default build/NAME.xml)")
    _build_options(lv)

    up = verbs.add_parser("up", help="boot a stack file's services together on one private network",
                          epilog="Ctrl-C stops them all; see examples/stack/stack.toml and kaa/deploy/stack.py")
    up.add_argument("stack", type=Path, help="the stack file (TOML)")
    up.add_argument("--accel", choices=vm.ACCELS, default="auto")
    _build_options(up)
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Everything after `--` is the guest's command line, not ours.
    cmdline = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser().parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    if args.verb == "bench":
        from kaa import bench
        return bench.main(args.names, report=args.report, runs=args.runs)
    try:
        if args.verb == "disk":
            return disk.main(args)
        if args.verb == "image":
            return deploy_image.main(args, " ".join(cmdline))
        if args.verb == "deploy":
            return deploy_manifests.main(args, " ".join(cmdline))
        if args.verb == "libvirt":
            return deploy_libvirt.main(args, " ".join(cmdline))
        if args.verb == "up":
            return deploy_up.up(args.stack, accel=args.accel, opt=args.opt, debug=args.debug)
        if args.verb == "build":
            default = Path("build") / (args.app.stem + (".elf" if args.target == "kvm" else ""))
            out = kbuild.build(args.app, args.output or default, target=args.target, opt=args.opt,
                               debug=args.debug)
            print(out)
            return 0
        image = args.app
        if image.suffix == ".py":
            image = kbuild.build(image, target="kvm", opt=args.opt, debug=args.debug)
        cfg = vm.VmConfig(image, machine=args.machine, accel=args.accel, memory=args.memory, smp=args.smp,
                          cmdline=" ".join(cmdline), net=args.net, nic=args.nic, forwards=args.publish,
                          tap=args.tap, dgram=args.dgram, pcap=args.pcap, gdb=args.gdb)
        temporary = False
        if args.disk:
            cfg.disk, temporary = disk.for_run(args.disk, args.disk_out, args.disk_size, args.disk_block_size)
        try:
            return vm.run(cfg, timeout=args.timeout, symbolizer=Symbolizer(image),
                          console_in=vm.console_input(sys.stdin.buffer))
        finally:
            if temporary:
                Path(cfg.disk).unlink(missing_ok=True)
    except CompileError as e:
        print(e.render(), file=sys.stderr)
        return 1
    except FileNotFoundError as e:
        print(f"kaa: {e.filename}: no such file", file=sys.stderr)
        return 1
    except BrokenPipeError:             # `kaa run ... | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (kbuild.BuildError, vm.VmError, disk.DiskError, deploy_image.ImageError,
            deploy_manifests.DeployError, deploy_libvirt.LibvirtError, deploy_stack.StackError) as e:
        print(f"kaa: {e}", file=sys.stderr)
        return 1
