"""Build: Kaa Python -> C -> objects -> a bootable ELF (or a host executable).

Pipeline: the compiler emits one C file per module (plus kaa_program.h and kaa_rt.h);
gcc compiles each into an object; for the kvm target, ld links them with boot.S by
kernel/arch/x86_64/linker.ld into an ELF whose PVH note QEMU boots with `-kernel`; for
the host target gcc links a Linux executable.

Caching: objects are stored by a hash of their C text, the headers and the flags, and
images by a hash of their objects and link inputs, in $KAA_CACHE (default
~/.cache/kaa). A rebuild of an unchanged program only re-runs the Python compiler.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kaa.compiler import compile_program
from kaa.compiler.declare import KAA_ROOT

ARCH_DIR = KAA_ROOT / "kernel" / "arch" / "x86_64"
KERNEL_CFLAGS = ["-ffreestanding", "-fno-pic", "-fno-pie", "-mno-red-zone", "-mgeneral-regs-only",
                 "-mcmodel=small", "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-nostdinc"]
# -fno-delete-null-pointer-checks: a null access is a real access that faults (and is
# reported), never undefined behaviour gcc may assume away.
COMMON_CFLAGS = ["-std=c11", "-fwrapv", "-fno-strict-aliasing", "-fno-delete-null-pointer-checks",
                 "-fno-isolate-erroneous-paths-dereference", "-ffunction-sections", "-fdata-sections",
                 "-fno-omit-frame-pointer", "-g", "-w"]
HOST_CFLAGS = ["-D__kaa_host__"]
# A C file whose first line is this marker uses floating point (service-level code and
# its runtime, kernel modules with f64): it is compiled with SSE registers, which every
# CPU enables at boot. The rest of the kernel (interrupt paths above all) keeps to the
# general registers, so an interrupt never clobbers a thread's floating-point state.
SSE_MARKER = "/* kaa: sse */"
SSE_CFLAGS = ["-fno-math-errno", "-fno-trapping-math",
              # -w hides warnings; these three are bugs in runtime or generated code
              "-Werror=implicit-function-declaration", "-Werror=int-conversion", "-Werror=incompatible-pointer-types"]
LDFLAGS = ["-nostdlib", "-static", "--gc-sections", "-z", "max-page-size=4096"]
TARGETS = ("kvm", "host")


class BuildError(Exception):
    """gcc or ld failed on generated code: a compiler bug, reported with their output."""


def cache_dir() -> Path:
    d = Path(os.environ.get("KAA_CACHE", Path.home() / ".cache" / "kaa"))
    (d / "obj").mkdir(parents=True, exist_ok=True)
    (d / "img").mkdir(parents=True, exist_ok=True)
    return d


def build(app: Path, out: Path | None = None, *, target: str = "kvm", opt: int = 2,
          debug: bool = False) -> Path:
    """Build app for target; return the image (a cached file, copied to `out` if given)."""
    if target not in TARGETS:
        raise BuildError(f"unknown target {target!r}; choose kvm or host")
    files = compile_program(app, target=target, debug=debug)
    cflags = [f"-O{opt}", *COMMON_CFLAGS, *(HOST_CFLAGS if target == "host" else KERNEL_CFLAGS)]
    cache = cache_dir()
    objects = _compile_all(files, cflags, cache)
    image = _link(objects, target, cache)
    if out is None:
        return image
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    shutil.copyfile(image, tmp)
    tmp.chmod(0o755)
    tmp.replace(out)
    return out


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:32]


def _compile_all(files: dict[str, str], cflags: list[str], cache: Path) -> list[Path]:
    headers = {n: t for n, t in files.items() if n.endswith(".h")}
    sources = {n: t for n, t in files.items() if n.endswith(".c")}
    header_key = _digest(*[f"{n}\n{t}" for n, t in sorted(headers.items())])
    jobs = {}
    for name, text in sources.items():
        obj = cache / "obj" / f"{_digest(header_key, text, *cflags)}.o"
        jobs[name] = obj
    missing = {n: o for n, o in jobs.items() if not o.exists()}
    if missing:
        with tempfile.TemporaryDirectory(prefix="kaa-build-") as tmp:
            work = Path(tmp)
            for name, text in files.items():
                (work / name).write_text(text)
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
                list(pool.map(lambda item: _gcc(work, item[0], item[1], cflags), missing.items()))
    return [jobs[n] for n in sorted(jobs)]


def _file_cflags(text: str, cflags: list[str]) -> list[str]:
    if not text.startswith(SSE_MARKER):
        return cflags
    return [f for f in cflags if f != "-mgeneral-regs-only"] + SSE_CFLAGS


def _gcc(work: Path, name: str, obj: Path, cflags: list[str]) -> None:
    cflags = _file_cflags((work / name).read_text(), cflags)
    tmp = obj.with_suffix(f".{os.getpid()}.tmp")
    _run(["gcc", *cflags, "-I", str(work), "-c", str(work / name), "-o", str(tmp)], f"compiling {name}")
    tmp.replace(obj)


def _link(objects: list[Path], target: str, cache: Path) -> Path:
    boot, script = ARCH_DIR / "boot.S", ARCH_DIR / "linker.ld"
    inputs = [o.name for o in objects]
    if target == "kvm":
        inputs += [boot.read_text(), script.read_text()]
    image = cache / "img" / f"{_digest(target, *inputs)}{'.elf' if target == 'kvm' else ''}"
    if image.exists():
        return image
    tmp = image.with_suffix(f".{os.getpid()}.tmp")
    if target == "host":
        # cpu.py's bounds of the kernel's SSE section (kernel/arch/x86_64/linker.ld) mean
        # nothing in a Linux process; host programs that link it see an empty section.
        _run(["gcc", "-o", str(tmp), *map(str, objects), "-Wl,--defsym=__kaa_sse_start=0",
              "-Wl,--defsym=__kaa_sse_end=0"], "linking")
    else:
        boot_obj = cache / "obj" / f"boot-{_digest(boot.read_text())}.o"
        if not boot_obj.exists():
            _run(["gcc", "-c", str(boot), "-o", str(boot_obj)], "assembling boot.S")
        _run(["ld", *LDFLAGS, "-T", str(script), "-o", str(tmp), str(boot_obj), *map(str, objects)], "linking")
    tmp.replace(image)
    return image


def _run(cmd: list[str], what: str) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise BuildError(f"internal error while {what} (please report it):\n$ {' '.join(cmd)}\n{r.stderr}")
