"""The benchmark harness (kaa/bench): it measures and reports; these tests check it works, not speeds.

Fast: the JSON of `size`, wrk's output parsed, the initramfs writer, the vmlinux
extraction, the bulk TCP clients (and their stall bound) against local servers, the
report, the kaa.web service under CPython as a host process, webprof's arithmetic.
Booted: a 2-run `boot` of udp_echo and hello, a short UDP round-trip load, and one
short run each of `tcp` and `http` over user networking and (as root) a tap in a
namespace, with 1 and 2 vCPUs; and one of `http` with the kaa.web service booted and
under CPython, 1 vCPU. The Linux baseline downloads Debian packages and boots a
60 MB kernel: that test runs only with KAA_BENCH_LINUX=1.
"""

from __future__ import annotations

import http.server
import io
import json
import lzma
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kaa import bench
from kaa.bench import boot, services
from kaa.bench import http as bench_http
from kaa.bench.initramfs import Initramfs
from kaa.bench.options import Options
from kaa.bench.network import tap_missing
from kaa.bench.probes import bulk_receive, bulk_send, first_http_200, http_get, udp_round_trips
from kaa.bench.stats import percentile, summary

ROOT = Path(__file__).resolve().parent.parent


def _no_http() -> Options:
    """Options with no Kaa HTTP service and no Linux: only what exists everywhere."""
    return Options(with_linux=False, http=services.http_service("/nonexistent/http_app.py"), duration=1)


def _nets() -> tuple[str, ...]:
    """Both networks where a namespace and a tap can be made (root), else user networking alone."""
    return ("user", "tap") if tap_missing() is None else ("user",)


def _positive(s: dict) -> bool:
    return s["n"] > 0 and 0 < s["min"] <= s["median"] <= s["max"]


def test_size_prints_json_per_example():
    p = subprocess.run([sys.executable, "-m", "kaa.bench", "size", "--no-linux"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(lines) == 1 and lines[0]["benchmark"] == "size"
    kaa = lines[0]["kaa"]
    assert {"hello", "udp_echo"} <= set(kaa)
    for name in ("hello", "udp_echo"):
        s = kaa[name]
        assert 0 < s["load_bytes"] <= s["file_bytes"] and s["memory_bytes"] >= s["load_bytes"]


def test_bench_verb_rejects_unknown_names():
    p = subprocess.run([sys.executable, "-m", "kaa", "bench", "nosuch"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 2
    assert "unknown benchmark nosuch" in p.stderr


def test_summary_and_percentile():
    assert summary([3.0, 1.0, 2.0, None]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3,
                                               "runs": [3.0, 1.0, 2.0, None]}
    assert summary([])["median"] is None
    v = sorted(float(x) for x in range(1, 101))
    assert percentile(v, 50) == 50.0 and percentile(v, 99) == 99.0 and percentile(v, 100) == 100.0


WRK_OUT = """\
Running 10s test @ http://127.0.0.1:8080/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.20ms  40.00ms   90.00%
    Req/Sec     6.20k   300.00     7.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    2.50ms
     99%    1.05s
  123456 requests in 10.00s, 20.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:  12345.60
Transfer/sec:      2.00MB
"""


def test_parse_wrk():
    r = bench_http.parse_wrk(WRK_OUT)
    assert r["rps"] == 12345.6 and r["requests"] == 123456
    assert (r["p50_us"], r["p75_us"], r["p90_us"], r["p99_us"]) == (812.0, 1200.0, 2500.0, 1050000.0)
    assert r["errors"] == 9


def _parse_newc(data: bytes) -> dict[str, tuple[int, bytes, int, int]]:
    out, i = {}, 0
    while True:
        h = data[i:i + 110]
        assert h[:6] == b"070701"
        f = [int(h[6 + 8 * k:14 + 8 * k], 16) for k in range(13)]
        mode, size, rmaj, rmin, namesize = f[1], f[6], f[9], f[10], f[11]
        name = data[i + 110:i + 110 + namesize - 1].decode()
        i = (i + 110 + namesize + 3) & ~3
        body = data[i:i + size]
        i = (i + size + 3) & ~3
        if name == "TRAILER!!!":
            return out
        out[name] = (mode, body, rmaj, rmin)


def test_initramfs_is_newc_with_devices_links_and_parents():
    ar = Initramfs()
    ar.device("/dev/console", 5, 1)
    ar.file("/usr/sbin/nginx", b"\x7fELF...", 0o755)
    ar.symlink("/bin/sh", "busybox")
    data = ar.pack()
    assert len(data) % 512 == 0
    e = _parse_newc(data)
    assert list(e)[:2] == ["dev", "dev/console"]          # parents first
    assert stat.S_ISCHR(e["dev/console"][0]) and e["dev/console"][2:] == (5, 1)
    assert stat.S_ISDIR(e["usr"][0]) and stat.S_ISDIR(e["usr/sbin"][0])
    assert e["usr/sbin/nginx"][1] == b"\x7fELF..." and e["usr/sbin/nginx"][0] & 0o777 == 0o755
    assert stat.S_ISLNK(e["bin/sh"][0]) and e["bin/sh"][1] == b"busybox"
    with pytest.raises(ValueError):
        ar.file("/bin/sh", b"")
    if shutil.which("cpio"):
        p = subprocess.run(["cpio", "-t"], input=data, capture_output=True, timeout=30)
        assert p.returncode == 0 and b"usr/sbin/nginx" in p.stdout


def test_vmlinux_is_the_xz_stream_that_decodes_to_an_elf():
    from kaa.bench.linux import BaselineError, vmlinux_from_bzimage
    elf = b"\x7fELF" + bytes(range(256)) * 64
    decoy = b"\xfd7zXZ\x00 not a stream"
    stream = lzma.compress(elf, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32)
    assert vmlinux_from_bzimage(b"MZ" + b"\0" * 500 + decoy + stream + b"\0" * 64) == elf
    with pytest.raises(BaselineError):
        vmlinux_from_bzimage(b"MZ" + lzma.compress(b"not an elf"))


def test_report_renders_tables(tmp_path):
    from kaa.bench import report
    s = summary([0.04, 0.05, 0.06])
    results = {"boot": {"benchmark": "boot", "runs": 3, "machine": "microvm", "memory_mib": 128, "accel": "tcg",
                        "services": {"udp_echo": {"kind": "kaa", "answer": "first UDP echo", "answer_s": s,
                                                  "ready_s": s, "guest_us": summary([2000.0]), "failed": 0},
                                     "linux": {"kind": "linux", "answer": "first HTTP 200",
                                               "answer_s": summary([1.6, 1.5, 1.7]), "ready_s": s,
                                               "guest_us": summary([1.1e6]), "failed": 0}},
                        "skipped": {"http_hello": "not there"}},
               "memory": {"benchmark": "memory", "machine": "microvm",
                          "services": {"hello": {"kind": "kaa", "least_mib": 2, "probes": 8,
                                                 "answer_within_s": 15.0}}},
               "http": {"benchmark": "http", "runs": 3, "duration_s": 3.0, "smp": [1], "machine": "microvm",
                        "memory_mib": 128, "accel": "tcg",
                        "loads": {"keepalive-c32": {"wrk_threads": 2, "connections": 32, "connection_close": False}},
                        "nets": {net: {(name if smp is None else f"{name} smp={smp}"): {
                                           "service": name, "kind": kind, "smp": smp, "path": path, "failed": 0,
                                           "body_bytes": 56, "keepalive-c32": {
                                               "rps": summary([rps, rps * 1.1, rps * 0.9]),
                                               "p50_us": s, "p99_us": s, "errors": 0}}
                                       for name, kind, smp, path, rps in (
                                           ("http_hello", "kaa", 1, "/", 30000.0),
                                           ("web_items", "kaa", 1, "/items/1", 15000.0),
                                           ("web_items_cpython", "cpython", None, "/items/1", 3000.0),
                                           ("linux", "linux", 1, "/", 10000.0))
                                       if net == "user" or kind != "cpython"}
                                 for net in ("user", "tap")},
                        "framework": {"kernel": "http_hello", "booted": "web_items", "cpython": "web_items_cpython",
                                      "goal_ratio": 0.8, "access_log": False},
                        "skipped": {"web_items_cpython over tap": "a process on the host is on no tap link"}},
               "tcp": {"benchmark": "tcp", "runs": 3, "duration_s": 3.0, "stall_s": 5.0, "machine": "microvm",
                       "memory_mib": 128, "accel": "tcg", "directions": ["host->guest", "guest->host"],
                       "nets": {"tap": {"tcp_bulk": {"kind": "kaa",
                                                     "host->guest": {"mbit_s": summary([900.0, 1000.0]), "failed": 1},
                                                     "guest->host": {"mbit_s": summary([500.0]), "failed": 2}}}},
                       "errors": {"tcp_bulk tap guest->host": ["guest->host stalled: nothing for 5 s"]}}}
    path = report.write(results, tmp_path)
    assert path == tmp_path / "README.md"
    md = path.read_text()
    assert "| udp_echo | kaa | first UDP echo | 50 (40-60) |" in md
    assert "udp_echo answers 32x sooner than Linux" in md
    assert "| hello | kaa | 2 |" in md and "skipped http_hello: not there" in md
    assert "| http_hello | 1 | keepalive-c32 | 30,000 (27,000-33,000) |" in md
    assert "http_hello (1 vCPU) requests/s relative to Linux: keepalive-c32 3.00x" in md
    assert "are 3.0x over user networking and 3.0x over tap networking;" in md     # beside Unikraft's 2.8x
    assert "- `web_items` GET `/items/1`: the kaa.web framework's" in md and "access log is off" in md
    assert "| web_items_cpython | host | keepalive-c32 | 3,000 (2,700-3,300) |" in md
    assert md.count("**kaa.web/http_hello** (1 vCPU) requests/s: keepalive-c32 0.50x. Goal (within 20%, 0.80x or "
                    "more, keepalive-c32): not met.") == 2                       # once per network
    assert md.count("web_items booted (1 vCPU) requests/s relative to the same file under CPython: "
                    "keepalive-c32 5.00x.") == 1                                 # user networking only
    assert "web_items (1 vCPU) requests/s relative to Linux: keepalive-c32 1.50x" in md
    assert "web_items_cpython (" not in md                   # no Linux ratio for the host process
    assert "| tap | tcp_bulk | kaa | 950 (900-1,000) | 500 | 1, 2 |" in md
    assert "guest->host stalled" in md
    assert json.loads((tmp_path / "results.json").read_text())["boot"]["runs"] == 3
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "matplotlib is not installed" in md
    else:
        for name in ("boot", "memory", "http", "tcp"):
            assert (tmp_path / f"{name}.png").stat().st_size > 1000 and f"![{name}]({name}.png)" in md


class _Hello(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b'{"hello": "bench"}\n'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_http_probe_and_wrk_against_a_local_server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        port = srv.server_address[1]
        import time
        assert 0 <= first_http_200(port, time.monotonic(), 10) < 10
        assert http_get(port) == (200, b'{"hello": "bench"}\n')
        if bench_http.wrk_missing():
            pytest.skip(bench_http.wrk_missing())
        r = bench_http.wrk(port, 1, 2, 1, close=True)
        assert r["rps"] > 0 and r["p50_us"] is not None
    finally:
        srv.shutdown()
        srv.server_close()


def _serve_once(handler) -> int:
    """A port on 127.0.0.1 whose first connection is handed to handler in a thread."""
    srv = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        with srv:
            conn, _ = srv.accept()
            with conn:
                handler(conn)

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1]


def _sink(conn: socket.socket) -> None:
    n = 0
    while data := conn.recv(1 << 16):
        n += len(data)
    conn.sendall(b"received %d\n" % n)


def _source(conn: socket.socket) -> None:
    try:
        while True:
            conn.sendall(b"x" * 65536)
    except OSError:
        pass


def _silent(conn: socket.socket) -> None:
    time.sleep(5)


def test_bulk_clients_measure_both_ways_and_stop_at_their_bounds():
    sent = bulk_send("127.0.0.1", _serve_once(_sink), 0.3, 1 << 40)
    assert sent["bytes"] > 0 and sent["seconds"] >= 0.3 and sent["mbit_s"] > 0
    got = bulk_receive("127.0.0.1", _serve_once(_source), 5, 3 << 20)       # the byte count ends it
    assert got["bytes"] == 3 << 20 and got["mbit_s"] > 0
    t0 = time.monotonic()
    with pytest.raises(TimeoutError, match="guest->host stalled"):
        bulk_receive("127.0.0.1", _serve_once(_silent), 10, 1 << 40, stall=0.3)
    with pytest.raises(TimeoutError, match="host->guest"):                 # nobody reads: buffers fill
        bulk_send("127.0.0.1", _serve_once(_silent), 10, 1 << 40, stall=0.3)
    assert time.monotonic() - t0 < 8


@pytest.mark.booted
def test_boot_two_runs_of_udp_echo():
    out = io.StringIO()
    opts = _no_http()
    assert bench.main(["boot"], runs=2, opts=opts, out=out) == 0
    r = json.loads(out.getvalue())
    u = r["services"]["udp_echo"]
    assert r["runs"] == 2 and u["failed"] == 0 and u["answer"] == "first UDP echo"
    assert len(u["answer_s"]["runs"]) == 2 and 0 < u["answer_s"]["min"] <= u["answer_s"]["max"] < 60
    assert u["guest_us"]["median"] > 0                  # Kaa's "booted in N us"
    assert r["services"]["hello"]["answer"] == "exit status 0"
    assert "/nonexistent/http_app.py" in r["skipped"]["http_app"]


@pytest.mark.booted
def test_udp_round_trips_are_bounded_and_lose_nothing():
    from kaa.bench.machine import Machine, free_port
    import socket
    port = free_port(socket.SOCK_DGRAM)
    svc = services.udp_echo()
    with Machine(svc.config(port)) as m:
        from kaa.bench.probes import first_udp_echo
        first_udp_echo(port, m.t0, 60, m.alive)
        r = udp_round_trips(port, 0.5, 200, window=4)
    assert r["round_trips"] + r["lost"] == 200 or r["seconds"] <= 1.1
    assert r["round_trips"] > 0 and r["lost"] == 0 and r["p50_us"] > 0


@pytest.mark.slow
@pytest.mark.booted
@pytest.mark.skipif(os.environ.get("KAA_BENCH_LINUX") != "1",
                    reason="downloads Debian's kernel and nginx and boots them: set KAA_BENCH_LINUX=1")
def test_linux_baseline_builds_and_serves_the_body():
    from kaa.bench import linux
    b = linux.build_baseline()
    assert b.vmlinux.read_bytes()[:4] == b"\x7fELF"
    assert {"virtio_mmio", "virtio_net"} <= set(sum(b.manifest["modules"].values(), []))
    got = boot.boot_once(services.linux(), timeout=60)
    assert 0 < got["answer_s"] < 60 and got["ready_s"] is not None and got["guest_us"] > 0
    from kaa.bench.machine import Machine, free_port
    port = free_port()
    with Machine(services.linux().config(port)) as m:
        first_http_200(port, m.t0, 60, m.alive)
        assert http_get(port) == (200, linux.BODY)
    from kaa.bench.network import UserNet
    from kaa.bench.tcp import transfer
    moved = transfer(services.linux(), UserNet(), Options(duration=0.5))     # busybox nc sink and source
    assert all(x.get("mbit_s", 0) > 0 for x in moved.values()), moved


@pytest.mark.booted
def test_tcp_one_short_run_each_way():
    out = io.StringIO()
    opts = Options(with_linux=False, duration=0.5, nets=_nets())
    bench.main(["tcp"], runs=1, opts=opts, out=out)
    r = json.loads(out.getvalue())
    assert r["benchmark"] == "tcp" and r["directions"] == ["host->guest", "guest->host"]
    assert set(r["nets"]) == set(_nets())
    for net, svcs in r["nets"].items():
        for d in r["directions"]:
            x = svcs["tcp_bulk"][d]
            assert x["failed"] + x["mbit_s"]["n"] == 1
            if net == "user":                      # over a tap, a stalled transfer is reported, not hung
                assert _positive(x["mbit_s"]), r.get("errors")
            elif x["failed"]:
                assert any(k.startswith(f"tcp_bulk {net}") for k in r["errors"])


@pytest.mark.booted
@pytest.mark.skipif(bench_http.wrk_missing() is not None, reason="wrk is not installed")
def test_http_one_short_run_per_network_and_vcpu_count(monkeypatch):
    monkeypatch.setattr(bench_http, "HEALTH_S", 2.0)      # quicker to call a stopped guest failed
    out = io.StringIO()
    opts = Options(with_linux=False, with_web=False, duration=0.5, smp=(1, 2), nets=_nets())
    bench.main(["http"], runs=1, opts=opts, out=out)
    r = json.loads(out.getvalue())
    assert r["runs"] == 1 and r["smp"] == [1, 2] and set(r["nets"]) == set(_nets())
    measured = 0
    for net, svcs in r["nets"].items():
        assert set(svcs) == {"http_hello smp=1", "http_hello smp=2"}
        for key, s in svcs.items():
            assert s["failed"] == 0 and s["body_bytes"] > 0, r.get("errors")   # it answered GET / at least
            for load in r["loads"]:                 # keep-alive and a new connection per request
                x = s[load]
                assert x["failed"] + x["rps"]["n"] == 1
                if x["failed"]:                     # a guest that stopped answering is reported, not hung
                    assert f"{s['service']} smp={s['smp']} {net} {load}" in r["errors"]
                else:
                    assert _positive(x["rps"]) and _positive(x["p50_us"]) and _positive(x["p99_us"])
                    measured += 1
    assert measured > 0, r.get("errors")


@pytest.mark.booted
@pytest.mark.skipif(bench_http.wrk_missing() is not None, reason="wrk is not installed")
def test_http_framework_booted_and_under_cpython(monkeypatch):
    """kaa.web's Item service booted (each network) and the same file under CPython (user
    networking only: a host process is on no tap), loaded on its own path."""
    monkeypatch.setattr(bench_http, "HEALTH_S", 2.0)
    out = io.StringIO()
    opts = Options(with_linux=False, duration=0.5, smp=(1,), nets=_nets(),
                   http=services.http_service("/nonexistent/http_app.py"))
    bench.main(["http"], runs=1, opts=opts, out=out)
    r = json.loads(out.getvalue())
    assert r["framework"] == {"kernel": "http_app", "booted": "web_items", "cpython": "web_items_cpython",
                              "goal_ratio": 0.8, "access_log": False}
    assert set(r["nets"]["user"]) == {"web_items smp=1", "web_items_cpython"}
    if "tap" in r["nets"]:
        assert set(r["nets"]["tap"]) == {"web_items smp=1"} and "web_items_cpython over tap" in r["skipped"]
    cpy = r["nets"]["user"]["web_items_cpython"]
    assert cpy["kind"] == "cpython" and cpy["smp"] is None and cpy["path"] == "/items/1"
    for net, svcs in r["nets"].items():
        for key, s in svcs.items():
            assert s["failed"] == 0 and s["path"] == "/items/1", r.get("errors")
            assert s["body_bytes"] == cpy["body_bytes"]      # booted, the same JSON as CPython's
            for load in r["loads"]:
                x = s[load]
                assert x["failed"] + x["rps"]["n"] == 1
                if x["failed"]:
                    assert f"{key} {net} {load}" in r["errors"]
                else:
                    assert _positive(x["rps"]) and _positive(x["p50_us"])


def test_cpython_kind_runs_the_file_on_the_host_and_is_stopped():
    """The "cpython" kind: the framework's file as a host process on its own port, answering
    its path, stopped with the load; a short wrk load through the benchmark's own loop."""
    from kaa.bench.machine import HostProcess, Machine, free_port
    svc = services.cpython(services.web_items())
    assert svc.on_host and svc.path == "/items/1" and svc.available() is None
    port = free_port()
    with Machine(HostProcess(*svc.command(port))) as m:
        first_http_200(port, m.t0, 30, m.alive, path=svc.path)
        status, body = http_get(port, path=svc.path)
        assert status == 200 and json.loads(body)["id"] == 1
        assert http_get(port)[0] == 404                   # GET / is no route of it
    assert m.proc.poll() is not None
    with pytest.raises(bench_http.BenchError, match="on the host"):
        from kaa.bench.network import TapNet
        TapNet("unused").attach(svc, (svc.guest_port,))
    if bench_http.wrk_missing():
        pytest.skip(bench_http.wrk_missing())
    load = [x for x in bench_http.LOADS if x[0] == "keepalive-c1"]
    got = bench_http.load_service(svc, Options(duration=1), 1, loads=load)
    assert got["_body_bytes"]["bytes"] == len(body) and got["keepalive-c1"]["rps"] > 0


def test_webprof_splits_vcpu_time_and_renders_layers():
    from kaa.bench import webprof
    mine = webprof.thread_cpu(os.getpid())
    assert mine and all(t >= 0 for t in mine.values())
    before = {"CPU 0/TCG/11": 1.0, "qemu-system-x86/10": 2.0}
    after = {"CPU 0/TCG/11": 1.5, "qemu-system-x86/10": 2.25, "worker/12": 0.25}
    assert webprof.cpu_split(before, after) == (0.5, 0.5)
    names = [s.name for s, _ in webprof.layers()]
    assert names[0] == "http_hello" and "web_items" in names and len(set(names)) == len(names)
    s = summary([10.0, 12.0, 11.0])
    entry = {"name": "web_items", "path": "/items/1", "adds": "the service", "failed": 0,
             **{load: {"rps": s, "vcpu_us": s, "other_us": s} for load, *_ in webprof.PROFILE_LOADS}}
    table = webprof.render({"layers": [entry]})
    assert "| web_items | `/items/1` | the service | 11 | 11.0 | 11.0 | 11 | 11.0 | 11.0 |" in table


@pytest.mark.booted
def test_insnprof_counts_a_requests_instructions_by_function():
    """The TCG plugin counts blocks (it needs only gcc and QEMU's plugin support), the
    two boots' difference is per request, and it lands in the HTTP parser and TCP."""
    from kaa.bench import insnprof
    result = insnprof.profile(ROOT / "examples/http_hello.py", "/", 80, "", requests=100, warmup=20)
    per_request = result["instructions_per_request"]
    assert 2_000 < per_request < 200_000, result
    names = {f["name"] for f in result["functions"]}
    assert {"kaa_http_parse__take_line", "kernel_net_tcp_input__input"} <= names, sorted(names)[:40]


# --- lang: typed programs under CPython, mypyc, Kaa and C ------------------------------

def lang_small(name: str) -> int:
    from kaa.bench import lang
    return lang.BY_NAME[name].small


def test_lang_programs_are_mypy_strict_clean(tmp_path):
    from kaa.bench import lang
    for p in lang.PROGRAMS:                      # copies: in place mypy would climb into the kaa package
        shutil.copyfile(p.source, tmp_path / p.source.name)
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--config-file", os.devnull, "--no-incremental",
                        *sorted(x.name for x in tmp_path.glob("*.py"))], cwd=tmp_path, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_lang_smoke_every_mode_has_a_figure_or_a_named_failure(tmp_path):
    md = tmp_path / "lang.md"
    p = subprocess.run([sys.executable, "-m", "kaa.bench.lang", "nbody", "richards", "--small", "--runs", "2",
                        "--modes", "cpython,mypyc,kaa-host,c", "--timeout", "120", "--report", str(md)],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["benchmark"] == "lang" and r["runs"] == 2 and set(r["programs"]) == {"nbody", "richards"}
    assert set(r["programs"]["nbody"]["modes"]) == {"cpython", "mypyc", "kaa-host", "c"}
    assert set(r["programs"]["richards"]["modes"]) == {"cpython", "mypyc", "kaa-host"}      # no C version
    text = md.read_text()
    for name, prog in r["programs"].items():
        assert prog["size"] == lang_small(name) and prog["output"]
        for mode, m in prog["modes"].items():
            if "seconds" in m:
                assert m["seconds"]["n"] == 2 and m["seconds"]["median"] > 0
                assert prog["speedups"][mode]["vs_cpython"] > 0
            else:                                # a failure names its stage and its first error line
                assert m["failed"] in ("build", "run", "timeout", "output") and m["error"].strip()
                assert m["error"].replace("|", "\\|") in text
        for mode in ("cpython", "mypyc") + (("c",) if name == "nbody" else ()):
            assert "seconds" in prog["modes"][mode], prog["modes"][mode]
        assert set(prog["goals"]) == {"kaa-host"} and isinstance(prog["goals"]["kaa-host"]["met"], bool)
    assert "| nbody (numeric) | 1,000 |" in text and "## Speed-ups and goals" in text


def test_lang_wrong_output_crash_and_timeout_are_reported_not_timed(monkeypatch):
    from kaa.bench import lang
    fakes = {"mypyc": "print('-0.169075164'); print('-0.2')",              # the second line is wrong
             "kaa-host": "import sys; print('panic: heap exhausted', file=sys.stderr); sys.exit(3)",
             "c": "import time; time.sleep(30)"}
    real = lang.prepare

    def prepare(mode, p, work, cfg):
        if mode in fakes:
            return lang.Prepared([sys.executable, "-c", fakes[mode]])
        return real(mode, p, work, cfg)

    monkeypatch.setattr(lang, "prepare", prepare)
    cfg = lang.LangConfig(programs=("nbody",), modes=("cpython", "mypyc", "kaa-host", "c"), runs=2,
                          sizes={"nbody": 1000}, timeout=1.0, log=lambda m: None)
    r = lang.run_lang(cfg)["programs"]["nbody"]
    m = r["modes"]
    assert m["cpython"]["seconds"]["n"] == 2
    assert m["mypyc"]["failed"] == "output" and "line 2 is '-0.2', CPython printed '-0.169087605'" in m["mypyc"]["error"]
    assert m["kaa-host"]["failed"] == "run" and m["kaa-host"]["error"] == "panic: heap exhausted (exit status 3)"
    assert m["c"]["failed"] == "timeout"
    assert set(r["speedups"]) == {"cpython"} and r["goals"]["kaa-host"]["met"] is False
    text = lang.render({"runs": 2, "modes": list(cfg.modes), "programs": {"nbody": r}})
    assert "| nbody | Kaa host | run | `panic: heap exhausted (exit status 3)` |" in text
    assert "| nbody | C | timeout | `no end after 1 s` |" in text


def test_lang_error_lines_and_console():
    from kaa.bench.lang import console_output, first_error_line
    tb = "Traceback (most recent call last):\n  File \"x.py\", line 1\nZeroDivisionError: division by zero\n"
    assert first_error_line("", tb, 1) == "ZeroDivisionError: division by zero"
    assert first_error_line("", "x.py:3:5: error: unknown name 'q'\n    q\n", 1) == "x.py:3:5: error: unknown name 'q'"
    assert first_error_line("1\nKaa: panic: list index out of range\n", "", 70) == "Kaa: panic: list index out of range"
    assert first_error_line("", "", 9) == "exit status 9"
    assert console_output("Kaa 0.1: booted in 1961 us, 1 CPU, 126 MiB free\n1.5\nok\n") == ("1.5\nok\n", 1961)


@pytest.mark.booted
def test_lang_booted_mode_and_empty_service(tmp_path):
    from kaa.bench import lang
    cfg = lang.LangConfig(programs=("nbody",), modes=("cpython", "kaa-booted"), runs=1, small=True, timeout=120,
                          log=lambda m: None)
    r = lang.run_lang(cfg)
    e = r["empty_service"]
    assert ("seconds" in e and e["seconds"]["median"] > 0) or (e["failed"] and e["error"])
    m = r["programs"]["nbody"]["modes"]["kaa-booted"]
    assert ("seconds" in m and m["seconds"]["n"] == 1) or (m["failed"] and m["error"])
    # The plumbing with a program today's compiler builds: the size reaches the guest's command
    # line, the banner is taken off the console and its boot time kept.
    hello = lang.Program("hello", 0, 0, False, path=ROOT / "examples" / "hello.py")
    for mode in ("kaa-host", "kaa-booted"):
        seconds, out, us = lang.run_once(lang.prepare(mode, hello, tmp_path, cfg), 7, cfg)
        assert out == "Hello from Kaa\ncommand line: 7\n" and seconds > 0
        assert (us is not None and us > 0) == (mode == "kaa-booted")
