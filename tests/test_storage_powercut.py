"""Power cuts under examples/kv_store.py: after every cut each acknowledged write is
there and e2fsck finds the image clean.

Two kinds of cut. test_power_cuts_lose_no_acknowledged_write is the issue's test: QEMU
killed (SIGKILL) at random moments of a stream of writes. QEMU runs as `kaa run` runs
it, with its default disk cache (writeback: the image is a host file, written through
the host's page cache). SIGKILL stops QEMU between any two guest instructions: every
write request QEMU completed is in the image, anything the guest still held (its block
cache, the commit it was building, a request not yet handed over) is gone. That is a
power cut as the guest sees it, anywhere in a sync. cache=none or cache=unsafe would
leave the same image after a SIGKILL (the host does not crash, so its page cache is not
lost either way), so the default, the one users run, is the one tested. What SIGKILL
cannot show is a disk that loses what it was told but had not flushed, or tears the
sector it was writing: test_lost_write_cache_and_torn_writes_lose_no_acknowledged_write
puts the image behind VolatileDisk, an NBD server that does both at the cut. (The log
that rewrote its last block in place fails that one: acknowledged records lost, e2fsck
errors, at last a root inode torn beyond mounting.)

The SIGKILL run: one stream of 10,000 operations (PUT of a random key of 300, DELETE now
and then; values 0..1500 bytes, one in ten 4..12 KiB so a commit spans blocks) cut 20
times. The client knows the model (every acknowledged write); the operation in flight
at the cut may or may not have happened, and whichever the disk says joins the model.
Each cut lands at a random point of a random operation, except every fourth, which
lands inside a compaction (in the operation that fills the active half, predicted from
/stats and the log's format). After each cut:
- `e2fsck -fn` finds the image clean;
- no block outside the log's data blocks changed since the log was made (block 0
  aside: the mount rewrites the superblock), so a cut can only ever hit log blocks;
- reading /kv.log from the image on the host (read_log, an independent reader of the
  format) gives the model;
- the guest boots on the image and a GET of every key gives the model.
The log is kept small (log_mib=2: halves of 1 MiB) so a compaction comes every hundred
operations or so. Under TCG on this machine (two cores, shared): 43 s at a load of 4,
70 s at 6 (22 boots); the VolatileDisk test (12 boots, 16 MiB image) 4 to 10 s.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import socket as socketlib
import struct
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from guest import ROOT, Guest, fail_on_crash
from kaa import build as kbuild
from kaa import disk, vm
from kaa.bench.machine import free_port

pytestmark = [pytest.mark.booted, pytest.mark.skipif(shutil.which("mke2fs") is None and
                                                       not Path("/sbin/mke2fs").exists(), reason="needs e2fsprogs")]
UNIT = 4096
HEADER = 12
PUT, DELETE, COMMIT = 1, 2, 3
MAX_COMMIT = 262144


# --- the log's format, read on the host ---

@dataclass
class Log:
    half: int                           # bytes in a half
    active: int                         # the active half
    generation: int
    end: int                            # file offset after the last commit
    chain: int                          # the CRC of the last committed record
    table: dict[bytes, bytes] = field(default_factory=dict)
    dropped: int = 0                    # records of a commit with no mark (whole, or torn)


def read_header(data: bytes, at: int, half: int) -> tuple[int, int] | None:
    """(generation, CRC) of the header at `at`, or None if it is not whole."""
    crc, magic, version, gen, _salt, size = struct.unpack_from("<I8sIQQQ", data, at)
    if zlib.crc32(data[at + 4:at + 40]) != crc or magic != b"kaakvlog" or version != 1 or size != half:
        return None
    return gen, crc


def read_log(data: bytes) -> Log:
    """Replay a kv_store log (the bytes of /kv.log) as the module docstring of
    examples/kv_store.py describes it."""
    half = len(data) // 2
    headers = [read_header(data, h * half, half) for h in (0, 1)]
    assert headers[0] or headers[1], "no whole header in either half"
    active = 1 if headers[1] and (not headers[0] or headers[1][0] > headers[0][0]) else 0
    gen, chain = headers[active]            # type: ignore[misc]
    log = Log(half, active, gen, active * half + UNIT, chain)
    at, start, c, pending = log.end, log.end, chain, []
    limit = (active + 1) * half
    while at + HEADER <= limit:
        crc, kind, key_len, tag, value_len = struct.unpack_from("<IBBHI", data, at)
        n = HEADER + key_len + value_len
        if tag != gen & 0xFFFF or kind not in (PUT, DELETE, COMMIT) or at + n > limit or at + n - start > MAX_COMMIT:
            break
        if kind == COMMIT and (key_len or value_len >= UNIT or (at + n) % UNIT):
            break
        if kind != COMMIT and (not 1 <= key_len <= 128 or value_len > 65536 or (kind == DELETE and value_len)):
            break
        if zlib.crc32(data[at + 4:at + (HEADER if kind == COMMIT else n)], c) != crc:
            log.dropped += 1                # ours, torn
            break
        c = crc
        at += n
        if kind != COMMIT:
            pending.append((kind, data[at - n + HEADER:at - value_len], data[at - value_len:at]))
            continue
        for kind, key, value in pending:
            if kind == PUT:
                log.table[key] = value
            else:
                log.table.pop(key, None)
        pending, start, log.end, log.chain = [], at, at, c
    log.dropped += len(pending)
    return log


def log_bytes(image: Path, scratch: Path) -> bytes:
    return disk.get(image, "/kv.log", scratch).read_bytes()


def data_blocks(image: Path, path: str) -> set[int]:
    """The physical blocks of a file's data (indirect blocks not included)."""
    out = subprocess.run([shutil.which("debugfs") or "/sbin/debugfs", "-R", f"stat {path}", str(image)],
                         capture_output=True, text=True, check=True).stdout
    blocks: set[int] = set()
    for m in re.finditer(r"\((\d+)(?:-(\d+))?\):(\d+)(?:-(\d+))?", out.split("BLOCKS:")[1]):
        first = int(m.group(3))
        blocks.update(range(first, int(m.group(4) or first) + 1))
    return blocks


def physical_block(image: Path, path: str, lblock: int) -> int:
    """Where block lblock of a file lies in the image."""
    out = subprocess.run([shutil.which("debugfs") or "/sbin/debugfs", "-R", f"bmap {path} {lblock}", str(image)],
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip())


def blocks_outside(image: Path, skip: set[int], block: int = 4096) -> dict[int, bytes]:
    """Every block of the image not in skip (nor block 0), by number."""
    data = image.read_bytes()
    return {b: data[b * block:(b + 1) * block] for b in range(1, len(data) // block) if b not in skip}


# --- the client's model and the stream of operations ---

@dataclass
class Op:
    kind: str                           # "PUT" or "DELETE"
    key: bytes
    value: bytes = b""


def make_ops(rng: random.Random, count: int, keys: int) -> list[Op]:
    ops = []
    for _ in range(count):
        key = f"k{rng.randrange(keys):03d}".encode()
        if rng.random() < 0.12:
            ops.append(Op("DELETE", key))
        else:
            size = rng.randrange(4096, 12288) if rng.random() < 0.1 else rng.randrange(1501)
            ops.append(Op("PUT", key, rng.randbytes(size)))
    return ops


def commit_bytes(op: Op, model: dict[bytes, bytes]) -> int:
    """The log bytes op takes (0: a DELETE of a missing key writes nothing)."""
    if op.kind == "DELETE" and op.key not in model:
        return 0
    return (HEADER + len(op.key) + len(op.value) + HEADER + UNIT - 1) // UNIT * UNIT


def qemu_of(pid: int) -> int:
    """The QEMU process `kaa run` (pid) started."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            comm, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            if int(rest[1]) == pid and comm.startswith("qemu"):
                return int(entry)
    raise AssertionError(f"no QEMU under kaa run (pid {pid})")


class Client:
    """One keep-alive connection to the store."""

    def __init__(self, port: int):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        self.c.request(method, path, body=body)
        r = self.c.getresponse()
        return r.status, r.read()

    def stats(self) -> dict[str, int]:
        status, body = self.call("GET", "/stats")
        assert status == 200
        return json.loads(body)


def check_store(client: Client, model: dict[bytes, bytes], maybe: Op | None) -> None:
    """Every key of the model (and the one of the operation a cut interrupted) reads as
    the model says; the interrupted operation, whichever way it went, joins the model."""
    keys = set(model) | ({maybe.key} if maybe else set())
    for key in sorted(keys):
        status, body = client.call("GET", "/kv/" + key.decode())
        got = body if status == 200 else None
        assert status in (200, 404), (key, status)
        want = model.get(key)
        if maybe is not None and key == maybe.key:
            after = maybe.value if maybe.kind == "PUT" else None
            assert got in (want, after), (key, "neither before nor after the interrupted", maybe.kind)
            want = got
        assert got == want, (key, len(got or b""), None if want is None else len(want))
        if want is None:
            model.pop(key, None)
        else:
            model[key] = want


def apply_ack(op: Op, status: int, model: dict[bytes, bytes]) -> None:
    """Check an acknowledged operation's answer against the model and apply it."""
    if op.kind == "PUT":
        assert status == (200 if op.key in model else 201), (op.key, status)
        model[op.key] = op.value
    else:
        assert status == (204 if op.key in model else 404), (op.key, status)
        model.pop(op.key, None)


def run_until_cut(client: Client, ops: list[Op], first: int, model: dict[bytes, bytes], latency: dict[int, float],
                  cut_at: int = -1, delay: float = 0, qemu: int = 0) -> tuple[int, Op | None]:
    """Send ops from first on until the connection dies at the cut: SIGKILL to QEMU
    `delay` s after sending ops[cut_at], or (cut_at -1) whatever cuts it. The index of
    the next operation to send after the reboot, and the one in flight at the cut."""
    timer: threading.Timer | None = None
    for i in range(first, len(ops)):
        op = ops[i]
        if i == cut_at:
            timer = threading.Timer(delay, os.kill, (qemu, signal.SIGKILL))
            timer.start()
        sent = time.monotonic()
        try:
            status, _ = client.call(op.kind, "/kv/" + op.key.decode(), op.value if op.kind == "PUT" else None)
        except (OSError, http.client.HTTPException):
            assert timer is not None or cut_at < 0, f"the connection failed before the cut, at operation {i}"
            if timer is not None:
                timer.join()
            return i + 1, op
        latency[i] = time.monotonic() - sent
        apply_ack(op, status, model)
    raise AssertionError("the stream ended before the cut")


def ops_until_compaction(ops: list[Op], first: int, model: dict[bytes, bytes], stats: dict[str, int]) -> int:
    """The index of the first operation from `first` that will compact the log."""
    room = stats["log_capacity"] - stats["log_bytes"]
    shadow = dict(model)
    for i in range(first, len(ops)):
        need = commit_bytes(ops[i], shadow)
        if need > room:
            return i
        room -= need
        if ops[i].kind == "PUT":
            shadow[ops[i].key] = ops[i].value
        else:
            shadow.pop(ops[i].key, None)
    return len(ops)


def kv_guest(image: Path, port: int) -> Guest:
    return Guest("examples/kv_store.py", "--disk", str(image), "-p", f"{port}:80", cmdline=("log_mib=2",),
                 timeout=300)


def test_power_cuts_lose_no_acknowledged_write(tmp_path: Path) -> None:
    rng = random.Random(1405)
    (tmp_path / "empty").mkdir()
    image = disk.make(tmp_path / "empty", tmp_path / "kv.img", size=16 << 20)
    scratch = tmp_path / "kv.log"
    ops = make_ops(rng, 10_000, 300)
    cuts = 20
    with kv_guest(image, free_port()) as g:         # the log is made (the one time ext2 changes)
        g.wait_for("kv_store: made a log of 2 MiB", timeout=120)
        g.wait_for("kv_store: serving")
    clean, report = disk.check(image)
    assert clean, report
    log_blocks = data_blocks(image, "/kv.log")
    assert len(log_blocks) == (2 << 20) // 4096
    baseline = blocks_outside(image, log_blocks)

    model: dict[bytes, bytes] = {}
    maybe: Op | None = None
    latency: dict[int, float] = {}          # seconds per acknowledged operation
    compaction_times = [0.03]               # seconds the operations that compacted took
    at = 0
    started = time.monotonic()
    summary = []
    for cut in range(cuts + 1):
        port = free_port()
        with kv_guest(image, port) as g:
            g.wait_for("kv_store: serving", timeout=120)
            client = Client(port)
            check_store(client, model, maybe)
            stats = client.stats()
            assert stats["writable"] and stats["keys"] == len(model), stats
            summary.append(f"boot {cut}: {stats['keys']} keys, generation {stats['generation']}, "
                           f"{stats['dropped']} records of a commit cut short dropped")
            if cut == cuts:
                break
            compacting = ops_until_compaction(ops, at, model, stats)
            if cut % 4 == 3:                # anywhere in the compaction, the header's sync included
                median = sorted(compaction_times)[len(compaction_times) // 2]
                cut_at, delay, where = compacting, rng.uniform(0, median), "in a compaction"
            else:
                cut_at = at + rng.randrange(max(1, 2 * (len(ops) - at) // (cuts - cut) - 1))
                typical = sorted(latency.values())[len(latency) // 2] if latency else 0.002
                delay, where = rng.uniform(0, 1.5 * typical), "at random"
            assert cut_at < len(ops) - 1, "the stream is too short for the cuts"
            at, maybe = run_until_cut(client, ops, at, model, latency, cut_at, delay, qemu_of(g.proc.pid))
            if compacting in latency:
                compaction_times.append(latency[compacting])
            g.proc.wait(timeout=60)
            summary.append(f"cut {cut} {where}: {delay * 1000:.1f} ms into operation {cut_at}, "
                           f"{'in flight: ' + maybe.kind if maybe else 'none in flight'}")
            generation = stats["generation"]
        clean, report = disk.check(image)
        assert clean, f"after cut {cut}:\n{report}"
        after = blocks_outside(image, log_blocks)
        changed = sorted(b for b in baseline if after[b] != baseline[b])
        assert changed == [], f"after cut {cut}: blocks outside the log changed: {changed[:20]}"
        log = read_log(log_bytes(image, scratch))
        expected = dict(model)
        if maybe is not None and maybe.kind == "PUT" and log.table.get(maybe.key) == maybe.value:
            expected[maybe.key] = maybe.value
        elif maybe is not None and maybe.kind == "DELETE" and maybe.key not in log.table:
            expected.pop(maybe.key, None)
        assert log.table == expected, f"after cut {cut}: the log on the disk is not the acknowledged state"
        if where != "at random":            # did the cut come before the new half's header was whole?
            summary[-1] += f" (it {'had' if log.generation > generation else 'had not'} switched halves)"
    print(f"{at} operations, {cuts} cuts, {time.monotonic() - started:.0f} s", *summary, sep="\n")


# --- a disk whose write cache is lost, and whose last write tears, at the cut ---

NBD_REQUEST, NBD_REPLY, NBD_OPT_REPLY = 0x25609513, 0x67446698, 0x3E889045565A9
OPT_EXPORT_NAME, OPT_ABORT, OPT_GO = 1, 2, 7
REP_ACK, REP_INFO, REP_ERR_UNSUP = 1, 3, (1 << 31) + 1
CMD_READ, CMD_WRITE, CMD_DISC, CMD_FLUSH = 0, 1, 2, 3
FLAG_HAS_FLAGS, FLAG_SEND_FLUSH = 1, 4
SECTOR = 512


class VolatileDisk:
    """An NBD server (newstyle, simple replies) for QEMU over an image held in memory,
    with a write cache the way a disk without power-loss protection has one: writes
    land in `pending` and reach `durable` at the next FLUSH. At the cut (the cut_at-th
    WRITE or FLUSH from arm(), before it is answered) it SIGKILLs QEMU and keeps of each
    pending write (the one in flight included) a random subset of its sectors, and the
    write in flight tears: one of its sectors, the one being written, becomes garbage.
    When QEMU has gone the image file gets what `durable` holds (pending writes are
    lost). `written` collects the 4 KiB blocks any write touched since arm()."""

    def __init__(self, image: Path, socket_path: Path, rng: random.Random):
        self.image, self.rng = image, rng
        self.durable = bytearray(image.read_bytes())
        self.pending: list[tuple[int, bytes]] = []
        self.count, self.cut_at, self.depth = 0, -1, 0
        self.written: set[int] = set()
        self.torn: tuple[int, int] | None = None      # (offset, bytes) of the torn write
        self.lost = 0                                   # writes pending at the cut
        self.listener = socketlib.socket(socketlib.AF_UNIX)
        self.listener.bind(str(socket_path))
        self.listener.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def arm(self, cut_at: int, depth: int = 0) -> None:
        """Cut at the cut_at-th WRITE or FLUSH from now, or (depth > 0) at the first one
        that comes while depth writes are pending (in kv_store: inside a compaction)."""
        self.count, self.cut_at, self.depth, self.written = 0, cut_at, depth, set()

    def read(self, offset: int, length: int) -> bytes:
        data = bytearray(self.durable[offset:offset + length])
        for at, w in self.pending:
            lo, hi = max(at, offset), min(at + len(w), offset + length)
            if lo < hi:
                data[lo - offset:hi - offset] = w[lo - at:hi - at]
        return bytes(data)

    def cut(self, in_flight: tuple[int, bytes] | None) -> None:
        os.kill(qemu_of(os.getpid()), signal.SIGKILL)
        writes = self.pending + ([in_flight] if in_flight else [])
        self.lost = len(self.pending)
        for i, (at, w) in enumerate(writes):
            keep = bytearray(self.durable[at:at + len(w)])
            for s in range(0, len(w), SECTOR):
                if self.rng.random() < 0.5:
                    keep[s:s + SECTOR] = w[s:s + SECTOR]
            if in_flight is not None and i == len(writes) - 1:
                s = self.rng.randrange(0, len(w), SECTOR)
                keep[s:s + SECTOR] = self.rng.randbytes(SECTOR)
                self.torn = (at, len(w))
            self.durable[at:at + len(w)] = keep
        self.pending = []

    def serve(self) -> None:
        conn, _ = self.listener.accept()
        f = conn.makefile("rwb")
        try:
            self.handshake(f)
            self.transmit(f)
        except (OSError, EOFError, struct.error):
            pass                        # QEMU went: killed at the cut, or stopped
        finally:                        # the power is off: what was not flushed is gone
            f.close()
            conn.close()
            self.listener.close()
            self.image.write_bytes(self.durable)

    @staticmethod
    def take(f: "io.BufferedRWPair", n: int) -> bytes:
        data = f.read(n)
        if len(data) != n:
            raise EOFError
        return data

    def handshake(self, f: "io.BufferedRWPair") -> None:
        f.write(b"NBDMAGICIHAVEOPT" + struct.pack(">H", 3))     # fixed newstyle, no zeroes
        f.flush()
        self.take(f, 4)                                         # the client's flags
        size_flags = struct.pack(">QH", len(self.durable), FLAG_HAS_FLAGS | FLAG_SEND_FLUSH)
        while True:
            _magic, opt, length = struct.unpack(">QII", self.take(f, 16))
            self.take(f, length)
            if opt == OPT_EXPORT_NAME:
                f.write(size_flags)
                f.flush()
                return
            if opt == OPT_GO:
                info = struct.pack(">H", 0) + size_flags        # NBD_INFO_EXPORT
                f.write(struct.pack(">QIII", NBD_OPT_REPLY, opt, REP_INFO, len(info)) + info)
                f.write(struct.pack(">QIII", NBD_OPT_REPLY, opt, REP_ACK, 0))
                f.flush()
                return
            reply = REP_ACK if opt == OPT_ABORT else REP_ERR_UNSUP
            f.write(struct.pack(">QIII", NBD_OPT_REPLY, opt, reply, 0))
            f.flush()
            if opt == OPT_ABORT:
                raise EOFError

    def transmit(self, f: "io.BufferedRWPair") -> None:
        while True:
            magic, _flags, kind, handle, offset, length = struct.unpack(">IHHQQI", self.take(f, 28))
            assert magic == NBD_REQUEST
            data = self.take(f, length) if kind == CMD_WRITE else b""
            if kind in (CMD_WRITE, CMD_FLUSH):
                self.count += 1
                if self.count == self.cut_at or (self.depth and len(self.pending) >= self.depth):
                    self.cut_at = self.count
                    self.cut((offset, data) if kind == CMD_WRITE else None)
                    return
            if kind == CMD_DISC:
                return
            if kind == CMD_WRITE:
                self.pending.append((offset, data))
                self.written.update(range(offset // 4096, (offset + length - 1) // 4096 + 1))
            elif kind == CMD_FLUSH:
                for at, w in self.pending:
                    self.durable[at:at + len(w)] = w
                self.pending = []
            reply = struct.pack(">IIQ", NBD_REPLY, 0, handle)
            f.write(reply + (self.read(offset, length) if kind == CMD_READ else b""))
            f.flush()


class NbdGuest:
    """kv_store booted (vm.run, in a thread) on a VolatileDisk: `kaa run` attaches only
    image files."""

    def __init__(self, elf: Path, socket_path: Path, port: int):
        drive = ["-blockdev", f"driver=nbd,node-name=d0,server.type=unix,server.path={socket_path}",
                 "-global", "virtio-mmio.force-legacy=false", "-device", "virtio-blk-device,drive=d0"]
        self.cfg = vm.VmConfig(elf, cmdline="log_mib=2", forwards=[f"{port}:80"], extra=drive)
        self.console = io.BytesIO()
        self.thread = threading.Thread(target=vm.run, args=(self.cfg, 300, self.console, io.BytesIO()),
                                       daemon=True)
        self.thread.start()

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.console.getvalue():
            assert self.thread.is_alive() and time.monotonic() < deadline, \
                f"no {text!r} on the console:\n{self.console.getvalue().decode(errors='replace')}"
            time.sleep(0.05)

    def lines(self) -> list[str]:
        return self.console.getvalue().decode(errors="replace").splitlines()


def test_lost_write_cache_and_torn_writes_lose_no_acknowledged_write(tmp_path: Path) -> None:
    """A harsher cut than SIGKILL: the disk loses what it had not flushed (any subset of
    it, sector by sector) and the write in flight tears (a sector of garbage). 10 cuts,
    each at a random write or flush of a stream of PUTs and DELETEs, or (every third)
    inside a compaction. Every write request from the end of a boot to the cut must
    hit the log's data blocks only."""
    rng = random.Random(2024)
    (tmp_path / "empty").mkdir()
    image = disk.make(tmp_path / "empty", tmp_path / "kv.img", size=16 << 20)
    elf = kbuild.build(ROOT / "examples" / "kv_store.py", target="kvm")
    scratch = tmp_path / "kv.log"
    ops = make_ops(rng, 6000, 300)
    model: dict[bytes, bytes] = {}
    maybe: Op | None = None
    log_blocks: set[int] = set()
    at, cuts, torn = 0, 10, 0
    summary: list[str] = []
    for boot in range(cuts + 2):
        socket_path = tmp_path / f"nbd{boot}.sock"
        store = VolatileDisk(image, socket_path, rng)
        port = free_port()
        g = NbdGuest(elf, socket_path, port)
        g.wait_for("kv_store: serving")
        if boot == 0:
            assert any("made a log of 2 MiB" in ln for ln in g.lines()), g.lines()
        else:
            client = Client(port)
            check_store(client, model, maybe)
            summary.append(f"boot {boot}: {client.stats()['dropped']} records of a commit cut short dropped")
        if boot in (0, cuts + 1):           # made, or checked: stopped with nothing pending
            assert store.pending == []
            os.kill(qemu_of(os.getpid()), signal.SIGKILL)
            g.thread.join(timeout=60)
            store.thread.join(timeout=60)
            fail_on_crash(g.lines())
            log_blocks = log_blocks or data_blocks(image, "/kv.log")
            continue
        if boot % 3 == 0:                   # a PUT is a write and a flush: two writes
            store.arm(0, rng.randrange(2, 6))   # pending come only from a compaction
        else:
            store.arm(rng.randrange(1, 600))
        first = at
        at, maybe = run_until_cut(Client(port), ops, at, model, {})
        g.thread.join(timeout=60)
        store.thread.join(timeout=60)
        fail_on_crash(g.lines())
        torn += store.torn is not None
        summary.append(f"cut {boot}: at request {store.cut_at}, operations {first}-{at - 1}, "
                       + (f"torn write of {store.torn[1]} bytes at {store.torn[0]}" if store.torn else "at a flush")
                       + f", {store.lost} unflushed writes")
        outside = sorted(store.written - log_blocks)
        assert outside == [], f"cut {boot}: writes outside the log: {outside[:10]}"
        clean, report = disk.check(image)
        assert clean, f"after cut {boot}:\n{report}"
        log = read_log(log_bytes(image, scratch))
        expected = dict(model)
        if maybe is not None and maybe.kind == "PUT" and log.table.get(maybe.key) == maybe.value:
            expected[maybe.key] = maybe.value
        elif maybe is not None and maybe.kind == "DELETE" and maybe.key not in log.table:
            expected.pop(maybe.key, None)
        assert log.table == expected, f"after cut {boot}: the log on the disk is not the acknowledged state"
    print(*summary, sep="\n")
    assert torn >= cuts // 3, "too few cuts landed on a write"
