"""http: requests/s and latency under wrk, the Kaa HTTP service beside nginx on Linux.

Each service is booted with each vCPU count (`smp`, default 1 and 2) on each network
(kaa/bench/network.py: QEMU's user network with GET / forwarded from 127.0.0.1, and a
tap in the benchmark's own network namespace, wrk running inside it), warmed up with
one second of load, then loaded by wrk (Debian's `wrk`) in each LOAD below for
`duration` seconds: keep-alive, and a new connection per request (`Connection: close`,
which both servers honour by closing, so wrk reconnects; wrk checks every answer),
with 32 connections on two wrk threads, and keep-alive with one connection (the
latency of a lone client). Runs are interleaved (run 1 of every network, vCPU count
and service, then run 2, ...); every figure is the median of the runs with min and
max. Reported per load: requests/s, p50 and p99 latency (wrk --latency), and errors
(non-2xx answers, connect, read, write and timeout errors), which a fair comparison
needs at zero. The two networks are reported separately: user networking relays every
connection through QEMU's own TCP stack, which caps what either guest can show.

Every load is bounded: `duration` seconds each (whole seconds: wrk's unit), wrk's own
--timeout, and a process timeout of duration + 30 s. After the warm-up and after every
load, GET / must answer within HEALTH_S: a guest that stopped answering (the Kaa TCP
stack has had such stalls under load) has that load counted as a failed run, with what
happened in "errors", and a fresh guest takes the loads still to come. Traffic goes to
127.0.0.1 or into the namespace only.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess

from kaa import vm
from kaa.bench.machine import BenchError, Machine
from kaa.bench.network import UserNet, link
from kaa.bench.options import Options
from kaa.bench.probes import first_http_200, http_get
from kaa.bench.services import Service
from kaa.bench.stats import summary

DEFAULT_RUNS = 3
WARMUP_S = 1
HEALTH_S = 5.0
WARMUP = ("the warm-up", 2, 32, False)
LOADS = (  # name, wrk threads, connections, close each connection after one request
    ("keepalive-c32", 2, 32, False),
    ("close-c32", 2, 32, True),
    ("keepalive-c1", 1, 1, False),
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


def wrk(port: int, threads: int, connections: int, duration: float, close: bool, host: str = "127.0.0.1",
        net: UserNet | None = None) -> dict:
    """wrk's figures for GET / on host:port (run inside net's namespace, if it has one); wrk
    counts its duration in whole seconds, at least one."""
    duration = max(1, round(duration))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "2s"]
    if close:
        cmd += ["-H", "Connection: close"]
    cmd.append(f"http://{host}:{port}/")
    try:
        p = subprocess.run((net or UserNet()).command(cmd), capture_output=True, text=True, timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {duration + 30:g} s") from None
    if p.returncode != 0:
        raise BenchError(f"wrk failed: {p.stderr.strip() or p.stdout.strip()}")
    return parse_wrk(p.stdout)


def load_service(svc: Service, opts: Options, smp: int, loads=LOADS, opt: int = 2,
                 machine: str = "microvm", nic: str = "virtio", net: UserNet | None = None) -> dict[str, dict]:
    """Boot svc on net (user networking by default), warm it up, and run each load against
    it: {load name: wrk figures, or {"error": why}}, and "_body_bytes".

    After the warm-up and after each load, GET / must answer within HEALTH_S: when it does
    not, the load is counted as failed (its figures would be those of a guest that stopped
    halfway) and a fresh guest takes the loads still to come. A guest that never answers
    at all raises BenchError."""
    net = net or UserNet()
    g = net.attach(svc, (svc.guest_port,), opt=opt, memory=opts.memory, smp=smp, machine=machine, nic=nic,
                   accel=opts.accel)
    host, port = g.address(svc.guest_port)
    out: dict[str, dict] = {}
    pending = list(loads)
    while pending:
        with g.boot() as m:
            try:
                net.call(first_http_200, port, m.t0, 60, m.alive, host=host)
                status, body = net.call(http_get, port, host=host)
            except OSError as e:                 # TimeoutError, ConnectionError
                raise BenchError(f"{svc.name} over {net.name}: {e}\n{m.tail()}") from None
            if status != 200:
                raise BenchError(f"{svc.name}: GET / answered {status}")
            out["_body_bytes"] = {"bytes": len(body)}
            for name, threads, conns, close in [WARMUP] + pending:
                seconds = min(WARMUP_S, opts.duration) if name == WARMUP[0] else opts.duration
                try:
                    figures = wrk(port, threads, conns, seconds, close, host, net)
                    why = _stopped(net, m, host, port) or (None if figures["requests"] else "wrk completed no request")
                except BenchError as e:
                    why = str(e)
                if why:                          # charged to the load, or to the first load after a warm-up
                    failed = pending.pop(0)[0]
                    out[failed] = {"error": f"{svc.name} smp={smp} over {net.name}: stopped answering during "
                                            f"{name}: {why}\n{m.tail(5)}"}
                    break                        # a fresh guest for the loads still to come
                if name != WARMUP[0]:
                    out[pending.pop(0)[0]] = figures
    return out


def _stopped(net: UserNet, m: Machine, host: str, port: int) -> str | None:
    """None while the guest answers GET / within HEALTH_S, else what went wrong."""
    if not m.alive():
        return "QEMU ended"
    try:
        status, _ = net.call(http_get, port, HEALTH_S, host=host)
    except OSError as e:
        return f"no answer to GET / within {HEALTH_S:g} s ({e})"
    return None if status == 200 else f"GET / answered {status}"


def keepalive_rps(svc: Service, opts: Options, errors: dict[str, list[str]], label: str, **kw: object) -> float | None:
    """Requests/s of the keepalive-c32 load alone (what opt and nic compare across builds and
    NICs), or None with the failure written into errors[label]."""
    load = [x for x in LOADS if x[0] == "keepalive-c32"]
    try:
        got = load_service(svc, opts, 1, loads=load, **kw)["keepalive-c32"]     # type: ignore[arg-type]
    except BenchError as e:
        got = {"error": str(e)}
    if "error" in got:
        errors.setdefault(label, []).append(got["error"][:2000])
        return None
    return got["rps"]


def summarize(runs: list[dict | None]) -> dict:
    """Medians (min, max) of each load's figures over the runs of one service; errors
    (wrk's) summed; failed: the runs in which the load failed or the guest never answered."""
    answered = [x for x in runs if x is not None]
    entry: dict = {"failed": len(runs) - len(answered)}
    if answered:
        entry["body_bytes"] = answered[0]["_body_bytes"]["bytes"]
    for load, *_ in LOADS:
        ok = [x[load] for x in answered if load in x and "error" not in x[load]]
        entry[load] = {k: summary([x[k] for x in ok if x[k] is not None], digits=1) for k in ("rps", "p50_us", "p99_us")}
        entry[load]["errors"] = sum(x["errors"] for x in ok)
        entry[load]["failed"] = len(runs) - len(ok)
    return entry


def run(opts: Options) -> dict:
    result: dict = {"benchmark": "http", "duration_s": opts.duration, "smp": list(opts.smp),
                    "loads": {n: {"wrk_threads": t, "connections": c, "connection_close": x} for n, t, c, x in LOADS},
                    "machine": "microvm", "memory_mib": opts.memory, "accel": vm.pick_accel(opts.accel), "nets": {}}
    if (why := wrk_missing()):
        result["skipped"] = {"all": why}
        return result
    runs = opts.runs_or(DEFAULT_RUNS)
    result["runs"] = runs
    svcs, skipped = opts.http_services()
    nets, net_skipped = opts.networks()
    skipped.update(net_skipped)
    keys = [(n, s, smp) for n in nets for smp in opts.smp for s in svcs]
    samples: dict[tuple, list[dict | None]] = {(n, s.name, smp): [] for n, s, smp in keys}
    errors: dict[str, list[str]] = {}
    for s in svcs:
        s.image(accel=opts.accel)
    with contextlib.ExitStack() as stack:
        links = {n: stack.enter_context(link(n)) for n in nets}
        for r in range(runs):
            for n, s, smp in keys:
                label = f"{s.name} smp={smp} {n}"
                try:
                    got: dict | None = load_service(s, opts, smp, net=links[n])
                except BenchError as e:
                    got = None
                    errors.setdefault(label, []).append(str(e)[:2000])
                for ld, x in (got or {}).items():
                    if "error" in x:
                        errors.setdefault(f"{label} {ld}", []).append(x["error"][:2000])
                samples[(n, s.name, smp)].append(got)
                opts.say(f"http {r + 1}/{runs} {label}: " + (", ".join(
                    f"{ld} " + (f"{got[ld]['rps']:.0f}/s" if "rps" in got[ld] else "failed")
                    for ld, *_ in LOADS) if got else "failed"))
    for n, s, smp in keys:
        entry = {"service": s.name, "kind": s.kind, "smp": smp, **summarize(samples[(n, s.name, smp)])}
        result["nets"].setdefault(n, {})[f"{s.name} smp={smp}"] = entry
    if skipped:
        result["skipped"] = skipped
    if errors:
        result["errors"] = errors
    return result
