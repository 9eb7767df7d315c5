"""The Linux baseline: Debian's kernel and nginx in a microVM, built from Debian packages.

What Kaa is compared with: Debian's own `linux-image-amd64` kernel, booted through its
PVH entry like a Kaa image (QEMU's -kernel takes the uncompressed ELF `vmlinux`, which
the bzImage carries xz-compressed), and an initramfs holding busybox (the shell and
`insmod`, `ip`), Debian's nginx with exactly the shared libraries it needs, the virtio
and e1000 modules, and an /init that

  1. mounts /proc, /sys, /dev and loads the modules (virtio, virtio_ring, the transport
     the machine has: virtio_mmio on microvm, virtio_pci on q35/pc, then virtio_net and,
     when an Intel NIC is on the PCI bus, e1000),
  2. configures eth0 statically as QEMU's user network expects (10.0.2.15/24 via
     10.0.2.2; no DHCP round trips), or with the address given as `kaa_ip=A/P` on the
     kernel command line (for a tap; Linux hands unknown `key=value` words to /init as
     environment variables),
  3. starts a TCP sink on SINK_PORT (busybox `nc` into `wc -c`: the byte count goes back
     once the peer ends its stream) and a TCP source on SOURCE_PORT (`cat /dev/zero`),
     the same protocol as kaa/bench/programs/tcp_bulk.py,
  4. starts nginx answering `GET /` on PORT with BODY (a `return 200` from memory:
     no file I/O, no access log),
  5. prints READY_LINE (with the kernel's uptime) on the console.

Everything comes from `apt-get download` (run `apt-get update` once first) and is
cached under `kaa.build.cache_dir()/linux`: the packages in debs/, each built baseline
in a folder named by a hash of what went into it. A second build_baseline() call costs
nothing and asks apt nothing; refresh=True looks for newer packages.

    python3 -m kaa.bench.linux            # build (or find) the baseline, print its paths
    python3 -m kaa.bench.linux --boot     # ... and boot it: seconds to the first HTTP 200
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile

from kaa.bench.initramfs import Initramfs
from kaa.build import cache_dir

KERNEL_META = "linux-image-amd64"
USERLAND = ("busybox-static", "nginx")          # nginx: the package holding /usr/sbin/nginx
PORT = 8080                                      # the guest port nginx listens on (as http_hello)
SINK_PORT, SOURCE_PORT = 5001, 5002              # bulk TCP in and out (as kaa/bench/programs/tcp_bulk.py)
BODY = b'{"message": "Hello from Kaa", "uptime_ms": 1234, "requests": 1}\n'
READY_LINE = "kaa-bench: nginx ready"
GUEST_IP, GATEWAY = "10.0.2.15/24", "10.0.2.2"  # QEMU user networking's defaults
CMDLINE = "console=ttyS0 quiet panic=-1"
FORMAT = 3                                       # bump when the image layout below changes

# Loaded in this order when present; dependencies (from each .ko's .modinfo) come first.
MODULES_COMMON = ("virtio", "virtio_ring")
MODULES_MMIO = ("virtio_mmio",)
MODULES_PCI = ("virtio_pci",)
MODULES_NET = ("virtio_net",)
MODULES_E1000 = ("e1000",)

XZ_MAGIC = b"\xfd7zXZ\x00"
LIB_DIRS = ("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64", "lib", "usr/lib")
BUSYBOX_APPLETS = ("sh", "mount", "insmod", "ip", "mkdir", "cat", "cut", "sleep", "echo", "ls", "grep", "nc", "wc")


class BaselineError(Exception):
    """The baseline cannot be built; the message says what to do."""


@dataclass
class Baseline:
    """A built Linux baseline: boot it with -kernel vmlinux -initrd initramfs -append cmdline."""
    vmlinux: Path
    initramfs: Path
    bzimage: Path
    cmdline: str
    port: int
    ready: str
    manifest: dict

    def qemu_extra(self) -> list[str]:
        return ["-initrd", str(self.initramfs)]


def root() -> Path:
    d = cache_dir() / "linux"
    (d / "debs").mkdir(parents=True, exist_ok=True)
    return d


# --- Debian packages -------------------------------------------------------------------

def _run(cmd: list[str], cwd: Path | None = None) -> str:
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise BaselineError(f"{cmd[0]} not found: the Linux baseline is built from Debian packages") from None
    if p.returncode != 0:
        hint = " (run `apt-get update` first?)" if cmd[0].startswith("apt") else ""
        raise BaselineError(f"{' '.join(cmd)} failed{hint}:\n{p.stderr.strip()}")
    return p.stdout


def download(package: str, debs: Path) -> Path:
    """The .deb of package's candidate version, fetched into debs/ unless already there."""
    version = candidate_version(package)
    # apt names files NAME_VERSION_ARCH.deb with ':' in the version escaped as %3a.
    pattern = f"{package}_{version.replace(':', '%3a')}_"
    for f in debs.glob(f"{package}_*.deb"):
        if f.name.startswith(pattern):
            return f
    _run(["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", package], cwd=debs)
    for f in debs.glob(f"{package}_*.deb"):
        if f.name.startswith(pattern):
            return f
    raise BaselineError(f"apt-get download {package} left no {pattern}*.deb in {debs}")


def candidate_version(package: str) -> str:
    out = _run(["apt-cache", "policy", package])
    m = re.search(r"Candidate:\s*(\S+)", out)
    if m is None or m.group(1) == "(none)":
        raise BaselineError(f"apt knows no candidate for {package} (run `apt-get update` first?)")
    return m.group(1)


def depends(deb: Path) -> list[str]:
    """Package names in a .deb's Depends (the first of each `a | b` alternative)."""
    field = _run(["dpkg-deb", "-f", str(deb), "Depends"]).strip()
    names = []
    for clause in filter(None, (c.strip() for c in field.split(","))):
        names.append(re.split(r"[\s(|:]", clause.split("|")[0].strip())[0])
    return names


def fetch(debs: Path) -> dict[str, Path]:
    """Download the kernel, busybox, nginx and the library packages nginx needs (recursively)."""
    meta = download(KERNEL_META, debs)
    kernel = [d for d in depends(meta) if d.startswith("linux-image-")]
    if not kernel:
        raise BaselineError(f"{meta.name} depends on no linux-image-* package")
    got: dict[str, Path] = {}
    todo = [kernel[0], *USERLAND]
    while todo:
        name = todo.pop(0)
        if name in got:
            continue
        got[name] = download(name, debs)
        if name == kernel[0]:
            continue
        # Only shared-library packages: nginx's others (iproute2, nginx-common) hold no code it loads.
        todo += [d for d in depends(got[name]) if d.startswith(("lib", "zlib")) and d not in got]
    got["kernel"] = got[kernel[0]]
    return got


def extract(debs: dict[str, Path], into: Path) -> None:
    for name, deb in debs.items():
        if name != "kernel":
            _run(["dpkg-deb", "-x", str(deb), str(into)])


# --- The kernel ------------------------------------------------------------------------

def vmlinux_from_bzimage(bzimage: bytes) -> bytes:
    """The uncompressed kernel ELF inside a bzImage: the first xz stream that decodes to one."""
    start = 0
    while (i := bzimage.find(XZ_MAGIC, start)) >= 0:
        start = i + 1
        try:
            d = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
            out = d.decompress(bzimage[i:])
        except lzma.LZMAError:
            continue
        if d.eof and out[:4] == b"\x7fELF":
            return out
    raise BaselineError("no xz-compressed ELF in the bzImage (is this kernel xz-compressed? "
                        "Debian's is: CONFIG_KERNEL_XZ=y)")


def kernel_release(tree: Path) -> str:
    releases = [p.name for p in (tree / "lib" / "modules").iterdir() if p.is_dir()]
    if len(releases) != 1:
        raise BaselineError(f"expected one kernel under lib/modules, found {releases}")
    return releases[0]


def module_index(moddir: Path) -> dict[str, Path]:
    """Module name -> .ko (or .ko.xz) file, for every module of the kernel."""
    index = {}
    for f in moddir.rglob("*.ko*"):
        if f.name.endswith((".ko", ".ko.xz")):
            index[f.name.split(".ko")[0].replace("-", "_")] = f
    return index


def module_bytes(f: Path) -> bytes:
    data = f.read_bytes()
    return lzma.decompress(data) if f.name.endswith(".xz") else data


def module_depends(ko: bytes) -> list[str]:
    sec = ELFFile(io.BytesIO(ko)).get_section_by_name(".modinfo")
    if sec is None:
        return []
    for item in sec.data().split(b"\0"):
        if item.startswith(b"depends="):
            return [d for d in item[8:].decode().split(",") if d]
    return []


def module_order(names: tuple[str, ...], index: dict[str, Path]) -> list[str]:
    """names and their dependencies, each after what it depends on."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise BaselineError(f"module dependency cycle: {' -> '.join(path + (name,))}")
        if name not in index:
            raise BaselineError(f"no module {name}.ko in this kernel (built in, or renamed?)")
        for dep in module_depends(module_bytes(index[name])):
            visit(dep, path + (name,))
        order.append(name)

    for n in names:
        visit(n, ())
    return order


# --- User space ------------------------------------------------------------------------

def _elf_needs(data: bytes) -> tuple[list[str], str | None]:
    """(DT_NEEDED sonames, PT_INTERP) of an ELF file."""
    elf = ELFFile(io.BytesIO(data))
    needed, interp = [], None
    for seg in elf.iter_segments():
        if seg["p_type"] == "PT_INTERP":
            interp = seg.get_interp_name()
        elif seg["p_type"] == "PT_DYNAMIC":
            needed = [t.needed for t in seg.iter_tags() if t.entry.d_tag == "DT_NEEDED"]
    return needed, interp


def _resolve(tree: Path, path: str) -> Path:
    """path inside tree, following symlinks (absolute ones taken relative to tree)."""
    p = tree / path.lstrip("/")
    for _ in range(40):
        if not p.is_symlink():
            return p
        target = os.readlink(p)
        p = tree / target.lstrip("/") if target.startswith("/") else p.parent / target
    raise BaselineError(f"symlink loop at {path}")


def library_closure(tree: Path, binary: str) -> dict[str, Path]:
    """Guest path -> file in tree, for binary's interpreter and every library it loads."""
    found: dict[str, Path] = {}
    todo = [binary]
    seen = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        real = _resolve(tree, path)
        needed, interp = _elf_needs(real.read_bytes())
        if interp:
            found[interp] = _resolve(tree, interp)
            todo.append(interp)
        for soname in needed:
            for d in LIB_DIRS:
                if (tree / d / soname).exists() or (tree / d / soname).is_symlink():
                    guest = f"/lib/x86_64-linux-gnu/{soname}"
                    found[guest] = _resolve(tree, f"{d}/{soname}")
                    todo.append(f"{d}/{soname}")
                    break
            else:
                raise BaselineError(f"{binary} needs {soname}, which no downloaded package holds")
    return found


NGINX_CONF = """\
user nobody nogroup;
worker_processes auto;
worker_rlimit_nofile 8192;
error_log stderr warn;
pid /run/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server_tokens off;
    keepalive_requests 1000000;
    client_body_temp_path /tmp/nginx-body;
    proxy_temp_path /tmp/nginx-proxy;
    fastcgi_temp_path /tmp/nginx-fastcgi;
    uwsgi_temp_path /tmp/nginx-uwsgi;
    scgi_temp_path /tmp/nginx-scgi;
    server {{
        listen {port} default_server;
        location = / {{
            default_type application/json;
            return 200 '{body}';
        }}
        location / {{ return 404; }}
    }}
}}
"""

INIT = """\
#!/bin/sh
export PATH=/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
M=/lib/modules/{release}
for m in {common}; do insmod $M/$m.ko; done
if ls /sys/bus/pci/devices/ 2>/dev/null | grep -q .; then
    for m in {pci}; do insmod $M/$m.ko; done
    if grep -q 0x8086 /sys/bus/pci/devices/*/vendor 2>/dev/null; then
        for m in {e1000}; do insmod $M/$m.ko; done
    fi
else
    for m in {mmio}; do insmod $M/$m.ko; done
fi
for m in {net}; do insmod $M/$m.ko; done
ip link set lo up
ip addr add ${{kaa_ip:-{ip}}} dev eth0
ip link set eth0 up
[ -n "$kaa_ip" ] || ip route add default via {gw}
nc -ll -p {sink} -e /bin/kaa-sink &
nc -ll -p {source} -e /bin/kaa-source &
mkdir -p /run /tmp /var/log/nginx /var/lib/nginx
if nginx; then
    echo "{ready} (uptime $(cut -d' ' -f1 /proc/uptime) s)"
else
    echo "kaa-bench: nginx failed"
fi
while :; do sleep 3600; done
"""


def _nginx_body(body: bytes) -> str:
    text = body.decode()
    if "'" in text or "$" in text or "\\" in text:
        raise BaselineError("the baseline's body cannot hold ', $ or \\ (nginx config quoting)")
    return text


def build_initramfs(tree: Path, release: str, port: int, body: bytes) -> tuple[bytes, dict]:
    ar = Initramfs()
    for d in ("/dev", "/proc", "/sys", "/run", "/tmp", "/bin", "/usr/sbin", "/etc/nginx"):
        ar.directory(d)
    ar.device("/dev/console", 5, 1)
    ar.device("/dev/null", 1, 3, mode=0o666)
    ar.file("/bin/busybox", _resolve(tree, "bin/busybox").read_bytes(), 0o755)
    for applet in BUSYBOX_APPLETS:
        ar.symlink(f"/bin/{applet}", "busybox")
    ar.file("/usr/sbin/nginx", _resolve(tree, "usr/sbin/nginx").read_bytes(), 0o755)
    libs = library_closure(tree, "usr/sbin/nginx")
    first: dict[Path, str] = {}
    for guest, f in sorted(libs.items()):
        if f in first:          # the same file under another name (the PT_INTERP path): a link
            ar.symlink(guest, first[f])
        else:
            first[f] = guest
            ar.file(guest, f.read_bytes(), 0o755)
    ar.file("/bin/kaa-sink", b"#!/bin/sh\nexec wc -c\n", 0o755)
    ar.file("/bin/kaa-source", b"#!/bin/sh\nexec cat /dev/zero\n", 0o755)
    ar.file("/etc/passwd", b"root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
    ar.file("/etc/group", b"root:x:0:\nnogroup:x:65534:\n")
    ar.file("/etc/nginx/nginx.conf", NGINX_CONF.format(port=port, body=_nginx_body(body)).encode())

    index = module_index(tree / "lib" / "modules" / release)
    common = module_order(MODULES_COMMON, index)
    groups = {"common": common}
    for key, names in (("mmio", MODULES_MMIO), ("pci", MODULES_PCI), ("e1000", MODULES_E1000),
                       ("net", MODULES_NET)):
        # Each group loads after "common" (and "net" after the transport), so leave those out.
        groups[key] = [m for m in module_order(names, index) if m not in common
                       and (key != "net" or m not in groups["mmio"] + groups["pci"])]
    for name in dict.fromkeys(sum(groups.values(), [])):
        ar.file(f"/lib/modules/{release}/{name}.ko", module_bytes(index[name]))
    init = INIT.format(release=release, ip=GUEST_IP, gw=GATEWAY, ready=READY_LINE, sink=SINK_PORT,
                       source=SOURCE_PORT, **{k: " ".join(v) for k, v in groups.items()})
    ar.file("/init", init.encode(), 0o755)
    return ar.pack(), {"modules": groups, "libraries": sorted(libs)}


# --- Booting it ------------------------------------------------------------------------

_tsc_khz: list[int | None] = []


def host_tsc_khz() -> int | None:
    """The host's TSC rate in kHz, measured (rdtsc against the monotonic clock), or None.

    Under TCG the guest's TSC counts the host's, and the guest has no HPET or ACPI PM
    timer on microvm: Linux calibrates its TSC against the emulated PIT, which fails when
    the host is busy ("tsc: Unable to calibrate against PIT") and the boot then hangs.
    boot_cmdline() hands Linux the rate instead (tsc_early_khz=)."""
    if _tsc_khz:
        return _tsc_khz[0]
    khz = None
    try:
        import ctypes
        import mmap
        import statistics
        import time
        # rdtsc; shl rdx, 32; or rax, rdx; ret
        page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        page.write(bytes([0x0F, 0x31, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3]))
        rdtsc = ctypes.CFUNCTYPE(ctypes.c_uint64)(ctypes.addressof(ctypes.c_char.from_buffer(page)))
        rates = []
        for _ in range(3):
            t0, c0 = time.perf_counter_ns(), rdtsc()
            time.sleep(0.05)
            c1, t1 = rdtsc(), time.perf_counter_ns()
            rates.append((c1 - c0) * 1_000_000 / (t1 - t0))
        khz = round(statistics.median(rates))
        _keep_alive.append((page, rdtsc))
    except (OSError, ValueError, AttributeError, ImportError):
        khz = None
    _tsc_khz.append(khz if khz and khz > 100_000 else None)
    return _tsc_khz[0]


_keep_alive: list[object] = []


def boot_cmdline(base: str, accel: str) -> str:
    """The kernel command line for this accelerator (see host_tsc_khz)."""
    if accel == "tcg" and platform_is_x86() and (khz := host_tsc_khz()):
        return f"{base} tsc_early_khz={khz}"
    return base


def platform_is_x86() -> bool:
    import platform
    return platform.machine() in ("x86_64", "AMD64")


# --- Build and cache -------------------------------------------------------------------

def _recipe(port: int, body: bytes) -> bytes:
    """Everything but the packages that decides what a build holds."""
    return (f"{FORMAT} {port} {SINK_PORT} {SOURCE_PORT} {CMDLINE} {READY_LINE}\n".encode() + body
            + INIT.encode() + NGINX_CONF.encode())


def _key(debs: dict[str, Path], port: int, body: bytes) -> str:
    h = hashlib.sha256()
    for name in sorted(debs):
        h.update(f"{name}={debs[name].name}\n".encode())
    h.update(_recipe(port, body))
    return h.hexdigest()[:20]


def _tag(port: int, body: bytes) -> Path:
    """Names the folder last built from this recipe (whatever the packages were then)."""
    return root() / f"last-{hashlib.sha256(_recipe(port, body)).hexdigest()[:16]}"


def _remembered(port: int, body: bytes) -> Path | None:
    """The folder last built for this recipe, found without asking apt anything."""
    tag = _tag(port, body)
    if tag.exists():
        d = root() / tag.read_text().strip()
        if (d / "manifest.json").exists():
            return d
    return None


def _load(d: Path) -> Baseline:
    m = json.loads((d / "manifest.json").read_text())
    return Baseline(vmlinux=d / "vmlinux", initramfs=d / "initramfs.cpio", bzimage=d / "bzImage",
                    cmdline=m["cmdline"], port=m["port"], ready=m["ready"], manifest=m)


def build_baseline(port: int = PORT, body: bytes = BODY, refresh: bool = False,
                   log=lambda msg: print(msg, file=sys.stderr)) -> Baseline:
    """The Linux baseline serving body on port: built once, then taken from the cache."""
    if not refresh and (d := _remembered(port, body)) is not None:
        return _load(d)
    base = root()
    log("linux baseline: fetching Debian packages")
    debs = fetch(base / "debs")
    key = _key(debs, port, body)
    out = base / key
    if not (out / "manifest.json").exists():
        log(f"linux baseline: building {out}")
        with tempfile.TemporaryDirectory(prefix="kaa-linux-", dir=base) as tmp:
            tree = Path(tmp) / "tree"
            stage = Path(tmp) / "out"
            stage.mkdir()
            extract(debs, tree)
            release = kernel_release(tree)
            bz = tree / "boot" / f"vmlinuz-{release}"
            shutil.copyfile(bz, stage / "bzImage")
            (stage / "vmlinux").write_bytes(vmlinux_from_bzimage(bz.read_bytes()))
            cpio, contents = build_initramfs(tree, release, port, body)
            (stage / "initramfs.cpio").write_bytes(cpio)
            manifest = {"kernel": release, "packages": {n: p.name for n, p in sorted(debs.items())},
                        "cmdline": CMDLINE, "port": port, "ready": READY_LINE, "body": body.decode(),
                        **contents}
            (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            if out.exists():
                shutil.rmtree(out)
            stage.rename(out)
    _tag(port, body).write_text(key + "\n")
    return _load(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m kaa.bench.linux", description=__doc__.split("\n")[0])
    ap.add_argument("--refresh", action="store_true", help="look for newer Debian packages")
    ap.add_argument("--boot", action="store_true", help="boot it once and time the first HTTP 200")
    args = ap.parse_args(argv)
    try:
        b = build_baseline(refresh=args.refresh)
    except BaselineError as e:
        print(f"kaa bench: {e}", file=sys.stderr)
        return 1
    print(json.dumps({"vmlinux": str(b.vmlinux), "initramfs": str(b.initramfs), "cmdline": b.cmdline,
                      "kernel": b.manifest["kernel"]}, indent=2))
    if args.boot:
        from kaa.bench import services
        from kaa.bench.boot import boot_once
        print(json.dumps(boot_once(services.linux()), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
