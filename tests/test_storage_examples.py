"""The storage examples, booted: examples/static_web.py and examples/kv_store.py.

static_web serves a tree of 500 files (0 B to 8 MiB, about 125 MiB in all, nested
folders, made from a seed) from the ext2 image `kaa run --disk DIR` makes of it; four
keep-alive clients at once fetch every file over 127.0.0.1 and compare SHA-256, then
the protocol details are checked: Content-Type by extension, Last-Modified and 304,
HEAD, folders (index.html, 301), 404, 405 with Allow, and paths that try to escape.

kv_store takes 10,000 PUTs on one keep-alive connection, is stopped (QMP quit: a power
cut as far as the guest knows), gets a torn record appended to its log (debugfs), boots
again on the same image, cuts the torn tail off and gives every value back; then most keys are deleted, which compacts the log, and a third boot finds the
rest. e2fsck -fn finds the image clean after every stop.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate
from pathlib import Path

import pytest

from guest import Guest
from kaa.bench.machine import free_port
from kaa import disk

pytestmark = [pytest.mark.booted, pytest.mark.skipif(shutil.which("mke2fs") is None and
                                                       not Path("/sbin/mke2fs").exists(), reason="needs e2fsprogs")]
MIB = 1 << 20
TYPES = {
    "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8", "json": "application/json", "txt": "text/plain; charset=utf-8",
    "png": "image/png", "jpg": "image/jpeg", "JPEG": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml",
    "ico": "image/x-icon", "wasm": "application/wasm", "pdf": "application/pdf", "bin": "application/octet-stream",
    "tar.gz": "application/octet-stream",
}
MTIME = 1_600_000_000                       # Sun, 13 Sep 2020 12:26:40 GMT


def file_sizes(rng: random.Random, count: int) -> list[int]:
    """Sizes spread over the logarithm from 1 B to 8 MiB (with the edges 0 B, one block
    and a piece either side, and 8 MiB itself), totalling 100 to 150 MiB."""
    edges = [0, 1, 4095, 4096, 4097, 61439, 61440, 61441, 65536, 8 * MIB]
    while True:
        sizes = edges + [int(2 ** rng.uniform(0, 22)) for _ in range(count - len(edges))]
        if 100 * MIB <= sum(sizes) <= 150 * MIB and max(sizes) <= 8 * MIB:
            return sizes


def make_site(root: Path, count: int = 500, seed: int = 6) -> dict[str, bytes]:
    """count files in nested folders under root; their paths (from /) to SHA-256 digests."""
    rng = random.Random(seed)
    folders = ["", "a", "a/b", "a/b/c", "a/b/c/d", "docs", "docs/img", "x y", "assets/js"]
    digests: dict[str, bytes] = {}
    exts = list(TYPES)
    for i, size in enumerate(file_sizes(rng, count)):
        rel = f"{folders[i % len(folders)]}/f{i:03d}.{exts[i % len(exts)]}".lstrip("/")
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        data = rng.randbytes(size)
        p.write_bytes(data)
        digests["/" + rel] = hashlib.sha256(data).digest()
    (root / "index.html").write_bytes(b"<h1>home</h1>\n")
    (root / "docs" / "index.html").write_bytes(b"<h1>docs</h1>\n")
    (root / "empty").mkdir()
    os.utime(root / "docs" / "index.html", (MTIME, MTIME))
    return digests


def fetch_all(port: int, paths: list[str], digests: dict[str, bytes]) -> list[str]:
    """GET every path on one keep-alive connection; the paths whose body differed."""
    bad = []
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in paths:
        c.request("GET", path.replace(" ", "%20"))
        r = c.getresponse()
        h = hashlib.sha256()
        while chunk := r.read(1 << 20):
            h.update(chunk)
        if r.status != 200 or h.digest() != digests[path]:
            bad.append(f"{path}: {r.status}")
    c.close()
    return bad


def request(port: int, method: str, path: str, headers: dict[str, str] | None = None
            ) -> tuple[http.client.HTTPResponse, bytes]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r, body


def raw_status(port: int, target: str) -> int:
    """The status for a request-target sent as it is (no client normalising it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split()[1])


def test_static_web_serves_a_tree(tmp_path: Path) -> None:
    site = tmp_path / "site"
    digests = make_site(site)
    port = free_port()
    with Guest("examples/static_web.py", "--disk", str(site), "--disk-out", str(tmp_path / "site.img"),
               "-p", f"{port}:80", timeout=240) as g:
        g.wait_for("static_web: serving the disk \\(read-only\\)", timeout=120)
        paths = sorted(digests)
        assert len(paths) == 500 and 100 * MIB <= sum((site / p[1:]).stat().st_size for p in paths) <= 150 * MIB
        with ThreadPoolExecutor(4) as pool:                 # four clients at once
            bad = [b for part in pool.map(lambda k: fetch_all(port, paths[k::4], digests), range(4)) for b in part]
        assert bad == []

        for ext, ctype in TYPES.items():                    # Content-Type by extension
            path = next(p for p in paths if p.endswith("." + ext))
            r, _ = request(port, "HEAD", path.replace(" ", "%20"))
            assert (r.status, r.getheader("Content-Type")) == (200, ctype), path

        r, body = request(port, "GET", "/docs/")            # a folder's index.html
        assert (r.status, body, r.getheader("Content-Type")) == (200, b"<h1>docs</h1>\n", TYPES["html"])
        modified = formatdate(MTIME, usegmt=True)
        assert r.getheader("Last-Modified") == modified
        assert request(port, "GET", "/")[1] == b"<h1>home</h1>\n"
        r, _ = request(port, "GET", "/docs")
        assert (r.status, r.getheader("Location")) == (301, "/docs/")

        r, body = request(port, "GET", "/docs/", {"If-Modified-Since": modified})
        assert (r.status, body) == (304, b"")
        r, _ = request(port, "GET", "/docs/index.html", {"If-Modified-Since": formatdate(MTIME + 3600, usegmt=True)})
        assert r.status == 304
        r, body = request(port, "GET", "/docs/", {"If-Modified-Since": formatdate(MTIME - 1, usegmt=True)})
        assert (r.status, body) == (200, b"<h1>docs</h1>\n")
        r, _ = request(port, "GET", "/docs/", {"If-Modified-Since": "yesterday"})      # not a date: ignored
        assert r.status == 200

        eight = max(paths, key=lambda p: (site / p[1:]).stat().st_size)
        r, body = request(port, "HEAD", eight)              # HEAD: the head alone
        assert (r.status, r.getheader("Content-Length"), body) == (200, str(8 * MIB), b"")

        for missing in ["/nope", "/a/b/nope.html", "/empty/", "/f000.html/x"]:
            assert request(port, "GET", missing)[0].status == 404, missing
        r, _ = request(port, "PUT", "/index.html")
        assert (r.status, r.getheader("Allow")) == (405, "GET, HEAD, OPTIONS")
        assert request(port, "DELETE", "/")[0].status == 405
        for escape in ["/../../etc/passwd", "/a/../../x", "/%2e%2e/%2e%2e/etc/passwd", "/a/%2E%2E/b",
                       "/a//b", "/./index.html", "/a%00b", "/%zz"]:
            assert raw_status(port, escape) in (400, 404), escape
        assert request(port, "GET", "/")[0].status == 200   # still serving
    clean, report = disk.check(tmp_path / "site.img")
    assert clean, report


# --- kv_store ---

def value_of(i: int, round_: int = 0) -> bytes:
    return random.Random(i * 7 + round_).randbytes(i * 37 % 1500)


def put_all(port: int, keys: range) -> None:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in keys:
        c.request("PUT", f"/kv/key-{i}", body=value_of(i))
        r = c.getresponse()
        r.read()
        assert r.status == 201, (i, r.status)
    c.close()


def check_all(port: int, keys: range, deleted: range = range(0)) -> None:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in keys:
        c.request("GET", f"/kv/key-{i}")
        r = c.getresponse()
        body = r.read()
        if i in deleted:
            assert r.status == 404, i
        else:
            assert (r.status, body) == (200, value_of(i)), i
    c.close()


def tear_the_log(image: Path, copy: Path) -> None:
    """Append the first 30 bytes of a record to /kv.log in the image (with debugfs)."""
    disk.get(image, "/kv.log", copy)
    with open(copy, "ab") as f:
        f.write(bytes([0x11, 0x22, 0x33, 0x44, 1, 10, 0, 0, 100, 0, 0, 0]) + b"x" * 18)
    debugfs = shutil.which("debugfs") or "/sbin/debugfs"
    subprocess.run([debugfs, "-w", "-R", "rm /kv.log", str(image)], check=True, capture_output=True)
    subprocess.run([debugfs, "-w", "-R", f"write {copy} kv.log", str(image)], check=True, capture_output=True)


def kv_guest(image: Path, port: int, *cmdline: str) -> Guest:
    return Guest("examples/kv_store.py", "--disk", str(image), "-p", f"{port}:80", cmdline=cmdline, timeout=240)


def test_kv_store_survives_reboots(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    image = disk.make(empty, tmp_path / "kv.img", size=64 * MIB)
    port = free_port()
    n = 10_000
    with kv_guest(image, port) as g:
        g.wait_for("kv_store: 0 keys from a log of 0 bytes", timeout=120)
        g.wait_for("kv_store: serving")
        put_all(port, range(n))
    clean, report = disk.check(image)                       # stopped with no warning, yet consistent
    assert clean, report
    tear_the_log(image, tmp_path / "kv.log")                # as if a crash cut an append short


    with kv_guest(image, port, "compact_min=100000") as g:
        g.wait_for("kv_store: the log's last 30 bytes are not a whole record: cut off", timeout=120)
        g.wait_for(f"kv_store: {n} keys from a log of", timeout=120)
        g.wait_for("kv_store: serving")
        check_all(port, range(n))
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(6000):                               # most keys go: the log is compacted
            c.request("DELETE", f"/kv/key-{i}")
            r = c.getresponse()
            r.read()
            assert r.status == 204, (i, r.status)
        c.request("GET", "/stats")
        stats = json.loads(c.getresponse().read())
        assert stats["keys"] == n - 6000 and stats["compactions"] >= 1, stats
        c.close()
    clean, report = disk.check(image)
    assert clean, report

    with kv_guest(image, port) as g:
        g.wait_for(f"kv_store: {n - 6000} keys from a log of", timeout=120)
        g.wait_for("kv_store: serving")
        check_all(port, range(n), deleted=range(6000))
        r, body = request(port, "PUT", "/kv/" + "k" * 129)
        assert r.status == 400
    clean, report = disk.check(image)
    assert clean, report
    assert [ln for ln in disk.ls(image) if ln[0] == "kv.log.new"] == []
