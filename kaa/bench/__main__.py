"""`python3 -m kaa.bench`: `kaa bench` with every knob (see kaa/bench/__init__.py)."""

from __future__ import annotations

import argparse
import sys

from kaa.bench import NAMES, main
from kaa.bench import services
from kaa.bench.network import NETS
from kaa.bench.options import DURATION, Options


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python3 -m kaa.bench",
                                 description="Kaa benchmarks, side by side with a Linux guest.")
    ap.add_argument("names", nargs="*", metavar="NAME", help=f"{', '.join(NAMES)} or all (default all)")
    ap.add_argument("--report", action="store_true", help="write docs/benchmarks/README.md and plots")
    ap.add_argument("--runs", type=int, help="runs of each measurement (default: each benchmark's own)")
    ap.add_argument("--duration", type=float, default=DURATION,
                    help=f"seconds of each load (default {DURATION:g})")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--smp", default="1,2", help="vCPU counts for http, comma-separated (default 1,2)")
    ap.add_argument("--net", default=",".join(NETS),
                    help=f"networks for http and tcp, comma-separated (default {','.join(NETS)})")
    ap.add_argument("--no-linux", action="store_true", help="leave the Linux baseline out")
    ap.add_argument("--http-app", help="the Kaa HTTP service (default examples/http_hello.py)")
    ap.add_argument("--http-port", type=int, default=8080, help="its guest port (default 8080)")
    ap.add_argument("--http-ready", help="regex of its console line once it serves (optional)")
    ap.add_argument("--http-cmdline", default="", help="its kernel command line")
    ap.add_argument("--http-path", default="/", help="the path its loads GET (default /)")
    ap.add_argument("--no-web", action="store_true",
                    help="leave the kaa.web service out of http (booted and under CPython)")
    ap.add_argument("--web-path", default=services.web_items().path,
                    help=f"the path the kaa.web service's loads GET (default {services.web_items().path}; "
                         "/text: a constant str)")
    ap.add_argument("--web-cmdline", default="",
                    help="NAME=value words for the kaa.web service, booted and under CPython (ACCESS_LOG=1: "
                         "its access log on)")
    return ap


def cli(argv: list[str] | None = None) -> int:
    ap = parser()
    a = ap.parse_args(argv)
    if set(a.net.split(",")) - set(NETS):
        ap.error(f"--net: choose from {', '.join(NETS)}")
    web = services.web_items()
    web = web.with_(path=a.web_path, cmdline=f"{web.cmdline} {a.web_cmdline}".strip())
    opts = Options(duration=a.duration, accel=a.accel, with_linux=not a.no_linux,
                   smp=tuple(int(x) for x in a.smp.split(",")), nets=tuple(a.net.split(",")),
                   http=services.http_service(a.http_app, a.http_port, a.http_ready, a.http_cmdline).with_(
                       path=a.http_path),
                   linux=services.linux(a.http_port), web=web, with_web=not a.no_web)
    return main(a.names, report=a.report, runs=a.runs, opts=opts)


if __name__ == "__main__":
    sys.exit(cli())
