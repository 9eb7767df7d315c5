"""Disk images for `kaa run --disk` and `kaa disk`: ext2 made from a folder, read back.

Everything goes through e2fsprogs (Debian: e2fsprogs): `mke2fs -t ext2 -d DIR` makes
an image holding a folder's tree, `debugfs` lists and copies files out of an image
without mounting it, `e2fsck -fn` checks one without changing it. An image is a plain
raw file; the guest sees it as a virtio-blk disk (kernel/drivers/virtio_blk.py) and
mounts it with kernel/fs/vfs.py.

Sizes: by default the folder's bytes (each file rounded up to whole blocks) and its
entries, plus half again and 16 MiB, so the guest has room to write.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

BLOCK_SIZES = (1024, 2048, 4096)
MIN_SIZE = 16 << 20
TOOLS_HINT = "install e2fsprogs (Debian: apt-get install e2fsprogs)"


class DiskError(Exception):
    """An image cannot be made or read; the message says why."""


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/sbin/{name}" if os.path.exists(f"/sbin/{name}") else None)
    if found is None:
        raise DiskError(f"{name} not found; {TOOLS_HINT}")
    return found


def _run(argv: list[str], what: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    if r.returncode != 0:
        raise DiskError(f"{what} failed ({' '.join(argv)}):\n{r.stderr.strip() or r.stdout.strip()}")
    return r


def tree_size(folder: Path, block_size: int) -> int:
    """Bytes the folder's tree takes on ext2: whole blocks per file, an inode each."""
    total = 0
    for root, dirs, files in os.walk(folder):
        total += block_size + 256 * (len(dirs) + len(files))
        for f in files:
            p = Path(root) / f
            if not p.is_symlink():
                total += (p.stat().st_size + block_size - 1) // block_size * block_size
    return total


def default_size(folder: Path, block_size: int) -> int:
    data = tree_size(folder, block_size)
    size = data + data // 2 + MIN_SIZE
    return (size + (1 << 20) - 1) // (1 << 20) << 20


def make(folder: str | Path, image: str | Path, size: int | None = None, block_size: int = 4096,
         label: str = "kaa") -> Path:
    """Make an ext2 image of size bytes (None: default_size) holding folder's tree."""
    folder, image = Path(folder), Path(image)
    if not folder.is_dir():
        raise DiskError(f"{folder}: not a folder")
    if block_size not in BLOCK_SIZES:
        raise DiskError(f"block size {block_size}: choose one of {', '.join(map(str, BLOCK_SIZES))}")
    size = size if size is not None else default_size(folder, block_size)
    if size < 64 * block_size:
        raise DiskError(f"image size {size} is too small")
    files = sum(len(d) + len(f) for _, d, f in os.walk(folder))
    image.parent.mkdir(parents=True, exist_ok=True)
    tmp = image.with_name(image.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with open(tmp, "wb") as f:
        f.truncate(size)
    # -N: enough inodes for the tree and as many again; -E root_owner: files owned by root.
    argv = [_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-b", str(block_size), "-L", label,
            "-N", str(max(2 * files + 64, size // 16384)), "-E", "root_owner=0:0",
            "-d", str(folder), str(tmp)]
    try:
        _run(argv, "mke2fs")
    except DiskError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(image)
    return image


def _debugfs(image: str | Path, request: str) -> str:
    if not Path(image).is_file():
        raise DiskError(f"{image}: no such image")
    r = _run([_tool("debugfs"), "-R", request, str(image)], "debugfs")
    # debugfs reports a bad path on stderr and still exits 0
    for line in r.stderr.splitlines():
        if ": File not found" in line or "not found by ext2_lookup" in line or "Ext2 inode is not a directory" in line:
            raise DiskError(line.strip())
    return r.stdout


def ls(image: str | Path, path: str = "/") -> list[tuple[str, str, int]]:
    """The entries of a directory in the image: (name, kind "d"/"f"/"l"/"o", size)."""
    out = _debugfs(image, f"ls -p {path}")
    entries = []
    for line in out.splitlines():
        line = line.strip()             # /INODE/MODE/UID/GID/NAME/SIZE/
        parts = line[1:].split("/")
        if not line.startswith("/") or len(parts) < 6 or parts[4] in (".", ".."):
            continue
        mode = int(parts[1], 8)
        kind = {0o040000: "d", 0o100000: "f", 0o120000: "l"}.get(mode & 0o170000, "o")
        entries.append((parts[4], kind, int(parts[5]) if parts[5] else 0))
    return entries


def get(image: str | Path, path: str, out: str | Path) -> Path:
    """Copy the file at path in the image to out."""
    out = Path(out)
    out.unlink(missing_ok=True)
    _debugfs(image, f"dump {path} {out}")
    if not out.exists():
        raise DiskError(f"{path}: not a file in {image}")
    return out


def get_tree(image: str | Path, out: str | Path) -> Path:
    """Copy the whole tree of the image into the folder out (made)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _debugfs(image, f"rdump / {out}")
    return out


def check(image: str | Path) -> tuple[bool, str]:
    """e2fsck -fn: (clean, its report)."""
    r = subprocess.run([_tool("e2fsck"), "-fn", str(image)], capture_output=True, text=True, errors="replace")
    return r.returncode == 0, r.stdout + r.stderr


def for_run(path: str | Path, out: str | Path | None = None, size_mib: int | None = None,
            block_size: int = 4096) -> tuple[Path, bool]:
    """What `kaa run --disk PATH` attaches: an image file as it is, or for a folder a
    fresh image of it (at out, else a temporary file). Returns (image, temporary)."""
    path = Path(path)
    if path.is_file():
        return path, False
    if not path.is_dir():
        raise DiskError(f"--disk {path}: no such folder or image")
    temporary = out is None
    if out is None:
        fd, name = tempfile.mkstemp(prefix="kaa-disk-", suffix=".img")
        os.close(fd)
        out = name
    make(path, out, size_mib << 20 if size_mib else None, block_size)
    return Path(out), temporary


def main(args: argparse.Namespace) -> int:
    """`kaa disk make|get|ls|check` (argparse namespace from kaa.cli)."""
    if args.disk_verb == "make":
        img = make(args.folder, args.image, args.size << 20 if args.size else None, args.block_size)
        print(img)
    elif args.disk_verb == "get":
        get(args.image, args.path, args.out)
    elif args.disk_verb == "ls":
        for name, kind, size in ls(args.image, args.path):
            print(f"{kind} {size:>10} {name}")
    else:
        clean, report = check(args.image)
        print(report.strip())
        return 0 if clean else 1
    return 0


def add_run_options(r: argparse.ArgumentParser) -> None:
    """`kaa run`'s disk options (argparse)."""
    r.add_argument("--disk", metavar="DIR|IMG",
                   help="attach a virtio-blk disk: an image file, or a folder made into an ext2 image")
    r.add_argument("--disk-out", metavar="IMG", help="with --disk DIR: make the image here and keep it")
    r.add_argument("--disk-size", type=int, metavar="MIB", help="with --disk DIR: image size (default: tree + slack)")
    r.add_argument("--disk-block-size", type=int, default=4096, choices=BLOCK_SIZES,
                   help="with --disk DIR: ext2 block size (default 4096)")


def add_verb(verbs: Any) -> None:
    """`kaa disk make|get|ls|check` (argparse subparsers of kaa.cli)."""
    d = verbs.add_parser("disk", help="ext2 disk images: make one from a folder, look inside")
    dv = d.add_subparsers(dest="disk_verb", required=True)
    m = dv.add_parser("make", help="make an ext2 image holding a folder's tree")
    m.add_argument("folder", type=Path)
    m.add_argument("image", type=Path)
    m.add_argument("--size", type=int, metavar="MIB", help="image size (default: tree + slack)")
    m.add_argument("--block-size", type=int, default=4096, choices=BLOCK_SIZES)
    g = dv.add_parser("get", help="copy a file out of an image")
    g.add_argument("image", type=Path)
    g.add_argument("path")
    g.add_argument("out", type=Path)
    ls_ = dv.add_parser("ls", help="list a directory of an image")
    ls_.add_argument("image", type=Path)
    ls_.add_argument("path", nargs="?", default="/")
    c = dv.add_parser("check", help="e2fsck -fn an image (exit 1 unless clean)")
    c.add_argument("image", type=Path)
