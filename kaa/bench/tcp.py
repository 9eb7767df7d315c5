"""tcp: bulk TCP throughput, one direction at a time, Kaa beside Linux, over both networks.

The Kaa guest is kaa/bench/programs/tcp_bulk.py, the Linux baseline busybox `nc` in
the same initramfs as nginx (kaa/bench/linux.py); both keep a sink on SINK_PORT and a
source on SOURCE_PORT. From the host, with plain Python sockets (kaa/bench/probes.py):
  host->guest  send for `duration` seconds, end the stream, and wait for the sink's
               byte count: the time is until the guest has taken every byte;
  guest->host  read from the source for `duration` seconds.
Each service is booted once per run and network and moves data both ways (a guest
whose transfer failed is booted afresh for the next one). Runs are interleaved (run 1
of every network and service, then run 2, ...); every figure is the median of the runs
with min and max, in Mbit/s.

Every transfer is bounded: `duration` seconds, MAX_BYTES, and STALL_S without progress,
after which the run is counted as failed with what the client saw (the Kaa TCP stack
has had transfers that stop midway over a tap; they show here, they do not hang).
"""

from __future__ import annotations

import contextlib
from typing import Callable

from kaa import vm
from kaa.bench.linux import SINK_PORT, SOURCE_PORT
from kaa.bench.machine import BenchError
from kaa.bench.network import UserNet, link
from kaa.bench.options import Options
from kaa.bench.probes import bulk_receive, bulk_send
from kaa.bench.services import Service
from kaa.bench.stats import summary

DEFAULT_RUNS = 3
MAX_BYTES = 4 << 30
STALL_S = 5.0
READY_S = 60.0
DIRECTIONS: tuple[tuple[str, int, Callable[..., dict]], ...] = (
    ("host->guest", SINK_PORT, bulk_send),
    ("guest->host", SOURCE_PORT, bulk_receive),
)


def transfer(svc: Service, net: UserNet, opts: Options, *, duration: float | None = None, smp: int = 1,
             machine: str = "microvm", nic: str = "virtio") -> dict[str, dict]:
    """Boot svc on net and move bulk data each way: {direction: figures, or {"error": why}}."""
    g = net.attach(svc, (SINK_PORT, SOURCE_PORT), memory=opts.memory, smp=smp, machine=machine, nic=nic,
                   accel=opts.accel)
    out: dict[str, dict] = {}
    pending = list(DIRECTIONS)
    while pending:
        with g.boot() as m:
            m.wait_line(svc.ready or r".", READY_S)
            while pending:
                name, port, client = pending.pop(0)
                try:
                    out[name] = net.call(client, *g.address(port), duration or opts.duration, MAX_BYTES, STALL_S)
                except OSError as e:             # refused, reset, stalled (TimeoutError)
                    out[name] = {"error": f"{svc.name} over {net.name}, {name}: {e}\n{m.tail(5)}"}
                    break                        # a fresh guest for the next direction
    return out


def measure(svc: Service, net: UserNet, opts: Options, errors: dict[str, list[str]], label: str,
            **kw: object) -> dict[str, dict] | None:
    """transfer(), its failures written into errors (under label, and label + direction)."""
    try:
        got = transfer(svc, net, opts, **kw)          # type: ignore[arg-type]
    except BenchError as e:
        errors.setdefault(label, []).append(str(e)[:2000])
        return None
    for d, x in got.items():
        if "error" in x:
            errors.setdefault(f"{label} {d}", []).append(x["error"][:2000])
    return got


def describe(got: dict[str, dict] | None) -> str:
    """One log line's worth of a transfer's figures."""
    if got is None:
        return "tcp failed"
    return ", ".join(f"{d} " + (f"{x['mbit_s']:.0f} Mbit/s" if "error" not in x else "failed")
                     for d, x in got.items())


def summarize(runs: list[dict[str, dict] | None]) -> dict:
    """{direction: {"mbit_s": summary, "failed": n}} over the runs of one service."""
    out = {}
    for name, _, _ in DIRECTIONS:
        got = [r.get(name) if r else None for r in runs]
        out[name] = {"mbit_s": summary([x["mbit_s"] if x and "error" not in x else None for x in got], digits=1),
                     "failed": sum(1 for x in got if not x or "error" in x)}
    return out


def run(opts: Options) -> dict:
    runs = opts.runs_or(DEFAULT_RUNS)
    nets, skipped = opts.networks()
    svcs = [opts.tcp] + ([opts.linux] if opts.with_linux else [])
    for s in svcs:
        s.image(accel=opts.accel)
    samples: dict[tuple[str, str], list[dict[str, dict] | None]] = {(n, s.name): [] for n in nets for s in svcs}
    errors: dict[str, list[str]] = {}
    with contextlib.ExitStack() as stack:
        links = {n: stack.enter_context(link(n)) for n in nets}
        for r in range(runs):
            for n in nets:
                for s in svcs:
                    got = measure(s, links[n], opts, errors, f"{s.name} {n}")
                    samples[(n, s.name)].append(got)
                    opts.say(f"tcp {r + 1}/{runs} {s.name} over {n}: {describe(got)}")
    result: dict = {"benchmark": "tcp", "runs": runs, "duration_s": opts.duration, "max_bytes": MAX_BYTES,
                    "stall_s": STALL_S, "machine": "microvm", "memory_mib": opts.memory,
                    "accel": vm.pick_accel(opts.accel), "directions": [d for d, _, _ in DIRECTIONS],
                    "nets": {n: {s.name: {"kind": s.kind, **summarize(samples[(n, s.name)])} for s in svcs}
                             for n in nets}}
    if skipped:
        result["skipped"] = skipped
    if errors:
        result["errors"] = errors
    return result
