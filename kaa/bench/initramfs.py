"""A Linux initramfs: a cpio archive in the "newc" format, written in Python.

No cpio binary and no root are needed: device nodes (the kernel needs /dev/console
before it can give /init a console) and file owners are written straight into the
headers. Entries keep the order they were added in; a directory must come before
what it holds.

    ar = Initramfs()
    ar.directory("/dev")
    ar.device("/dev/console", major=5, minor=1)
    ar.file("/init", script.encode(), mode=0o755)
    ar.symlink("/bin/sh", "busybox")
    data = ar.pack()
"""

from __future__ import annotations

import stat

_TRAILER = "TRAILER!!!"


class Initramfs:
    def __init__(self) -> None:
        self._entries: list[tuple[str, int, bytes, int, int]] = []   # path, mode, data, major, minor
        self._paths: set[str] = set()

    def _add(self, path: str, mode: int, data: bytes = b"", major: int = 0, minor: int = 0) -> None:
        name = path.strip("/")
        if not name:
            return
        if name in self._paths:
            raise ValueError(f"initramfs: {path} added twice")
        parent = name.rpartition("/")[0]
        if parent and parent not in self._paths:
            self.directory(parent)
        self._paths.add(name)
        self._entries.append((name, mode, data, major, minor))

    def directory(self, path: str, mode: int = 0o755) -> None:
        if path.strip("/") not in self._paths:
            self._add(path, stat.S_IFDIR | mode)

    def file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        self._add(path, stat.S_IFREG | mode, data)

    def symlink(self, path: str, target: str) -> None:
        self._add(path, stat.S_IFLNK | 0o777, target.encode())

    def device(self, path: str, major: int, minor: int, mode: int = 0o600, char: bool = True) -> None:
        self._add(path, (stat.S_IFCHR if char else stat.S_IFBLK) | mode, b"", major, minor)

    def __contains__(self, path: str) -> bool:
        return path.strip("/") in self._paths

    def pack(self) -> bytes:
        out = bytearray()
        for ino, (name, mode, data, major, minor) in enumerate(self._entries, start=1):
            _entry(out, ino, name, mode, data, major, minor)
        _entry(out, 0, _TRAILER, 0, b"", 0, 0)
        out += b"\0" * (-len(out) % 512)
        return bytes(out)


def _entry(out: bytearray, ino: int, name: str, mode: int, data: bytes, rmajor: int, rminor: int) -> None:
    encoded = name.encode() + b"\0"
    nlink = 2 if stat.S_ISDIR(mode) else 1
    fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmajor, rminor, len(encoded), 0)
    out += b"070701" + b"".join(b"%08X" % f for f in fields)
    out += encoded
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
