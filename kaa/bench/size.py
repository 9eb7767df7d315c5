"""size: the bytes of each example's image beside the Linux baseline's.

Each examples/*.py is built with kaa.build.build at -O2 (the default). Reported per image:
  file_bytes     the ELF as built (it carries DWARF for gdb and symbols for backtraces)
  load_bytes     what QEMU copies into guest memory: the PT_LOAD segments' file sizes
  memory_bytes   what the image occupies once loaded (PT_LOAD memory sizes, .bss included)
Linux: vmlinux (what -kernel loads), the bzImage Debian ships, the initramfs (an
uncompressed cpio, as booted; its gzip -6 size for scale), and vmlinux + initramfs.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from elftools.elf.elffile import ELFFile

from kaa.bench.options import Options
from kaa.bench.services import EXAMPLES


def elf_sizes(path: Path) -> dict:
    with open(path, "rb") as f:
        elf = ELFFile(f)
        loads = [s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD"]
        return {"file_bytes": path.stat().st_size, "load_bytes": sum(s["p_filesz"] for s in loads),
                "memory_bytes": sum(s["p_memsz"] for s in loads)}


def kaa_sizes(opt: int = 2) -> dict:
    from kaa import build
    from kaa.compiler import CompileError
    out: dict = {}
    for app in sorted(EXAMPLES.glob("*.py")):
        try:
            out[app.stem] = elf_sizes(build.build(app, target="kvm", opt=opt))
        except (CompileError, build.BuildError) as e:
            out[app.stem] = {"error": (e.render() if isinstance(e, CompileError) else str(e))[:500]}
    return out


def linux_sizes(opts: Options) -> dict:
    from kaa.bench import linux
    b = linux.build_baseline(port=opts.linux.guest_port, body=opts.linux.body or linux.BODY)
    cpio = b.initramfs.read_bytes()
    v = elf_sizes(b.vmlinux)
    return {"kernel": b.manifest["kernel"], "vmlinux": v, "bzimage_bytes": b.bzimage.stat().st_size,
            "initramfs_bytes": len(cpio), "initramfs_gzip_bytes": len(zlib.compress(cpio, 6)),
            "total_bytes": v["file_bytes"] + len(cpio), "total_load_bytes": v["load_bytes"] + len(cpio)}


def run(opts: Options) -> dict:
    result: dict = {"benchmark": "size", "opt": 2, "kaa": kaa_sizes()}
    if opts.with_linux:
        result["linux"] = linux_sizes(opts)
    return result
