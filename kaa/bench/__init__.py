"""Benchmarks: Kaa beside a Linux guest, under the same QEMU settings, in one run.

    kaa bench                         # every benchmark; one JSON object per line on stdout
    kaa bench boot size --runs 3      # some of them
    kaa bench all --report            # ... and docs/benchmarks/README.md with tables and plots
    python3 -m kaa.bench --help       # more knobs: the HTTP service, durations, vCPUs, networks

  boot    QEMU start -> first answer (HTTP 200, UDP echo, clean exit) and the guest's own
          boot time, median of N boots            (kaa/bench/boot.py)
  size    image bytes of each example; Linux's vmlinux + initramfs      (size.py)
  memory  the least --memory each service answers in, by bisection       (memory.py)
  http    wrk requests/s and p50/p99, keep-alive and a connection per request, 1 and 2
          vCPUs, over user networking and over a tap in a namespace of the benchmark's
          own: Kaa's kernel-level HTTP service, the kaa.web framework's service booted
          and the same file under CPython on the host, against nginx on Linux (http.py)
  tcp     bulk TCP throughput host->guest and guest->host, both networks, Kaa's
          programs/tcp_bulk.py against busybox nc on Linux               (tcp.py)
  opt     a CPU-bound program and the HTTP service at -O0..-O3           (opt.py)
  nic     virtio-net against e1000 on q35: UDP round trips/s, TCP Mbit/s, HTTP req/s (nic.py)
  lang    typed ports of eight standard programs (nbody, richards, deltablue...) under
          CPython, mypyc, Kaa (host and booted) and C; its report is docs/benchmarks/lang.md;
          more knobs: python3 -m kaa.bench.lang --help                    (lang.py)

Where a kaa.web request's time goes, layer by layer (guest CPU per request):
`python3 -m kaa.bench.webprof` (webprof.py; its analysis is docs/benchmarks/web.md).

The Linux baseline (Debian's kernel, nginx and busybox, kaa/bench/linux.py) is built on
first use from Debian packages and cached. How guests are reached is kaa/bench/network.py:
traffic goes to 127.0.0.1 or into a network namespace the benchmark makes (and deletes),
nowhere else, and every load is bounded in time and count.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Callable

from kaa.bench.machine import BenchError
from kaa.bench.options import Options

NAMES = ("boot", "size", "memory", "http", "tcp", "opt", "nic", "lang")


def _runner(name: str) -> Callable[[Options], dict]:
    import importlib
    return importlib.import_module(f"kaa.bench.{name}").run      # type: ignore[no-any-return]


def main(names: list[str] | tuple[str, ...] = (), report: bool = False, runs: int | None = None,
         opts: Options | None = None, out=None) -> int:
    """Run the named benchmarks (all when none or "all"), print each result as a JSON line."""
    out = out or sys.stdout
    opts = opts or Options()
    if runs is not None:
        opts.runs = runs
    chosen = list(NAMES) if not names or "all" in names else list(dict.fromkeys(names))
    unknown = [n for n in chosen if n not in NAMES]
    if unknown:
        print(f"kaa bench: unknown benchmark {', '.join(unknown)}; choose from {', '.join(NAMES)} or all",
              file=sys.stderr)
        return 2
    results: dict[str, dict] = {}
    failed = False
    from kaa.bench.linux import BaselineError
    from kaa.build import BuildError
    from kaa.compiler import CompileError
    from kaa.vm import VmError
    for name in chosen:
        opts.say(f"{name}: running")
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        try:
            results[name] = _runner(name)(opts)
            # Other work on the host skews every figure: say how busy it was.
            results[name]["host_load_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            results[name]["wall_s"] = round(time.monotonic() - started, 1)
        except (BenchError, BaselineError, BuildError, VmError) as e:
            results[name] = {"benchmark": name, "error": str(e)[:4000]}
            failed = True
        except CompileError as e:
            results[name] = {"benchmark": name, "error": e.render()[:4000]}
            failed = True
        print(json.dumps(results[name]), file=out, flush=True)
    if report:
        from kaa.bench.report import write
        path = write({n: r for n, r in results.items() if "error" not in r})
        opts.say(f"report: {path}")
        if "programs" in results.get("lang", {}):
            from kaa.bench.lang import write_report
            opts.say(f"report: {write_report(results['lang'])}")
    return 1 if failed else 0
