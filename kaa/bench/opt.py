"""opt: the same Kaa code built at -O0, -O1, -O2 and -O3, timed and compared.

The CPU-bound program kaa/bench/programs/cpu_work.py runs
  guest   booted in QEMU (microvm, the accelerator `auto` picks, no NIC): the seconds
          between its "start" and "done" console lines as they reach the host;
  host    built with --target host and run as a Linux process: the same two lines.
Its checksum must be the same at every level (a miscompile would show here). Levels run
interleaved (-O0 -O1 -O2 -O3, then again), `runs` times; ratios are against -O2 (the
default): time(-On) / time(-O2), so -O0's ratio is how much slower no optimisation is.
Under TCG the guest figure is the cost of the emulated instructions, which is not the
cost on hardware: the host figure is that.

When the Kaa HTTP service exists, it is also loaded with wrk (keep-alive, 32
connections) at each level, and its requests/s compared the same way.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path

from kaa import build, vm
from kaa.bench.machine import BenchError, Machine
from kaa.bench.options import Options
from kaa.bench.stats import summary

PROGRAM = Path(__file__).resolve().parent / "programs" / "cpu_work.py"
LEVELS = (0, 1, 2, 3)
DEFAULT_RUNS = 3
ROUNDS = 600                 # about 1 s at -O2 in the guest under TCG, 0.3 s on the host
DONE = r"cpu_work: done checksum=(?P<sum>[0-9a-f]+) ticks=(?P<ticks>\d+)"
START = r"cpu_work: start"


def guest_once(image: Path, rounds: int, accel: str, timeout: float = 300) -> tuple[float, str]:
    cfg = vm.VmConfig(image, accel=accel, memory=32, net="none", cmdline=f"rounds={rounds}")
    with Machine(cfg) as m:
        t0 = m.wait_line(START, timeout)[0]
        t1, done = m.wait_line(DONE, timeout)
        _, status = m.wait_exit(30)
        if status != 0:
            raise BenchError(f"cpu_work ended with status {status}\n{m.tail()}", m.crash())
    return t1 - t0, done.group("sum")


def host_once(exe: Path, rounds: int, timeout: float = 300) -> tuple[float, str]:
    stamps: list[tuple[float, str]] = []
    p = subprocess.Popen([str(exe), f"rounds={rounds}"], stdout=subprocess.PIPE, text=True)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    try:
        assert p.stdout is not None
        for line in p.stdout:
            stamps.append((time.monotonic(), line.rstrip("\n")))
        rc = p.wait()
    finally:
        timer.cancel()
    start = [t for t, line in stamps if re.search(START, line)]
    done = [(t, m) for t, line in stamps if (m := re.search(DONE, line))]
    if rc != 0 or not start or not done:
        raise BenchError(f"host cpu_work failed (status {rc}): {[line for _, line in stamps]}")
    return done[0][0] - start[0], done[0][1].group("sum")


def _ratios(medians: dict[int, float | None]) -> dict[str, float | None]:
    base = medians.get(2)
    return {f"O{o}": (round(v / base, 3) if v and base else None) for o, v in medians.items()}


def run(opts: Options) -> dict:
    runs = opts.runs_or(DEFAULT_RUNS)
    images = {o: build.build(PROGRAM, target="kvm", opt=o) for o in LEVELS}
    exes = {o: build.build(PROGRAM, target="host", opt=o) for o in LEVELS}
    guest: dict[int, list[float]] = {o: [] for o in LEVELS}
    host: dict[int, list[float]] = {o: [] for o in LEVELS}
    sums: set[str] = set()
    for r in range(runs):
        for o in LEVELS:
            t, s = guest_once(images[o], ROUNDS, opts.accel)
            guest[o].append(t)
            sums.add(s)
            t2, s2 = host_once(exes[o], ROUNDS)
            host[o].append(t2)
            opts.say(f"opt {r + 1}/{runs} -O{o}: guest {t:.3f} s, host {t2:.3f} s")
    if len({s for s in sums}) != 1:
        raise BenchError(f"cpu_work's checksum differs between -O levels: {sorted(sums)}")
    result: dict = {"benchmark": "opt", "program": str(PROGRAM.relative_to(PROGRAM.parents[3])),
                    "runs": runs, "accel": vm.pick_accel(opts.accel),
                    "guest": {"rounds": ROUNDS, "seconds": {f"O{o}": summary(guest[o]) for o in LEVELS}},
                    "host": {"rounds": ROUNDS, "seconds": {f"O{o}": summary(host[o]) for o in LEVELS}},
                    "checksum": sums.pop()}
    for side in ("guest", "host"):
        result[side]["ratio_to_O2"] = _ratios({o: result[side]["seconds"][f"O{o}"]["median"] for o in LEVELS})
    svc = opts.http
    if svc.available() is None:
        result["http"] = _http_levels(opts, runs)
    else:
        result["http"] = {"skipped": svc.available()}
    return result


def _http_levels(opts: Options, runs: int) -> dict:
    from kaa.bench.http import keepalive_rps, wrk_missing
    if (why := wrk_missing()):
        return {"skipped": why}
    rps: dict[int, list[float | None]] = {o: [] for o in LEVELS}
    errors: dict[str, list[str]] = {}
    for r in range(runs):
        for o in LEVELS:
            rps[o].append(keepalive_rps(opts.http, opts, errors, f"-O{o}", opt=o))
            opts.say(f"opt http {r + 1}/{runs} -O{o}: " + (f"{rps[o][-1]:.0f}/s" if rps[o][-1] else "failed"))
    out: dict = {"service": opts.http.name, "load": "keepalive-c32",
                 "rps": {f"O{o}": summary(rps[o], digits=1) for o in LEVELS}}
    if errors:
        out["errors"] = errors
    out["ratio_to_O2"] = _ratios({o: out["rps"][f"O{o}"]["median"] for o in LEVELS})
    return out
