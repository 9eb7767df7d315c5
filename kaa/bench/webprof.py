"""webprof: where a kaa.web request's time goes, layer by layer.

    python3 -m kaa.bench.webprof --runs 3 --duration 3      # a Markdown table on stdout

Each service below is booted (user networking, one vCPU), warmed up, and loaded by wrk
(keepalive-c32 and keepalive-c1 of kaa/bench/http.py) on its path. Besides requests/s,
each load reports the CPU time of QEMU's vCPU thread during the load divided by the
requests answered: the guest's own work per request. Unlike requests/s it hardly moves
when other work on the host slows QEMU down (the thread sleeps while the guest halts),
so the difference between two layers is what the code between them costs. The rest of
QEMU (its main loop: the user network's TCP relay and the device models) is reported
apart. Runs are interleaved; figures are medians.

The layers: the kernel-level http_hello; kaa/bench/programs/web_layers.py at each of its
LAYERs (the bridge alone, then the request copied out, the headers dict, the Request
object; and /items/1 answered with no framework); kaa/bench/programs/web_items.py on
/text and /items/1, with its access log off and on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from kaa.bench import services
from kaa.bench.http import LOADS, wrk, wrk_missing
from kaa.bench.machine import BenchError, Machine, free_port
from kaa.bench.probes import first_http_200
from kaa.bench.services import PROGRAMS, Service
from kaa.bench.stats import summary

PROFILE_LOADS = [x for x in LOADS if x[0] in ("keepalive-c32", "keepalive-c1")]
THREAD_NAMES = ["-name", "kaa-webprof,debug-threads=on"]     # QEMU names its vCPU threads "CPU 0/TCG"


def layers() -> list[tuple[Service, str]]:
    """(service, what it adds to the layer before it), cheapest first."""
    web = services.web_items()
    log = f"{web.cmdline} ACCESS_LOG=1"

    def layer(name: str, what: str) -> tuple[Service, str]:
        return (services.http_service(PROGRAMS / "web_layers.py", 8080, cmdline=f"PORT=8080 LAYER={name}",
                                      name=f"layer {name}").with_(path="/items/1"), what)

    return [(services.http_service(), "kernel level: the kernel's router and JSON writer, GET /"),
            layer("raw", "the bridge: a constant body from a compiled Python function"),
            layer("read", "+ method, path, query, body copied out of the kernel"),
            layer("headers", "+ the headers dict, names lower-cased"),
            layer("request", "+ the Request object (query, cookies parsed)"),
            (web.with_(name="kaa.web /text", path="/text"), "+ App.handle: routing, a str handler, the Response"),
            (web, "+ the int path parameter, the dataclass as JSON (the benchmark's service)"),
            (web.with_(name="kaa.web /text log", path="/text", cmdline=log), "kaa.web /text with the access log on"),
            (web.with_(name="kaa.web /items/1 log", cmdline=log), "kaa.web /items/1 with the access log on"),
            layer("lean", "/items/1 with no framework: path by hand, json.dumps(asdict(item))"),
            layer("fstr", "lean with the JSON from an f-string")]


def thread_cpu(pid: int) -> dict[str, float]:
    """{thread name/id: CPU seconds (user + system)} of a process's threads."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except OSError:                       # the thread ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        out[f"{name}/{tid}"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_split(before: dict[str, float], after: dict[str, float]) -> tuple[float, float]:
    """(vCPU threads' CPU seconds, the other threads') between two thread_cpu readings."""
    vcpu = other = 0.0
    for name, t in after.items():
        spent = t - before.get(name, 0.0)
        if name.startswith("CPU "):
            vcpu += spent
        else:
            other += spent
    return vcpu, other


def profile_once(svc: Service, duration: float, accel: str) -> dict[str, dict]:
    """Boot svc, warm it up, run each load: {load: {"rps", "vcpu_us", "other_us"}} per request."""
    port = free_port()
    with Machine(svc.with_(extra=THREAD_NAMES).config(port, accel=accel)) as m:
        try:
            first_http_200(port, m.t0, 60, m.alive, path=svc.path)
        except OSError as e:
            raise BenchError(f"{svc.name}: {e}\n{m.tail()}") from None
        wrk(port, 2, 32, 1, False, path=svc.path)                  # warm-up
        out = {}
        for name, threads, conns, close in PROFILE_LOADS:
            before = thread_cpu(m.proc.pid)
            got = wrk(port, threads, conns, duration, close, path=svc.path)
            vcpu, other = cpu_split(before, thread_cpu(m.proc.pid))
            n = got["requests"] or 0
            if not n or got["errors"]:
                raise BenchError(f"{svc.name} {name}: {n} requests, {got['errors']} errors")
            out[name] = {"rps": got["rps"], "vcpu_us": vcpu / n * 1e6, "other_us": other / n * 1e6}
    return out


def run(runs: int, duration: float, accel: str = "auto", only: list[str] | None = None,
        log=lambda msg: print(f"kaa webprof: {msg}", file=sys.stderr, flush=True)) -> dict:
    chosen = [(s, what) for s, what in layers() if not only or s.name in only]
    for s, _ in chosen:
        s.image(accel=accel)
    samples: dict[str, list[dict | None]] = {s.name: [] for s, _ in chosen}
    errors: dict[str, list[str]] = {}
    for r in range(runs):
        for s, _ in chosen:
            try:
                got: dict | None = profile_once(s, duration, accel)
            except BenchError as e:
                got = None
                errors.setdefault(s.name, []).append(str(e)[:2000])
            samples[s.name].append(got)
            log(f"{r + 1}/{runs} {s.name}: " + (", ".join(
                f"{ld} {x['rps']:.0f}/s {x['vcpu_us']:.1f} us" for ld, x in got.items()) if got else "failed"))
    from kaa import vm
    result: dict = {"benchmark": "webprof", "runs": runs, "duration_s": duration, "accel": vm.pick_accel(accel),
                    "layers": []}
    for s, what in chosen:
        ok = [x for x in samples[s.name] if x is not None]
        entry: dict = {"name": s.name, "path": s.path, "adds": what, "failed": runs - len(ok)}
        for load, *_ in PROFILE_LOADS:
            entry[load] = {k: summary([x[load][k] for x in ok], digits=1) for k in ("rps", "vcpu_us", "other_us")}
        result["layers"].append(entry)
    if errors:
        result["errors"] = errors
    return result


def render(result: dict) -> str:
    """The layers as a Markdown table: requests/s and vCPU us per request for each load."""
    def med(e: dict, load: str, key: str) -> float | None:
        return e[load][key]["median"]

    head = ["service", "path", "what it adds"]
    for load, *_ in PROFILE_LOADS:
        head += [f"{load} req/s", f"{load} vCPU us/req", f"{load} rest of QEMU us/req"]
    rows = []
    for e in result["layers"]:
        row = [e["name"], f"`{e['path']}`", e["adds"]]
        for load, *_ in PROFILE_LOADS:
            row += [_num(med(e, load, "rps"), 0), _num(med(e, load, "vcpu_us"), 1), _num(med(e, load, "other_us"), 1)]
        rows.append(row)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _num(v: float | None, digits: int) -> str:
    return "-" if v is None else f"{v:,.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m kaa.bench.webprof", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=float, default=3.0, help="seconds of each load (default 3)")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--only", help="comma-separated service names (see the table) to run alone")
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args(argv)
    if (why := wrk_missing()):
        print(f"kaa webprof: {why}", file=sys.stderr)
        return 2
    result = run(a.runs, a.duration, a.accel, a.only.split(",") if a.only else None)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
    print(render(result))
    for name, errs in result.get("errors", {}).items():
        print(f"- {name}: {len(errs)} failed run(s); first: {errs[0].splitlines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
