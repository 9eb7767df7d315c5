"""OCI images of Kaa services: `kaa image SERVICE.py -t NAME:TAG`.

Design:
- One layer, no base image. It holds the kernel (/kaa/kernel.elf), the entry point
  (/kaa/entry: entry.c beside this file, compiled with gcc -static at each build with
  the image's defaults compiled in), /kaa/listen.so (listen_shim.c: the entry point
  preloads it into QEMU so forwarded ports listen with a real backlog), and the host's QEMU with exactly what it opens for
  a microvm guest: the shared libraries ldd lists for it and for its TCG module
  (Debian builds TCG as a module), and the firmware microvm loads (measured with
  strace: bios-microvm.bin and pvh.bin, nothing else). Every file keeps its host path,
  since QEMU looks for modules and firmware beside its own binary
  (/usr/bin/../lib/..., /usr/bin/../share/qemu); a symlink is stored as the file it
  names.
- The tarball is at once a `docker save` archive (manifest.json) and an OCI image
  layout (oci-layout, index.json), both naming the same blobs under blobs/sha256/, as
  Docker's own `docker save` writes since version 25: `docker load`, `podman load` and
  OCI tools (skopeo's oci-archive:) read it. No PyPI package writes this format (the
  OCI ones talk to registries, or only parse); it is a few JSON files and two tars.
- Reproducible: entries sorted, owner root, every time SOURCE_DATE_EPOCH (default 0),
  JSON with sorted keys. The same inputs give the same bytes, so the same image ID.
- With podman on the PATH (and load_podman), `podman load` puts the image into
  podman's store as NAME:TAG, so `podman run NAME:TAG` finds it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kaa import build as kbuild
from kaa import vm

ENTRY_SOURCE = Path(__file__).with_name("entry.c")
ENTRY = "kaa/entry"
LISTEN_SHIM_SOURCE = Path(__file__).with_name("listen_shim.c")
LISTEN_SHIM = "kaa/listen.so"          # QEMU's listen() with a real backlog (LD_PRELOAD by the entry point)
KERNEL = "kaa/kernel.elf"
TCG_MODULE = "lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so"   # under QEMU's prefix (/usr)
FIRMWARE = ("bios-microvm.bin", "pvh.bin")                      # under PREFIX/share/qemu

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"

# The distribution reference grammar (github.com/distribution/reference), restricted to
# NAME[:TAG]: lower-case path components, an optional registry host first.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_HOST = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)"
_REFERENCE = re.compile(rf"(?P<name>{_HOST}?{_COMPONENT}(?:/{_COMPONENT})*)(?::(?P<tag>[\w][\w.-]{{0,127}}))?")
_PORT = re.compile(r"(\d+)(?:/(tcp|udp))?")

# Compared with in the summary: python:3.11-slim with Flask installed (uncompressed).
PYTHON_FLASK_MB = 130


class ImageError(Exception):
    """The image cannot be built or loaded; the message says why."""


@dataclass(frozen=True)
class _File:
    path: str               # inside the image, without the leading "/"
    data: bytes
    mode: int


def build_image(app: Path, tag: str, *, memory: int = 128, smp: int = 1, ports: tuple[str | int, ...] = (80,),
                cmdline: str = "", output: Path | None = None, load_podman: bool = True) -> Path:
    """Build app's image as NAME:TAG and write its tarball (default build/NAME-TAG.tar);
    with load_podman and podman on the PATH, also load it into podman. Returns the tarball."""
    name, version = parse_tag(tag)
    guest_ports = tuple(_check_port(p) for p in ports)
    if len({p if "/" in p else p + "/tcp" for p in guest_ports}) < len(guest_ports):
        raise ImageError(f"--port: a port is given twice in {' '.join(guest_ports)}")
    if not 1 <= memory <= 1 << 20:
        raise ImageError(f"--memory {memory}: want MiB, 1..{1 << 20}")
    if smp < 1 or smp > 255:
        raise ImageError(f"--smp {smp}: want 1..255 virtual CPUs")
    _check_cmdline(cmdline)
    kernel = kbuild.build(Path(app), target="kvm")
    min_memory = _min_memory(kernel, memory)
    defaults = {"KAA_MEMORY": str(memory), "KAA_SMP": str(smp), "KAA_PORTS": " ".join(guest_ports), "KAA_ACCEL": "auto"}
    qemu = _qemu()
    files = [_File(KERNEL, kernel.read_bytes(), 0o644),
             _File(ENTRY, _compile_entry(qemu, defaults, cmdline, min_memory, vm.image_uses_sse(kernel)), 0o755),
             _File(LISTEN_SHIM, _compile(["-shared", "-fPIC", "-O2", "-s"], LISTEN_SHIM_SOURCE), 0o755),
             *_qemu_files(qemu)]
    layer = _layer(files)
    config = _config(Path(app).stem, defaults, guest_ports, _digest(layer))
    out = output or Path("build") / f"{name.replace('/', '_').replace(':', '_')}-{version}.tar"
    _write_archive(out, f"{name}:{version}", layer, config)
    if load_podman and shutil.which("podman"):
        load_into_podman(out)
    return out


def main(args: argparse.Namespace, cmdline: str) -> int:
    """`kaa image` (argparse namespace from kaa.cli): build, then say where and how big."""
    load = not args.no_load and shutil.which("podman") is not None
    tarball = build_image(args.app, args.tag, memory=args.memory, smp=args.smp, ports=tuple(args.port or (80,)),
                          cmdline=cmdline, output=args.output, load_podman=load)
    print(tarball)
    print(describe(tarball))
    if load:
        name, version = parse_tag(args.tag)
        print(f"loaded into podman: podman run -p 127.0.0.1:8080:{(args.port or [80])[0]} {name}:{version}")
    return 0


def parse_tag(tag: str) -> tuple[str, str]:
    """(NAME, TAG) of "NAME[:TAG]" (TAG defaults to latest), or an ImageError saying what is allowed."""
    m = _REFERENCE.fullmatch(tag)
    if m is None:
        raise ImageError(f"-t {tag!r}: write NAME:TAG, NAME in lower case letters, digits and . _ - "
                         "(path components separated by /, a registry host first if any), "
                         "TAG of letters, digits, . _ - (at most 128)")
    return m.group("name"), m.group("tag") or "latest"


def _check_port(port: str | int) -> str:
    m = _PORT.fullmatch(str(port))
    if m is None or not 1 <= int(m.group(1)) <= 65535:
        raise ImageError(f"--port {port}: want a guest port 1..65535, optionally /tcp or /udp")
    return str(port)


def _check_cmdline(cmdline: str) -> None:
    if any(not " " <= c <= "~" for c in cmdline):
        raise ImageError("the kernel command line (after --) must be printable ASCII")


def _min_memory(kernel: Path, memory: int) -> int:
    """The least KAA_MEMORY the kernel boots with (MiB); checks memory against it."""
    try:
        vm.check_memory(vm.VmConfig(kernel, memory=memory))
    except vm.VmError as e:
        raise ImageError(str(e)) from None
    end = vm.image_end(kernel) or 0
    return max(1, -(-end >> 20))


def _qemu() -> Path:
    found = shutil.which(vm.QEMU)
    if found is None:
        raise ImageError(f"{vm.QEMU} not found; install QEMU (Debian: qemu-system-x86)")
    return Path(found)


def _qemu_files(qemu: Path) -> list[_File]:
    """QEMU, its TCG module (if QEMU is built with modules), the libraries both load,
    and microvm's firmware, each at its host path."""
    prefix = qemu.parent.parent
    module = prefix / TCG_MODULE
    binaries = [qemu] + ([module] if module.exists() else [])
    paths = {p for b in binaries for p in _libraries(b)} | set(binaries)
    for fw in FIRMWARE:
        path = prefix / "share" / "qemu" / fw
        if not path.exists():
            raise ImageError(f"{path}: missing; microvm needs it (Debian: qemu-system-data, seabios)")
        paths.add(path)
    return [_File(str(p).lstrip("/"), p.read_bytes(), p.stat().st_mode & 0o755) for p in sorted(paths)]


def _libraries(binary: Path) -> list[Path]:
    """The shared libraries the dynamic loader maps for binary (and the loader itself), per ldd."""
    r = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    if r.returncode != 0:
        raise ImageError(f"ldd {binary} failed: {r.stderr.strip() or r.stdout.strip()}")
    libs = []
    for line in r.stdout.splitlines():
        if "not found" in line:
            raise ImageError(f"{binary}: a library it needs is missing: {line.strip()}")
        m = re.search(r"(?:=> )?(/\S+) \(0x", line)  # "libz.so.1 => /lib/.../libz.so.1 (0x..)", or the loader
        if m:
            libs.append(Path(m.group(1)))
    return libs


def _c_string(text: str) -> str:
    """text as a C string literal (for -D): everything but letters and digits escaped in octal."""
    return '"' + "".join(c if c.isalnum() else f"\\{ord(c):03o}" for c in text) + '"'


def _compile_entry(qemu: Path, defaults: dict[str, str], cmdline: str, min_memory: int, sse: bool) -> bytes:
    """entry.c compiled statically, with this image's defaults."""
    defines = {"KAA_QEMU": _c_string(str(qemu)), "KAA_DEFAULT_MEMORY": _c_string(defaults["KAA_MEMORY"]),
               "KAA_DEFAULT_SMP": _c_string(defaults["KAA_SMP"]), "KAA_DEFAULT_PORTS": _c_string(defaults["KAA_PORTS"]),
               "KAA_DEFAULT_CMDLINE": _c_string(cmdline), "KAA_MIN_MEMORY": str(min_memory),
               "KAA_USES_SSE": "1" if sse else "0"}
    return _compile(["-static", "-Os", "-s", *(f"-D{k}={v}" for k, v in defines.items())], ENTRY_SOURCE)


def _compile(flags: list[str], source: Path) -> bytes:
    """source compiled by gcc with flags: the output file's bytes."""
    with tempfile.TemporaryDirectory(prefix="kaa-image-") as tmp:
        out = Path(tmp) / source.stem
        r = subprocess.run(["gcc", *flags, "-o", str(out), str(source)], capture_output=True, text=True)
        if r.returncode != 0:
            raise ImageError(f"compiling {source.name} failed (static glibc: Debian's libc6-dev):\n{r.stderr}")
        return out.read_bytes()


def _epoch() -> int:
    try:
        return int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        raise ImageError(f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']!r}: want seconds since 1970") from None


def _tar(entries: list[tuple[str, bytes | None, int]]) -> bytes:
    """A tar of (path, data or None for a directory, mode), reproducible: sorted, root's, at the epoch."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data, mode in sorted(entries, key=lambda e: e[0]):
            info = tarfile.TarInfo(path)
            info.mode, info.mtime, info.uid, info.gid, info.uname, info.gname = mode, _epoch(), 0, 0, "", ""
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _layer(files: list[_File]) -> bytes:
    dirs = {str(parent) for f in files for parent in Path(f.path).parents if str(parent) != "."}
    return _tar([(d, None, 0o755) for d in dirs] + [(f.path, f.data, f.mode) for f in files])


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _config(title: str, defaults: dict[str, str], ports: tuple[str, ...], diff_id: str) -> bytes:
    """The image configuration (OCI image spec, config.md)."""
    created = _timestamp()
    return _json({
        "architecture": "amd64", "os": "linux", "created": created,
        "config": {
            "Entrypoint": ["/" + ENTRY],
            "Env": [f"{k}={v}" for k, v in defaults.items()],
            "ExposedPorts": {p if "/" in p else f"{p}/tcp": {} for p in ports},
            "StopSignal": "SIGTERM",
            "Labels": {"org.opencontainers.image.title": title},
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": created, "created_by": f"kaa image {title}.py"}],
    })


def _timestamp() -> str:
    return datetime.datetime.fromtimestamp(_epoch(), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_archive(out: Path, reference: str, layer: bytes, config: bytes) -> None:
    """The tarball: OCI layout and docker-save manifest over the same blobs."""
    def descriptor(media: str, data: bytes) -> dict[str, object]:
        return {"mediaType": media, "digest": _digest(data), "size": len(data)}

    manifest = _json({"schemaVersion": 2, "mediaType": MEDIA_MANIFEST, "config": descriptor(MEDIA_CONFIG, config),
                      "layers": [descriptor(MEDIA_LAYER, layer)]})
    index = _json({"schemaVersion": 2, "mediaType": MEDIA_INDEX,
                   "manifests": [{**descriptor(MEDIA_MANIFEST, manifest),
                                  "annotations": {"org.opencontainers.image.ref.name": reference}}]})

    def blob(data: bytes) -> str:
        return "blobs/sha256/" + hashlib.sha256(data).hexdigest()

    docker = _json([{"Config": blob(config), "RepoTags": [reference], "Layers": [blob(layer)]}])
    entries: list[tuple[str, bytes | None, int]] = [
        ("blobs", None, 0o755), ("blobs/sha256", None, 0o755),
        *((blob(data), data, 0o644) for data in (layer, config, manifest)),
        ("oci-layout", _json({"imageLayoutVersion": "1.0.0"}), 0o644),
        ("index.json", index, 0o644), ("manifest.json", docker, 0o644)]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(_tar(entries))
    tmp.replace(out)


def load_into_podman(tarball: Path) -> str:
    """`podman load` the tarball; podman's answer ("Loaded image: ...")."""
    r = subprocess.run(["podman", "load", "-q", "-i", str(tarball)], capture_output=True, text=True)
    if r.returncode != 0:
        raise ImageError(f"podman load -i {tarball} failed (the tarball is written):\n{r.stderr.strip()}")
    return r.stdout.strip()


def describe(tarball: Path) -> str:
    """What the tarball's image holds and weighs, read back from the tarball itself."""
    with tarfile.open(tarball) as outer:
        docker = json.load(_member(outer, "manifest.json"))[0]
        groups: dict[str, int] = {}
        layer_size = 0
        for layer_name in docker["Layers"]:
            layer_size += outer.getmember(layer_name).size
            with tarfile.open(fileobj=_member(outer, layer_name)) as layer:
                for m in layer.getmembers():
                    if m.isfile():
                        group = _group(m.name)
                        groups[group] = groups.get(group, 0) + m.size
    parts = ", ".join(f"{g} {_mb(n)}" for g, n in sorted(groups.items(), key=lambda item: -item[1]))
    return (f"{docker['RepoTags'][0]}: {_mb(layer_size)} ({parts}); "
            f"a python:3.11-slim + Flask image is about {PYTHON_FLASK_MB} MB")


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    f = tar.extractfile(name)
    if f is None:
        raise ImageError(f"{name}: not a file in the tarball")
    return f


def _group(path: str) -> str:
    if path in (KERNEL, ENTRY, LISTEN_SHIM):
        return {KERNEL: "kernel", ENTRY: "entry point", LISTEN_SHIM: "entry point"}[path]
    if "/share/qemu/" in f"/{path}":
        return "firmware"
    return "QEMU" if "qemu" in path else "libraries"


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"
