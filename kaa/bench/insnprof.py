"""insnprof: the guest instructions an HTTP request costs, by function, under TCG.

    python3 -m kaa.bench.insnprof kaa/bench/programs/web_items.py --path /items/1 -- PORT=8080 --guest-port 8080

Requests per second and even vCPU time per request move with whatever else the host
runs; the number of instructions the guest executes per request does not. This boots
the service twice under TCG with a plugin that counts the executions of every
translation block (kaa/bench/tbcount.c), sends `warmup` requests the first time and
`warmup + requests` the second over one keep-alive connection, and divides the
difference by `requests`: the guest's instructions per request, split by the function
each block belongs to (the image's symbols). The idle loop's instructions in between
are counted too; they are few (the guest halts while it waits).
"""

from __future__ import annotations

import argparse
import bisect
import http.client
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from kaa import build as kbuild
from kaa import vm
from kaa.bench.machine import free_port

PLUGIN_SOURCE = Path(__file__).with_name("tbcount.c")


def plugin() -> Path:
    """The counting plugin, compiled once into the build cache."""
    out = kbuild.cache_dir() / "tbcount.so"
    if not out.exists() or out.stat().st_mtime < PLUGIN_SOURCE.stat().st_mtime:
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", str(out), str(PLUGIN_SOURCE)], check=True)
    return out


def counts(image: Path, guest_port: int, cmdline: str, path: str, n: int) -> dict[tuple[int, int], int]:
    """Boot image, answer n requests for path, stop: executions by (block address, instructions)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="kaa-insnprof-") as tmp:
        out = Path(tmp) / "blocks.txt"
        cfg = vm.VmConfig(image, accel="tcg", cmdline=cmdline, forwards=[f"{port}:{guest_port}"],
                          extra=["-plugin", f"{plugin()},out={out}"])
        proc = subprocess.Popen(vm.qemu_command(cfg), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            conn = wait_serving(port, path)
            for _ in range(n):
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                if r.status >= 500:
                    raise SystemExit(f"insnprof: GET {path} answered {r.status}")
            conn.close()
        finally:
            proc.terminate()                # QEMU runs the plugin's exit callback on SIGTERM
            proc.wait(timeout=30)
        found: dict[tuple[int, int], int] = {}
        for line in out.read_text().splitlines():
            addr, insns, execs = line.split()
            found[(int(addr, 16), int(insns))] = int(execs)
        return found


def wait_serving(port: int, path: str, timeout: float = 60) -> http.client.HTTPConnection:
    deadline = time.monotonic() + timeout
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path)
            conn.getresponse().read()
            return conn
        except OSError:
            conn.close()
            if time.monotonic() > deadline:
                raise SystemExit(f"insnprof: nothing answered on 127.0.0.1:{port}")
            time.sleep(0.2)


class Symbols:
    def __init__(self, image: Path) -> None:
        nm = subprocess.run(["nm", "-n", "--defined-only", str(image)], capture_output=True, text=True, check=True)
        self.starts: list[int] = []
        self.names: list[str] = []
        for line in nm.stdout.splitlines():
            addr, kind, name = line.split(maxsplit=2)
            if kind in "tTwW":
                self.starts.append(int(addr, 16))
                self.names.append(name)

    def __call__(self, addr: int) -> str:
        i = bisect.bisect_right(self.starts, addr) - 1
        return self.names[i] if i >= 0 else f"{addr:#x}"


def profile(app: Path, path: str, guest_port: int, cmdline: str, requests: int, warmup: int) -> dict[str, object]:
    image = kbuild.build(app, target="kvm")
    base = counts(image, guest_port, cmdline, path, warmup)
    more = counts(image, guest_port, cmdline, path, warmup + requests)
    symbols = Symbols(image)
    by_function: dict[str, float] = defaultdict(float)
    blocks = 0.0
    for (addr, insns), execs in more.items():
        extra = execs - base.get((addr, insns), 0)
        if extra > 0:
            by_function[symbols(addr)] += extra * insns / requests
            blocks += extra / requests
    total = sum(by_function.values())
    top = sorted(by_function.items(), key=lambda kv: -kv[1])
    # Blocks matter under TCG: each one entered through a jump it could not chain (a
    # return, a call through a pointer) costs a lookup.
    return {"app": str(app), "path": path, "requests": requests, "instructions_per_request": round(total),
            "blocks_per_request": round(blocks),
            "functions": [{"name": name, "instructions": round(n)} for name, n in top if n >= 1]}


def main() -> int:
    argv = sys.argv[1:]
    cmdline = argv[argv.index("--") + 1:] if "--" in argv else []
    ap = argparse.ArgumentParser(prog="python3 -m kaa.bench.insnprof", description=__doc__.splitlines()[0])
    ap.add_argument("app", type=Path)
    ap.add_argument("--path", default="/")
    ap.add_argument("--guest-port", type=int, default=80)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--json", help="also write the whole profile to this file")
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    result = profile(args.app, args.path, args.guest_port, " ".join(cmdline), args.requests, args.warmup)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    print(f"{result['app']} GET {result['path']}: {result['instructions_per_request']} guest instructions "
          f"in {result['blocks_per_request']} translated blocks per request")
    for f in result["functions"][:args.top]:          # type: ignore[index]
        print(f"{f['instructions']:>8}  {f['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
