"""nic: the same services on virtio-net and on e1000, same machine (q35), same everything else.

Each NIC in NICS (virtio-net-pci and e1000 on q35, and for reference virtio-mmio on
microvm) gets, interleaved `runs` times, all through QEMU's user network and its -p
forwards:
  udp    udp_echo: echo round trips for `duration` seconds (at most MAX_TRIPS), one
         datagram in flight (latency-bound: round trips/s and p50/p99) and WINDOW in
         flight (the Python client may be what limits it);
  tcp    kaa/bench/programs/tcp_bulk.py: bulk throughput each way (kaa/bench/tcp.py);
  http   the Kaa HTTP service under wrk's keep-alive load (kaa/bench/http.py).
"""

from __future__ import annotations

import socket

from kaa import vm
from kaa.bench.machine import BenchError, Machine, free_port
from kaa.bench.options import Options
from kaa.bench.probes import first_udp_echo, udp_round_trips
from kaa.bench.network import UserNet
from kaa.bench.stats import summary
from kaa.bench import tcp

DEFAULT_RUNS = 3
WINDOW = 16
MAX_TRIPS = 1_000_000
NICS = (("virtio-pci (q35)", "q35", "virtio"), ("e1000 (q35)", "q35", "e1000"),
        ("virtio-mmio (microvm)", "microvm", "virtio"))


def udp_nic_once(opts: Options, machine: str, nic: str) -> dict:
    port = free_port(socket.SOCK_DGRAM)
    svc = opts.udp
    cfg = svc.config(port, memory=opts.memory, machine=machine, nic=nic, accel=opts.accel)
    with Machine(cfg) as m:
        try:
            first_udp_echo(port, m.t0, 60, m.alive)
        except (TimeoutError, ConnectionError) as e:
            raise BenchError(f"{svc.name} on {machine}/{nic}: {e}\n{m.tail()}", m.crash()) from None
        udp_round_trips(port, 0.5, MAX_TRIPS)                      # warm up
        out = {"w1": udp_round_trips(port, opts.duration, MAX_TRIPS),
               f"w{WINDOW}": udp_round_trips(port, opts.duration, MAX_TRIPS, window=WINDOW)}
        if not m.alive():
            raise BenchError(f"{svc.name} ended under load\n{m.tail()}", m.crash())
    return out


def run(opts: Options) -> dict:
    runs = opts.runs_or(DEFAULT_RUNS)
    opts.udp.image()
    samples: dict[str, list[dict | None]] = {name: [] for name, _, _ in NICS}
    http: dict[str, list[float | None]] = {name: [] for name, _, _ in NICS}
    errors: dict[str, list[str]] = {}
    bulk: dict[str, list[dict | None]] = {name: [] for name, _, _ in NICS}
    want_http = opts.http.available() is None
    if want_http:
        from kaa.bench.http import keepalive_rps, wrk_missing
        want_http = wrk_missing() is None
    for r in range(runs):
        for name, machine, nic in NICS:
            moved = tcp.measure(opts.tcp, UserNet(), opts, errors, f"{name} tcp", machine=machine, nic=nic)
            bulk[name].append(moved)
            try:
                got = udp_nic_once(opts, machine, nic)
            except BenchError as e:
                got = None
                errors.setdefault(name, []).append(str(e)[:2000])
            samples[name].append(got)
            opts.say(f"nic {r + 1}/{runs} {name}: " +
                     (f"{got['w1']['per_second']:.0f} rt/s (1 in flight), "
                      f"{got[f'w{WINDOW}']['per_second']:.0f} rt/s ({WINDOW} in flight)" if got else "udp failed") +
                     f"; tcp {tcp.describe(moved)}")
            if want_http:
                http[name].append(keepalive_rps(opts.http, opts, errors, f"{name} http", machine=machine, nic=nic))
    result: dict = {"benchmark": "nic", "service": opts.udp.name, "runs": runs, "duration_s": opts.duration,
                    "accel": vm.pick_accel(opts.accel), "nics": {}}
    for name, machine, nic in NICS:
        ok = [x for x in samples[name] if x is not None]
        entry: dict = {"machine": machine, "nic": nic, "failed": runs - len(ok)}
        for w in ("w1", f"w{WINDOW}"):
            entry[f"udp_{w}"] = {k: summary([x[w][k] for x in ok if x[w][k] is not None], digits=1)
                                 for k in ("per_second", "p50_us", "p99_us")}
            entry[f"udp_{w}"]["lost"] = sum(x[w]["lost"] for x in ok)
        entry["tcp"] = tcp.summarize(bulk[name])
        if want_http:
            entry["http_keepalive_c32_rps"] = summary(http[name], digits=1)
        result["nics"][name] = entry
    if not want_http:
        result["http"] = {"skipped": opts.http.available() or "wrk is not installed"}
    if errors:
        result["errors"] = errors
    return result
