"""A model of a file tree for the ext2 tests, and the helpers they share.

tests/host/fs_script.py runs scripts of file operations over kernel/fs/vfs.py (on the
host in tests/test_fs_ext2.py, booted in tests/test_fs_booted.py); `Model` applies the
same operations to a dict and predicts every result line: the error code (errno
numbers, kernel/fs/error.py) in the order the kernel checks, the bytes of every file.
`walk_lines` gives what the script's `walk` prints for a tree, so a guest's reading
of an image made from a folder is checked line for line. The tests at the bottom
check the model's own pieces.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

ENOENT, EEXIST, ENOTDIR, EISDIR, EINVAL, ENOTEMPTY = 2, 17, 20, 21, 22, 39
MASK = (1 << 64) - 1
CHUNK = 1 << 20


def data(seed: int, n: int) -> bytes:
    """What the script writes for SEED: xorshift64 (13, 7, 17), little-endian words."""
    x = (seed * 0x9E3779B97F4A7C15 + 1) & MASK
    out = bytearray()
    while len(out) < n:
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        out += x.to_bytes(8, "little")
    return bytes(out[:n])


def crc(b: bytes) -> str:
    return f"{zlib.crc32(b):08x}"


def parent_of(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


class Model:
    """Paths ("/a/b") to bytearray (files) or None (directories); "/" is implicit."""

    def __init__(self, tree: dict[str, bytearray | None] | None = None):
        self.tree: dict[str, bytearray | None] = dict(tree or {})

    @classmethod
    def of_folder(cls, folder: Path) -> "Model":
        m = cls()
        for root, dirs, files in os.walk(folder):
            rel = "" if Path(root) == Path(folder) else "/" + os.path.relpath(root, folder)
            for d in dirs:
                m.tree[f"{rel}/{d}"] = None
            for f in files:
                m.tree[f"{rel}/{f}"] = bytearray((Path(root) / f).read_bytes())
        return m

    # --- lookups, in the kernel's order of checks ---

    def is_dir(self, p: str) -> bool:
        return p == "/" or (p in self.tree and self.tree[p] is None)

    def resolve(self, p: str) -> int:
        """0 if p exists, else the error walking to it gives."""
        parts = [c for c in p.split("/") if c]
        cur = ""
        for c in parts:
            if not self.is_dir(cur or "/"):
                return ENOTDIR
            cur += "/" + c
            if cur not in self.tree:
                return ENOENT
        return 0

    def parent_lookup(self, p: str) -> int:
        """What walking to p's parent gives (then its name is checked)."""
        parts = [c for c in p.split("/") if c]
        r = self.resolve("/" + "/".join(parts[:-1]))
        if r:
            return r
        return EINVAL if not parts or parts[-1] in (".", "..") else 0

    def parent_dir(self, p: str) -> int:
        return 0 if self.is_dir(parent_of("/" + "/".join(c for c in p.split("/") if c))) else ENOTDIR

    def parent(self, p: str) -> int:
        """0 if p's parent is an existing directory and its name is valid."""
        return self.parent_lookup(p) or self.parent_dir(p)

    def children(self, d: str) -> list[str]:
        pre = d.rstrip("/") + "/"
        return [p for p in self.tree if p.startswith(pre) and "/" not in p[len(pre):]]

    def links(self, p: str) -> int:
        if not self.is_dir(p):
            return 1
        return 2 + sum(1 for c in self.children(p) if self.tree[c] is None)

    # --- operations: each returns the script's result line ---

    def apply(self, line: str) -> str:
        w = line.split()
        op, a = w[0], w[1]
        r = getattr(self, "op_" + op)(*w[1:])
        return f"{op} {a} ok" if r == 0 else f"{op} {a} err {r}"

    def op_mkdir(self, p: str) -> int:
        r = self.parent(p)
        if r:
            return r
        if p in self.tree:
            return EEXIST
        self.tree[p] = None
        return 0

    def op_create(self, p: str) -> int:
        r = self.resolve(p)
        if r == 0:
            return EEXIST
        if r != ENOENT:
            return r
        r = self.parent(p)
        if r:
            return r
        self.tree[p] = bytearray()
        return 0

    def open_write(self, p: str) -> int:
        r = self.resolve(p)
        if r == ENOENT:
            r = self.parent(p)
            if r:
                return r
            self.tree[p] = bytearray()
            return 0
        if r:
            return r
        return EISDIR if self.is_dir(p) else 0

    def op_write(self, p: str, off: str, size: str, seed: str) -> int:
        r = self.open_write(p)
        if r:
            return r
        f = self.tree[p]
        assert f is not None
        o, n = int(off), min(int(size), CHUNK)
        if n == 0:
            return 0
        if len(f) < o:
            f.extend(bytes(o - len(f)))
        f[o:o + n] = data(int(seed), n)
        return 0

    def op_append(self, p: str, size: str, seed: str) -> int:
        r = self.open_write(p)
        if r:
            return r
        f = self.tree[p]
        assert f is not None
        f.extend(data(int(seed), min(int(size), CHUNK)))
        return 0

    def op_trunc(self, p: str, size: str) -> int:
        r = self.resolve(p)
        if r:
            return r
        f = self.tree[p] if p != "/" else None
        if f is None:
            return EISDIR
        n = int(size)
        if n < len(f):
            del f[n:]
        else:
            f.extend(bytes(n - len(f)))
        return 0

    def op_rm(self, p: str) -> int:
        r = self.resolve(p) or self.parent(p)
        if r:
            return r
        if self.is_dir(p):
            return EISDIR
        del self.tree[p]
        return 0

    def op_rmdir(self, p: str) -> int:
        r = self.resolve(p) or self.parent(p)
        if r:
            return r
        if not self.is_dir(p):
            return ENOTDIR
        if self.children(p):
            return ENOTEMPTY
        del self.tree[p]
        return 0

    def op_mv(self, a: str, b: str) -> int:
        r = self.parent_lookup(a) or self.parent_lookup(b) or self.parent_dir(a) or self.parent_dir(b)
        if r:
            return r
        norm_b = "/" + "/".join(c for c in b.split("/") if c)
        norm_a = "/" + "/".join(c for c in a.split("/") if c)
        if norm_a not in self.tree:
            return ENOENT
        moving_dir = self.is_dir(norm_a)
        if moving_dir and parent_of(norm_b) != parent_of(norm_a):
            if (parent_of(norm_b) + "/").startswith(norm_a + "/"):
                return EINVAL
        if norm_b == norm_a:
            return 0
        if norm_b in self.tree:
            if self.is_dir(norm_b):
                if not moving_dir:
                    return EISDIR
                if self.children(norm_b):
                    return ENOTEMPTY
            elif moving_dir:
                return ENOTDIR
            del self.tree[norm_b]
        moved = {p: v for p, v in self.tree.items() if p == norm_a or p.startswith(norm_a + "/")}
        for p in moved:
            del self.tree[p]
        for p, v in moved.items():
            self.tree[norm_b + p[len(norm_a):]] = v
        return 0

    def op_sync(self, p: str) -> int:
        return 0

    # --- what `walk` prints ---

    def walk_lines(self) -> list[str]:
        """walk's lines, each directory's entries sorted (disk order is not ours)."""
        out: list[str] = []

        def visit(d: str) -> None:
            for c in sorted(self.children(d)):
                v = self.tree[c]
                if v is None:
                    out.append(f"d {c}")
                    visit(c)
                else:
                    out.append(f"f {c} {len(v)} {crc(bytes(v))}")
        visit("/")
        return out


def sorted_walk(lines: list[str]) -> list[str]:
    """walk's output put in the model's order: entries sorted within each directory."""
    entries = [ln for ln in lines if ln[:2] in ("d ", "f ", "o ")]
    kinds = {ln.split()[1]: ln for ln in entries}
    m = Model({p: (None if ln.startswith("d ") else bytearray()) for p, ln in kinds.items()})
    order: list[str] = []

    def visit(d: str) -> None:
        for c in sorted(m.children(d)):
            order.append(kinds[c])
            if m.tree[c] is None:
                visit(c)
    visit("/")
    return order


def test_data_stream_is_xorshift64() -> None:
    assert data(4, 10).hex() == data(4, 16)[:10].hex()
    assert crc(bytes(10) + data(4, 10)) == "ccb1afff"      # as the Kaa program computes it


def test_model_predicts_errors_in_kernel_order() -> None:
    m = Model()
    assert m.apply("mkdir /a") == "mkdir /a ok"
    assert m.apply("mkdir /a") == "mkdir /a err 17"
    assert m.apply("write /a/f 3 5 1") == "write /a/f ok"
    assert bytes(m.tree["/a/f"]) == bytes(3) + data(1, 5)
    assert m.apply("mkdir /a/f/g") == "mkdir /a/f/g err 20"
    assert m.apply("rmdir /a") == "rmdir /a err 39"
    assert m.apply("mv /a /a/b") == "mv /a err 22"
    assert m.apply("mv /a/f /b") == "mv /a/f ok"
    assert m.apply("rm /a") == "rm /a err 21"
    assert m.walk_lines() == ["d /a", f"f /b 8 {crc(bytes(3) + data(1, 5))}"]
    assert m.links("/a") == 2 and m.links("/") == 3
