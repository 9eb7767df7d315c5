"""http: requests/s and latency under wrk, the Kaa HTTP service beside nginx on Linux.

Each service is booted (user networking, GET / forwarded from 127.0.0.1), warmed up
with one second of load, then loaded by wrk (Debian's `wrk`) in each LOAD below for
`duration` seconds: keep-alive, and a new connection per request (`Connection: close`,
which both servers honour by closing, so wrk reconnects), with 32 connections on two
wrk threads and with one connection. Runs are interleaved (run 1 of every service, then
run 2, ...); every figure is the median of the runs with min and max. Reported per load:
requests/s, p50 and p99 latency (wrk --latency), and errors (non-2xx answers, connect,
read, write and timeout errors), which a fair comparison needs at zero.

Every load is bounded: `duration` seconds each, wrk's own --timeout, and a process
timeout of duration + 30 s. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from kaa import vm
from kaa.bench.machine import BenchError, Machine, free_port
from kaa.bench.options import Options
from kaa.bench.probes import first_http_200, http_get
from kaa.bench.services import Service
from kaa.bench.stats import summary

DEFAULT_RUNS = 3
WARMUP_S = 1
LOADS = (  # name, wrk threads, connections, close each connection after one request
    ("keepalive-c32", 2, 32, False),
    ("keepalive-c1", 1, 1, False),
    ("close-c32", 2, 32, True),
    ("close-c1", 1, 1, True),
)
_UNITS = {"us": 1.0, "ms": 1e3, "s": 1e6, "m": 60e6}


def wrk_missing() -> str | None:
    return None if shutil.which("wrk") else "wrk is not installed (Debian: apt-get install wrk)"


def _us(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if m is None:
        raise ValueError(f"wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(out: str) -> dict:
    """requests/s, latency percentiles (us) and error counts from `wrk --latency` output."""
    res: dict = {}
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if m is None:
        raise BenchError(f"wrk printed no Requests/sec:\n{out}")
    res["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", out)
    res["requests"] = int(m.group(1)) if m else None
    for p in (50, 75, 90, 99):
        m = re.search(rf"^\s*{p}(?:\.0+)?%\s+([\d.]+(?:us|ms|s|m))\s*$", out, re.MULTILINE)
        res[f"p{p}_us"] = round(_us(m.group(1)), 1) if m else None
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    res["errors"] = errors
    return res


def wrk(port: int, threads: int, connections: int, duration: float, close: bool) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", "--timeout", "2s"]
    if close:
        cmd += ["-H", "Connection: close"]
    cmd.append(f"http://127.0.0.1:{port}/")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {duration + 30:g} s") from None
    if p.returncode != 0:
        raise BenchError(f"wrk failed: {p.stderr.strip() or p.stdout.strip()}")
    return parse_wrk(p.stdout)


def load_service(svc: Service, opts: Options, smp: int, loads=LOADS, opt: int = 2,
                 machine: str = "microvm", nic: str = "virtio") -> dict[str, dict]:
    """Boot svc once and run each load against it: {load name: wrk figures}."""
    port = free_port()
    cfg = svc.config(port, opt=opt, memory=opts.memory, smp=smp, machine=machine, nic=nic, accel=opts.accel)
    with Machine(cfg) as m:
        try:
            first_http_200(port, m.t0, 60, m.alive)
        except (TimeoutError, ConnectionError) as e:
            raise BenchError(f"{svc.name}: {e}\n{m.tail()}") from None
        status, body = http_get(port)
        if status != 200:
            raise BenchError(f"{svc.name}: GET / answered {status}")
        wrk(port, 2, 32, WARMUP_S, False)
        out = {}
        for name, threads, conns, close in loads:
            out[name] = wrk(port, threads, conns, opts.duration, close)
            if not m.alive():
                raise BenchError(f"{svc.name} ended during {name}\n{m.tail()}")
        out["_body_bytes"] = len(body)     # type: ignore[assignment]
        return out


def run(opts: Options) -> dict:
    result: dict = {"benchmark": "http", "net": "user", "duration_s": opts.duration,
                    "loads": {n: {"wrk_threads": t, "connections": c, "connection_close": x} for n, t, c, x in LOADS},
                    "accel": vm.pick_accel(opts.accel), "services": {}}
    if (why := wrk_missing()):
        result["skipped"] = {"all": why}
        return result
    runs = opts.runs_or(DEFAULT_RUNS)
    result["runs"] = runs
    svcs, skipped = opts.http_services()
    samples: dict[tuple[str, int], list[dict | None]] = {(s.name, n): [] for s in svcs for n in opts.smp}
    errors: dict[str, list[str]] = {}
    for s in svcs:
        s.image()
    for r in range(runs):
        for smp in opts.smp:
            for s in svcs:
                try:
                    got = load_service(s, opts, smp)
                except BenchError as e:
                    got = None
                    errors.setdefault(s.name, []).append(str(e)[:2000])
                samples[(s.name, smp)].append(got)
                opts.say(f"http {r + 1}/{runs} {s.name} smp={smp}: " +
                         (", ".join(f"{n} {got[n]['rps']:.0f}/s" for n, *_ in LOADS) if got else "failed"))
    for (name, smp), runs_ in samples.items():
        ok = [x for x in runs_ if x is not None]
        entry: dict = {"smp": smp, "failed": len(runs_) - len(ok)}
        if ok:
            entry["body_bytes"] = ok[0]["_body_bytes"]
        for load, *_ in LOADS:
            entry[load] = {k: summary([x[load][k] for x in ok if x[load][k] is not None], digits=1)
                           for k in ("rps", "p50_us", "p99_us")}
            entry[load]["errors"] = sum(x[load]["errors"] for x in ok)
        result["services"][f"{name}" + (f" smp={smp}" if len(opts.smp) > 1 else "")] = entry
    if skipped:
        result["skipped"] = skipped
    if errors:
        result["errors"] = errors
    return result
