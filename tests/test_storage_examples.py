"""The storage examples, booted: examples/static_web.py and examples/kv_store.py.

static_web serves a tree of 500 files (0 B to 8 MiB, about 125 MiB in all, nested
folders, made from a seed) from the ext2 image `kaa run --disk DIR` makes of it; four
keep-alive clients at once fetch every file over 127.0.0.1 and compare SHA-256, then
the protocol details are checked: Content-Type by extension, Last-Modified and 304,
HEAD, folders (index.html, 301), 404, 405 with Allow, and paths that try to escape.

kv_store takes 10,000 PUTs on one keep-alive connection (its log compacting as it
fills), is stopped (QMP quit: a power cut as far as the guest knows), gets a commit cut
short written after its last one, in the image (two records, their CRCs continuing the
log's, and the commit mark, with a sector of the second record garbage), boots again on
the same image, drops that commit (one whole record, one torn) and gives every value
back; then most keys are deleted, and a third boot finds the rest. e2fsck -fn finds the
image clean after every stop. tests/test_storage_powercut.py cuts the power for real.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate
from pathlib import Path

import pytest

from guest import Guest
from kaa.bench.machine import free_port
from kaa import disk
from test_storage_powercut import COMMIT, HEADER, PUT, UNIT, physical_block, read_log

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


def tear_the_log(image: Path, scratch: Path) -> None:
    """Write a commit cut short after the log's last one, into the image's block there:
    two PUTs (keys torn1, torn2) and the commit mark, with a 512-byte sector of torn2's
    value garbage, as a power cut in the middle of that sector's write leaves it."""
    log = read_log(disk.get(image, "/kv.log", scratch).read_bytes())
    tag, crc, commit = log.generation & 0xFFFF, log.chain, b""
    for kind, key, value in [(PUT, b"torn1", b"a" * 100), (PUT, b"torn2", b"b" * 3000), (COMMIT, b"", b"")]:
        if kind == COMMIT:
            pad = UNIT - (len(commit) + HEADER) % UNIT
            body = struct.pack("<BBHI", kind, 0, tag, pad)
            crc = zlib.crc32(body, crc)
            commit += struct.pack("<I", crc) + body + bytes(pad)
        else:
            body = struct.pack("<BBHI", kind, len(key), tag, len(value)) + key + value
            crc = zlib.crc32(body, crc)
            commit += struct.pack("<I", crc) + body
    commit = commit[:1024] + random.Random(5).randbytes(512) + commit[1536:]
    with open(image, "r+b") as f:
        f.seek(physical_block(image, "/kv.log", log.end // UNIT) * UNIT)
        f.write(commit)
    torn = read_log(disk.get(image, "/kv.log", scratch).read_bytes())
    assert (torn.table, torn.end, torn.dropped) == (log.table, log.end, 2)


def kv_guest(image: Path, port: int, *cmdline: str) -> Guest:
    return Guest("examples/kv_store.py", "--disk", str(image), "-p", f"{port}:80", cmdline=cmdline, timeout=240)


def test_kv_store_survives_reboots(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    image = disk.make(empty, tmp_path / "kv.img", size=64 * MIB)
    port = free_port()
    n = 10_000
    with kv_guest(image, port) as g:
        g.wait_for("kv_store: made a log of 31 MiB", timeout=120)    # half the free space
        g.wait_for("kv_store: 0 keys from a log of 0 bytes")
        g.wait_for("kv_store: serving")
        put_all(port, range(n))
        r, body = request(port, "GET", "/stats")
        stats = json.loads(body)
        assert stats["keys"] == n and stats["commits"] == n and stats["compactions"] >= 2, stats
    clean, report = disk.check(image)                       # stopped with no warning, yet consistent
    assert clean, report
    tear_the_log(image, tmp_path / "kv.log")                # as if a power cut split a commit

    with kv_guest(image, port) as g:
        g.wait_for("kv_store: dropped a commit cut short: 1 whole records, and a torn one", timeout=120)
        g.wait_for(f"kv_store: {n} keys from a log of", timeout=120)
        g.wait_for("kv_store: serving")
        check_all(port, range(n))
        assert request(port, "GET", "/kv/torn1")[0].status == request(port, "GET", "/kv/torn2")[0].status == 404
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(6000):                               # most keys go
            c.request("DELETE", f"/kv/key-{i}")
            r = c.getresponse()
            r.read()
            assert r.status == 204, (i, r.status)
        c.request("GET", "/stats")
        stats = json.loads(c.getresponse().read())
        assert stats["keys"] == n - 6000 and stats["compactions"] >= 1 and stats["dropped"] == 2, stats
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
