"""boot: wall time from starting QEMU to the service's first answer, Kaa beside Linux.

For each service, `runs` boots (interleaved: run 1 of every service, then run 2, ...),
each measured from the instant QEMU is started (the image is built before) to:
  answer_s     the first answer seen from the host: an HTTP 200 through the -p forward
               (http services, Linux included), an echoed datagram (udp_echo), QEMU's
               exit with status 0 (hello);
  ready_s      the service's "ready" console line reaching the host;
  guest_us     the guest's own account of its boot: Kaa's banner "booted in N us"
               (TSC at the PVH entry to the banner); Linux's /proc/uptime when nginx is up.
Each is reported as the median with min and max.
"""

from __future__ import annotations

import socket

from kaa.bench.machine import BenchError, Machine, free_port
from kaa.bench.options import Options
from kaa.bench.probes import first_http_200, first_udp_echo
from kaa.bench.services import Service, self_time_us
from kaa.bench.stats import summary
from kaa import vm

DEFAULT_RUNS = 5
ANSWERS = {"http": "first HTTP 200", "udp": "first UDP echo", "exit": "exit status 0"}


def boot_once(svc: Service, *, timeout: float = 60, opt: int = 2, memory: int = 128, smp: int = 1,
              machine: str = "microvm", nic: str = "virtio", accel: str = "auto") -> dict:
    """One boot of svc: {"answer_s", "ready_s", "guest_us"} (raises BenchError if it never answers)."""
    port = free_port(socket.SOCK_DGRAM if svc.proto == "udp" else socket.SOCK_STREAM)
    cfg = svc.config(port, opt=opt, memory=memory, smp=smp, machine=machine, nic=nic, accel=accel)
    with Machine(cfg) as m:
        try:
            if svc.proto == "http":
                answer = first_http_200(port, m.t0, timeout, m.alive, path=svc.path)
            elif svc.proto == "udp":
                answer = first_udp_echo(port, m.t0, timeout, m.alive)
            else:
                answer, status = m.wait_exit(timeout)
                if status != 0:
                    raise BenchError(f"{svc.name} ended with status {status}\n{m.tail()}", m.crash())
        except (TimeoutError, ConnectionError) as e:
            raise BenchError(f"{svc.name}: {e}\n{m.tail()}", m.crash()) from None
        ready = banner = None
        if svc.ready:
            try:
                ready = m.wait_line(svc.ready, timeout=5)[0]
            except BenchError:
                ready = None
        if svc.self_timed:
            found = m.find_line(svc.self_timed)
            banner = self_time_us(found[1].groupdict()) if found else None
    return {"answer_s": round(answer, 4), "ready_s": None if ready is None else round(ready, 4),
            "guest_us": banner}


def run(opts: Options) -> dict:
    runs = opts.runs_or(DEFAULT_RUNS)
    svcs = [opts.udp, opts.hello]
    http, skipped = opts.http_services()
    svcs += http
    for s in list(svcs):
        why = s.available()
        if why:
            skipped[s.name] = why
            svcs.remove(s)
    samples: dict[str, list[dict | None]] = {s.name: [] for s in svcs}
    errors: dict[str, list[str]] = {}
    crashes: dict[str, list[str]] = {}
    for s in svcs:                                   # build everything before timing anything
        s.image()
    for r in range(runs):
        for s in svcs:
            try:
                samples[s.name].append(boot_once(s, memory=opts.memory, accel=opts.accel))
            except BenchError as e:
                samples[s.name].append(None)
                errors.setdefault(s.name, []).append(str(e)[:2000])
                if e.crash is not None:
                    crashes.setdefault(s.name, []).append(e.crash.report[:4000])
            got = samples[s.name][-1]
            opts.say(f"boot {r + 1}/{runs} {s.name}: " + (f"{got['answer_s']:.3f} s" if got else "failed"))
    result: dict = {"benchmark": "boot", "runs": runs, "machine": "microvm", "memory_mib": opts.memory,
                    "accel": vm.pick_accel(opts.accel), "services": {}}
    for s in svcs:
        ok = [x for x in samples[s.name] if x is not None]
        result["services"][s.name] = {
            "kind": s.kind, "answer": ANSWERS[s.proto],
            "answer_s": summary([x["answer_s"] for x in ok]),
            "ready_s": summary([x["ready_s"] for x in ok if x["ready_s"] is not None]),
            "guest_us": summary([x["guest_us"] for x in ok if x["guest_us"] is not None], digits=0),
            "failed": runs - len(ok)}
    for s in svcs:
        if s.kind == "linux":
            result["linux_cmdline"] = s.image(accel=opts.accel)[1]
    if skipped:
        result["skipped"] = skipped
    if errors:
        result["errors"] = errors
    if crashes:
        result["crashes"] = crashes
    return result
