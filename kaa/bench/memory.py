"""memory: the least --memory (MiB) each service boots and answers in, by bisection.

A size passes when the service gives its answer (HTTP 200, UDP echo, or for hello a
clean exit) within `timeout` seconds of QEMU's start; anything else (an out-of-memory
panic, a hang, QEMU refusing the size) fails, and a size whose guest crashed has its
crash line in "crashed". The bisection assumes that more memory
never hurts, finds the least passing size in [low, high], then boots that size once
more to confirm it (a size that passed once and then failed is reported as `flaky`, and
the search moves up a MiB at a time until a size passes twice).
"""

from __future__ import annotations

from kaa.bench.boot import boot_once
from kaa.bench.machine import BenchError
from kaa.bench.options import Options
from kaa.bench.services import Service

LIMITS = {"kaa": (1, 128, 15.0), "linux": (16, 512, 20.0)}    # low, high MiB, seconds to answer
MAX_CONFIRM_STEPS = 8


def passes(svc: Service, mib: int, timeout: float, accel: str, crashed: dict[int, str] | None = None) -> bool:
    try:
        boot_once(svc, memory=mib, timeout=timeout, accel=accel)
        return True
    except BenchError as e:
        if e.crash is not None and crashed is not None:
            crashed.setdefault(mib, e.crash.line)
        return False


def least_memory(svc: Service, opts: Options, low: int, high: int, timeout: float) -> dict:
    tried: dict[int, bool] = {}
    crashed: dict[int, str] = {}

    def probe(mib: int) -> bool:
        ok = passes(svc, mib, timeout, opts.accel, crashed)
        tried.setdefault(mib, ok)
        opts.say(f"memory {svc.name}: {mib} MiB {'answers' if ok else 'fails'}")
        return ok

    if not probe(high):
        return {"least_mib": None, "error": f"does not answer even in {high} MiB", "tried": tried,
                **({"crashed": {str(k): v for k, v in crashed.items()}} if crashed else {})}
    lo, hi = low - 1, high               # lo fails (or is below the range), hi passes
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if probe(mid):
            hi = mid
        else:
            lo = mid
    flaky = []
    for _ in range(MAX_CONFIRM_STEPS):
        if probe(hi):
            break
        flaky.append(hi)
        hi += 1
    result = {"least_mib": hi, "probes": len(tried), "answer_within_s": timeout,
              "tried": {str(k): v for k, v in sorted(tried.items())}}
    if flaky:
        result["flaky"] = flaky
    if crashed:
        result["crashed"] = {str(k): v for k, v in sorted(crashed.items())}
    return result


def run(opts: Options) -> dict:
    svcs = [opts.hello, opts.udp]
    http, skipped = opts.http_services()
    svcs += http
    result: dict = {"benchmark": "memory", "machine": "microvm", "services": {}}
    for s in svcs:
        why = s.available()
        if why:
            skipped[s.name] = why
            continue
        low, high, timeout = LIMITS[s.kind]
        s.image()
        result["services"][s.name] = {"kind": s.kind, **least_memory(s, opts, low, high, timeout)}
    if skipped:
        result["skipped"] = skipped
    return result
