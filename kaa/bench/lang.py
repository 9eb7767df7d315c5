"""lang: typed Python programs under CPython, mypyc, Kaa (host and booted) and C, timed.

    kaa bench lang [--runs N] [--report]          # every program at its default size
    python3 -m kaa.bench.lang nbody richards --modes cpython,mypyc --size nbody=1000 --runs 1

The programs are kaa/bench/programs/lang/*.py: typed ports of standard benchmarks
(nbody, spectral_norm, fannkuch, nqueens, float, richards, deltablue, binary_trees) and
json_dumps/json_loads (the json module on a 100 KB document, where CPython runs its C
accelerator), ordinary scripts that pass `mypy --strict`, take their problem size from
sys.argv[1] and print a checksum. Each runs in up to five modes:
  cpython     sys.executable PROGRAM SIZE (PYTHONHASHSEED=0);
  mypyc       the program compiled by mypyc (the pinned mypy's) into an extension module,
              run by importing it: `python -c "import bench_PROGRAM" SIZE`;
  kaa-host    `kaa build PROGRAM --target host`, then the executable SIZE;
  kaa-booted  `kaa build PROGRAM` (an image), then `kaa run IMAGE --net none --memory 512
              -- SIZE`: the wall time of the whole run, boot included. An empty service's
              boot-to-exit time, measured the same way, is reported beside it, so the
              boot's share shows; nothing is subtracted;
  c           nbody and spectral_norm only: PROGRAM.c by gcc -O2, the floor.
Building (mypyc, kaa build, gcc) is done first and not timed. Runs are interleaved (run 1
of every mode, then run 2, ...) and each is bounded by a timeout; a figure is the median
wall time with min and max. Every mode's stdout must be CPython's byte for byte (for the
booted mode: the console less Kaa's "booted in" banner): one that differs is reported
as wrong, not timed. A mode that fails (build error, crash, timeout, wrong output, guest
panic) is named in the JSON and the report with its first error line, never dropped.

Goals (issue 11), judged for each Kaa mode: at least 30x CPython on the numeric programs
(nbody, spectral_norm, fannkuch, nqueens, float: arithmetic on ints, floats and lists in
the inner loops), faster than mypyc on every one, within 1.5x of C where there is a C
version. The others (richards, deltablue, binary_trees) are calls, attribute access,
virtual dispatch and allocation.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kaa.bench.options import Options
from kaa.bench.stats import summary
from kaa.compiler.declare import KAA_ROOT

PROGRAM_DIR = Path(__file__).resolve().parent / "programs" / "lang"
REPORT = KAA_ROOT / "docs" / "benchmarks" / "lang.md"
MODES = ("cpython", "mypyc", "kaa-host", "kaa-booted", "c")
KAA_MODES = ("kaa-host", "kaa-booted")
DEFAULT_RUNS = 3
GOAL_VS_CPYTHON = 30.0       # numeric programs: Kaa at least this many times CPython's speed
GOAL_VS_C = 1.5              # ... and at most this many times C's time
BANNER = re.compile(r"^Kaa \S+: booted in (?P<us>\d+) us")
EMPTY_SERVICE = 'print("empty")\n'
ERROR_LINE = re.compile(r"error|panic|exception|fault|assert|abort|killed|not supported|unsupported",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Program:
    name: str
    size: int           # the default: CPython 3.11 takes 0.4-1.7 s on an idle 2-core EPYC
    small: int          # a tiny problem, for smoke tests
    numeric: bool       # the 30x-CPython goal applies
    has_c: bool = False
    path: Path | None = None        # where the source is when not in PROGRAM_DIR

    @property
    def source(self) -> Path:
        return self.path or PROGRAM_DIR / f"{self.name}.py"


PROGRAMS = (
    Program("nbody", 500000, 1000, True, True),
    Program("spectral_norm", 600, 40, True, True),
    Program("fannkuch", 9, 6, True),
    Program("nqueens", 12, 6, True),
    Program("float", 500000, 2000, True),
    Program("richards", 60, 1, False),
    Program("deltablue", 700, 2, False),
    Program("binary_trees", 15, 6, False),
    Program("json_dumps", 1000, 5, False),     # size: dumps of a 101,076-character document
    Program("json_loads", 1000, 5, False),     # size: loads of it
)
BY_NAME = {p.name: p for p in PROGRAMS}


def _log(msg: str) -> None:
    print(f"kaa bench lang: {msg}", file=sys.stderr, flush=True)


@dataclass
class LangConfig:
    programs: tuple[str, ...] = tuple(BY_NAME)
    modes: tuple[str, ...] = MODES
    runs: int = DEFAULT_RUNS
    sizes: dict[str, int] = field(default_factory=dict)    # overrides of each program's default
    small: bool = False                                    # every program at its tiny size
    timeout: float = 300.0                                 # seconds, each run
    build_timeout: float = 900.0                           # seconds, each build
    accel: str = "auto"
    memory: int = 512                                      # MiB, booted guests
    python: str = sys.executable
    log: Callable[[str], None] = _log

    def size_of(self, p: Program) -> int:
        return self.sizes.get(p.name, p.small if self.small else p.size)


class ModeFailed(Exception):
    """A mode could not give a figure: stage is build, run, timeout or output."""

    def __init__(self, stage: str, line: str, detail: str = "") -> None:
        super().__init__(f"{stage}: {line}")
        self.stage, self.line, self.detail = stage, line, detail

    def as_dict(self) -> dict:
        return {"failed": self.stage, "error": self.line, "detail": self.detail[-3000:]}


# --- processes -------------------------------------------------------------------------

@dataclass
class Outcome:
    seconds: float
    rc: int
    stdout: str
    stderr: str


def execute(argv: list[str], timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None,
            stage: str = "run") -> Outcome:
    """Run argv to its end (its whole process group killed after timeout s); wall seconds."""
    started = time.perf_counter()
    try:
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise ModeFailed(stage, f"{argv[0]}: {e.strerror}") from None
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        raise ModeFailed("timeout" if stage == "run" else stage, f"no end after {timeout:g} s",
                         _text(err) + _text(out)) from None
    seconds = time.perf_counter() - started
    return Outcome(seconds, p.returncode, _text(out), _text(err))


def _text(b: bytes | None) -> str:
    return (b or b"").decode(errors="replace")


def first_error_line(stdout: str, stderr: str, rc: int | None = None) -> str:
    """The line that says what went wrong: a Python traceback's last line, else the first line
    that mentions an error (or panic, fault...), else the first line of stderr, else the status."""
    err_lines = [x.strip() for x in stderr.splitlines() if x.strip()]
    if any(x.startswith("Traceback") for x in err_lines):
        return err_lines[-1][:300]
    for line in err_lines + [x.strip() for x in stdout.splitlines()]:
        if ERROR_LINE.search(line):
            return line[:300]
    if err_lines:
        return err_lines[0][:300]
    return f"exit status {rc}" if rc is not None else "no output"


def checked(o: Outcome, stage: str = "run") -> Outcome:
    """o if it exited with status 0, else ModeFailed with its first error line (paths in the
    Kaa tree shown relative to it)."""
    if o.rc != 0:
        line = first_error_line(o.stdout, o.stderr, o.rc).replace(f"{KAA_ROOT}/", "")
        raise ModeFailed(stage, f"{line} (exit status {o.rc})", o.stderr + o.stdout)
    return o


def compare(got: str, want: str) -> None:
    """Raise ModeFailed("output") naming the first line where got differs from want."""
    if got == want:
        return
    g, w = got.splitlines(), want.splitlines()
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else "<nothing>"
        b = w[i] if i < len(w) else "<nothing>"
        if a != b:
            raise ModeFailed("output", f"wrong output: line {i + 1} is {a[:120]!r}, CPython printed {b[:120]!r}",
                             got[-3000:])
    raise ModeFailed("output", "wrong output: line endings or trailing text differ from CPython's", got[-3000:])


def console_output(console: str) -> tuple[str, int | None]:
    """(the program's output, the banner's boot microseconds) from a booted guest's console."""
    lines, us = [], None
    for line in console.splitlines(keepends=True):
        m = BANNER.match(line)
        if m and us is None:
            us = int(m.group("us"))
            continue
        lines.append(line)
    return "".join(lines), us


# --- modes -----------------------------------------------------------------------------

@dataclass
class Prepared:
    """How one mode runs one program: the argv after the size, and how to read its output."""
    argv: list[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    booted: bool = False


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def prepare(mode: str, p: Program, work: Path, cfg: LangConfig) -> Prepared:
    """Build p for mode (untimed); raise ModeFailed("build") with the first error line."""
    if mode == "cpython":
        return Prepared([cfg.python, str(p.source)], env=_env(PYTHONHASHSEED="0"))
    if mode == "mypyc":
        return _mypyc(p, cfg)
    if mode == "kaa-host":
        exe = work / f"{p.name}.host"
        _kaa_build(p.source, ["--target", "host", "-o", str(exe)], cfg)
        return Prepared([str(exe)])
    if mode == "kaa-booted":
        image = work / f"{p.name}.elf"
        _kaa_build(p.source, ["-o", str(image)], cfg)
        return _booted(image, cfg)
    if mode == "c":
        exe = work / f"{p.name}.c.exe"
        checked(execute(["gcc", "-O2", "-std=c11", "-o", str(exe), str(p.source.with_suffix(".c")), "-lm"],
                        cfg.build_timeout, stage="build"), "build")
        return Prepared([str(exe)])
    raise ValueError(f"unknown mode {mode!r}")


def _kaa_build(source: Path, args: list[str], cfg: LangConfig) -> None:
    checked(execute([cfg.python, "-m", "kaa", "build", str(source), *args], cfg.build_timeout,
                    cwd=KAA_ROOT, stage="build"), "build")


def _booted(image: Path, cfg: LangConfig) -> Prepared:
    argv = [cfg.python, "-m", "kaa", "run", str(image), "--net", "none", "--accel", cfg.accel,
            "--memory", str(cfg.memory), "--timeout", f"{cfg.timeout:g}", "--"]
    return Prepared(argv, cwd=KAA_ROOT, booted=True)


@functools.lru_cache(maxsize=None)
def mypy_version(python: str) -> str:
    o = execute([python, "-m", "mypy", "--version"], 120, stage="build")
    return o.stdout.strip()


def _mypyc(p: Program, cfg: LangConfig) -> Prepared:
    """mypyc needs a module: the program is copied to bench_NAME.py in a directory of its
    own (cached by the source's and mypy's versions), compiled there, and the .py removed,
    so `import bench_NAME` can only load the extension."""
    from kaa.build import cache_dir
    module = f"bench_{p.name}"
    key = hashlib.sha256(f"{p.source.read_text()}\0{mypy_version(cfg.python)}\0{cfg.python}".encode())
    where = cache_dir() / "mypyc" / key.hexdigest()[:24]
    done = where / "compiled"
    if not done.exists():
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        shutil.copyfile(p.source, where / f"{module}.py")
        checked(execute([cfg.python, "-m", "mypyc", f"{module}.py"], cfg.build_timeout, cwd=where,
                        stage="build"), "build")
        (where / f"{module}.py").unlink()
        if not list(where.glob(f"{module}.*.so")):
            raise ModeFailed("build", f"mypyc left no {module}.*.so in {where}")
        done.write_text("ok\n")
    code = f"import sys; sys.argv = [{p.source.name!r}] + sys.argv[1:]; import {module}"
    return Prepared([cfg.python, "-c", code], cwd=where, env=_env(PYTHONHASHSEED="0"))


def run_once(prep: Prepared, size: int, cfg: LangConfig) -> tuple[float, str, int | None]:
    """(wall seconds, program output, guest boot us) of one run; ModeFailed if it fails."""
    limit = cfg.timeout + (30 if prep.booted else 0)        # `kaa run --timeout` stops it first
    o = checked(execute([*prep.argv, str(size)], limit, cwd=prep.cwd, env=prep.env))
    if prep.booted:
        out, us = console_output(o.stdout)
        return o.seconds, out, us
    return o.seconds, o.stdout, None


# --- one program, every mode --------------------------------------------------------

def bench_program(p: Program, cfg: LangConfig, work: Path) -> dict:
    """Build p in every mode asked for, run them interleaved, and summarise."""
    modes = [m for m in cfg.modes if m != "c" or p.has_c]
    if "cpython" not in modes:
        modes.insert(0, "cpython")              # the reference output
    failures: dict[str, ModeFailed] = {}
    ready: dict[str, Prepared] = {}
    for mode in modes:
        try:
            ready[mode] = prepare(mode, p, work, cfg)
        except ModeFailed as e:
            failures[mode] = e
            cfg.log(f"{p.name} {mode}: {e}")
    times, boot_us, reference = _interleaved(p, cfg, modes, ready, failures)
    result: dict = {"size": cfg.size_of(p), "numeric": p.numeric, "has_c": p.has_c,
                    "output": (reference or "").splitlines()[:3], "modes": {}}
    for mode in modes:
        result["modes"][mode] = failures[mode].as_dict() if mode in failures else {"seconds": summary(times[mode])}
    if boot_us:
        result["guest_boot_us"] = summary(boot_us, digits=0)
    result["speedups"] = speedups(result["modes"])
    result["goals"] = goals(p, result["modes"])
    return result


def _interleaved(p: Program, cfg: LangConfig, modes: list[str], ready: dict[str, Prepared],
                 failures: dict[str, ModeFailed]) -> tuple[dict[str, list[float]], list[float], str | None]:
    """Run 1 of every mode, then run 2, ...: (seconds by mode, guest boot us, CPython's output).
    CPython goes first and its first output is the reference; a mode that fails once (into
    failures) is not run again."""
    times: dict[str, list[float]] = {m: [] for m in modes}
    boot_us: list[float] = []
    reference: str | None = None
    for r in range(cfg.runs):
        for mode in modes:
            if mode not in ready or mode in failures:
                continue
            if mode != "cpython" and reference is None:
                failures[mode] = ModeFailed("run", "not compared: CPython gave no reference output")
                continue
            try:
                seconds, out, us = run_once(ready[mode], cfg.size_of(p), cfg)
                if reference is None:
                    reference = out
                compare(out, reference)
            except ModeFailed as e:
                failures[mode] = e
                cfg.log(f"{p.name} {mode}: {e}")
                continue
            times[mode].append(seconds)
            if us is not None:
                boot_us.append(float(us))
            cfg.log(f"{p.name} run {r + 1}/{cfg.runs} {mode}: {seconds:.3f} s")
    return times, boot_us, reference


def median(modes: dict, mode: str) -> float | None:
    m = modes.get(mode, {})
    return m["seconds"]["median"] if "seconds" in m else None


def speedups(modes: dict) -> dict:
    """{mode: {"vs_cpython": CPython's time / mode's, "vs_mypyc": ..., "c_ratio": mode's / C's}}."""
    cp, my, c = median(modes, "cpython"), median(modes, "mypyc"), median(modes, "c")
    out = {}
    for mode in modes:
        t = median(modes, mode)
        if t is None or t <= 0:
            continue
        out[mode] = {"vs_cpython": round(cp / t, 2) if cp else None,
                     "vs_mypyc": round(my / t, 2) if my else None,
                     "c_ratio": round(t / c, 2) if c else None}
    return out


def goals(p: Program, modes: dict) -> dict:
    """For each Kaa mode: each goal met (True/False), or None where it does not apply or
    cannot be judged (no mypyc or C figure); "met" is False unless every judged goal is."""
    cp, my, c = median(modes, "cpython"), median(modes, "mypyc"), median(modes, "c")
    out = {}
    for mode in KAA_MODES:
        if mode not in modes:
            continue
        t = median(modes, mode)
        g: dict[str, bool | None] = {
            "30x_cpython": None if not p.numeric else (t is not None and cp is not None and cp / t >= GOAL_VS_CPYTHON),
            "beats_mypyc": None if my is None else (t is not None and t < my),
            "within_1.5x_c": None if not p.has_c or c is None else (t is not None and t <= GOAL_VS_C * c),
        }
        g["met"] = t is not None and all(v is not False for v in g.values())
        out[mode] = g
    return out


def empty_service(cfg: LangConfig, work: Path) -> dict:
    """Boot-to-exit wall time of a service that prints one line, measured as kaa-booted is."""
    source = work / "empty.py"
    source.write_text(EMPTY_SERVICE)
    try:
        prep = prepare("kaa-booted", Program("empty", 0, 0, False, path=source), work, cfg)
        seconds, us_list = [], []
        for _ in range(cfg.runs):
            t, out, us = run_once(prep, 0, cfg)
            compare(out, "empty\n")
            seconds.append(t)
            if us is not None:
                us_list.append(float(us))
    except ModeFailed as e:
        return e.as_dict()
    out_d: dict = {"seconds": summary(seconds)}
    if us_list:
        out_d["guest_boot_us"] = summary(us_list, digits=0)
    return out_d


# --- the whole benchmark ---------------------------------------------------------------

def environment(cfg: LangConfig) -> dict:
    def first_line(argv: list[str]) -> str:
        try:
            return execute(argv, 60, stage="build").stdout.strip().splitlines()[0]
        except (ModeFailed, IndexError):
            return ""
    cpu = ""
    try:
        m = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = m.group(1).strip() if m else ""
    except OSError:
        pass
    try:
        from kaa import vm
        accel = vm.pick_accel(cfg.accel)
    except Exception as e:          # no KVM and kvm asked for: the booted mode will say so too
        accel = f"{cfg.accel} ({e})"
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu, "cores": os.cpu_count(),
            "python": first_line([cfg.python, "--version"]), "mypy": first_line([cfg.python, "-m", "mypy", "--version"]),
            "gcc": first_line(["gcc", "--version"]), "accel": accel}


JSON_PROGRAMS = ("json_dumps", "json_loads")
JSON_DOC_CHARS = 101_076        # the programs' document serialised (ASCII, so as many bytes)


def json_document() -> object:
    """The json programs' document, built by their own code (the source less its call of main)."""
    src = (PROGRAM_DIR / "json_dumps.py").read_text()
    ns: dict = {"__name__": "kaa_bench_json"}
    exec(compile(src[:src.rindex("main()")], "json_dumps.py", "exec"), ns)
    return ns["document"]()


def orjson_throughput(times: int = 300) -> dict:
    """orjson (a Rust JSON library for CPython), in process, on the same document: MB/s of
    the document's standard JSON text, as the other modes are counted; or why it is missing."""
    try:
        import orjson
    except ImportError:
        return {"missing": "orjson is not installed (pip install orjson)"}
    doc = json_document()
    text = json.dumps(doc)
    out: dict = {"version": getattr(orjson, "__version__", "?")}
    for name, fn in (("json_dumps", lambda: orjson.dumps(doc)), ("json_loads", lambda: orjson.loads(text))):
        start = time.perf_counter()
        for _ in range(times):
            fn()
        out[name] = round(times * len(text) / 1e6 / (time.perf_counter() - start), 1)
    return out


def json_mbps(r: dict, mode: str) -> float | None:
    """A json program's throughput in a mode: SIZE documents of JSON_DOC_CHARS over its median time."""
    t = median(r["modes"], mode)
    return round(r["size"] * JSON_DOC_CHARS / 1e6 / t, 1) if t else None


def run_lang(cfg: LangConfig) -> dict:
    unknown = [n for n in cfg.programs if n not in BY_NAME]
    bad_modes = [m for m in cfg.modes if m not in MODES]
    if unknown or bad_modes:
        raise ValueError(f"unknown program(s) {unknown} or mode(s) {bad_modes}; programs: "
                         f"{', '.join(BY_NAME)}; modes: {', '.join(MODES)}")
    result: dict = {"benchmark": "lang", "runs": cfg.runs, "modes": list(cfg.modes),
                    "timeout_s": cfg.timeout, "environment": environment(cfg),
                    "goals": {"vs_cpython_numeric": GOAL_VS_CPYTHON, "vs_c": GOAL_VS_C}}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kaa-bench-lang-") as tmp:
        work = Path(tmp)
        if "kaa-booted" in cfg.modes:
            result["empty_service"] = empty_service(cfg, work)
            cfg.log(f"empty service: {result['empty_service']}")
        result["programs"] = {}
        for name in cfg.programs:
            result["programs"][name] = bench_program(BY_NAME[name], cfg, work)
    if any(n in JSON_PROGRAMS for n in cfg.programs):
        result["orjson"] = orjson_throughput()
    # Other work on the host skews every figure: say how busy it was.
    result["host_load_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


def run(opts: Options) -> dict:
    """`kaa bench lang`: every program at its default size, in every mode."""
    return run_lang(LangConfig(runs=opts.runs_or(DEFAULT_RUNS), accel=opts.accel, log=opts.say))


# --- the report ------------------------------------------------------------------------

TITLES = {"cpython": "CPython", "mypyc": "mypyc", "kaa-host": "Kaa host", "kaa-booted": "Kaa booted", "c": "C"}


def _secs(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def _cell(m: dict | None) -> str:
    if m is None:
        return "-"
    if "failed" in m:
        return f"**failed** ({m['failed']})"
    s = m["seconds"]
    return f"{_secs(s['median'])} ({_secs(s['min'])}-{_secs(s['max'])})"


def _x(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}x" if v < 100 else f"{v:.0f}x"


def _goal_text(g: dict | None, sp: dict | None, m: dict) -> str:
    if "failed" in m:
        return f"failed ({m['failed']}): no goal met"
    if not g:
        return "-"
    parts = []
    sp = sp or {}
    if g["30x_cpython"] is not None:
        parts.append(f"30x CPython {'yes' if g['30x_cpython'] else 'no'} ({_x(sp.get('vs_cpython'))})")
    if g["beats_mypyc"] is not None:
        parts.append(f"beats mypyc {'yes' if g['beats_mypyc'] else 'no'} ({_x(sp.get('vs_mypyc'))})")
    if g["within_1.5x_c"] is not None:
        parts.append(f"<= 1.5x C {'yes' if g['within_1.5x_c'] else 'no'} "
                     f"({'-' if sp.get('c_ratio') is None else format(sp['c_ratio'], '.2f')}x C's time)")
    return ("**met**: " if g["met"] else "not met: ") + "; ".join(parts)


def _load(result: dict) -> str:
    load = result.get("host_load_1min")
    return "?" if not load else f"{load[0]:.2f}, {load[1]:.2f}"


def render(result: dict) -> str:
    env = result.get("environment", {})
    modes = result.get("modes", list(MODES))
    md = ["# Typed Python programs: CPython, mypyc, Kaa and C\n\n",
          "Written by `kaa bench lang --report` (driver `kaa/bench/lang.py`, programs "
          "`kaa/bench/programs/lang/`). Each program is an ordinary typed Python script (`mypy --strict` "
          "clean) run at one problem size in every mode; a figure is the median wall time in seconds of "
          f"{result.get('runs')} interleaved runs, with min-max in brackets, process start and exit included. "
          "Building (mypyc, `kaa build`, gcc) is not timed. Every mode must print what CPython prints, byte "
          "for byte, or it is reported as failed (wrong output) and not timed.\n\n",
          "Modes: **CPython** `python PROGRAM SIZE`; **mypyc** the program compiled by mypyc into an "
          "extension module and imported; **Kaa host** `kaa build --target host`, a Linux process; "
          "**Kaa booted** `kaa run IMAGE --net none -- SIZE`: the whole QEMU run, boot included; "
          "**C** the same algorithm in C (`gcc -O2`), for nbody and spectral_norm.\n\n",
          f"Environment: {env.get('cpu', '?')} ({env.get('cores', '?')} cores), {env.get('python', '?')}, "
          f"{env.get('mypy', '?')}, {env.get('gcc', '?')}, QEMU accelerator {env.get('accel', '?')}; "
          f"{env.get('date', '')}; the host's 1-minute load average was {_load(result)} (before, after): "
          "other work on the host slows the modes unevenly, and the min figures are the least disturbed.\n\n"]
    if "kaa-booted" in modes:
        e = result.get("empty_service") or {}
        if "failed" in e:
            md.append(f"Boot share: the empty service (`print(\"empty\")`) **failed** ({e['failed']}): "
                      f"`{e['error']}`.\n\n")
        else:
            us = e.get("guest_boot_us", {}).get("median")
            md.append(f"Boot share: an empty service (`print(\"empty\")`) takes {_cell(e)} s from `kaa run` to "
                      f"its exit" + (f" (the guest's own boot: {us / 1000:.1f} ms)" if us else "") +
                      ". The Kaa booted figures include that much; nothing is subtracted.\n\n")
        if str(env.get("accel", "")).startswith("tcg"):
            md.append("> The booted guests ran under TCG (QEMU's emulator: no usable KVM here), so the Kaa "
                      "booted figures are emulated instructions, not hardware speed; Kaa host is the "
                      "compiled code's speed.\n\n")
    head = ["program", "size", *[TITLES[m] for m in modes]]
    md += ["## Wall time (seconds)\n\n", "| " + " | ".join(head) + " |\n", "|" + "---|" * len(head) + "\n"]
    programs = result.get("programs", {})
    for name, r in programs.items():
        cells = [name + (" (numeric)" if r["numeric"] else ""), f"{r['size']:,}"]
        cells += [_cell(r["modes"].get(m)) if m != "c" or r["has_c"] else "n/a" for m in modes]
        md.append("| " + " | ".join(cells) + " |\n")
    md += ["\n## Speed-ups and goals\n\n",
           f"Goals for Kaa: at least {GOAL_VS_CPYTHON:g}x CPython on the numeric programs, faster than mypyc "
           f"on every one, at most {GOAL_VS_C:g}x C's time where there is a C version. A Kaa mode that failed "
           "meets no goal.\n\n",
           "| program | mypyc vs CPython | C vs CPython | Kaa host | Kaa booted |\n|---|---|---|---|---|\n"]
    for name, r in programs.items():
        sp = r.get("speedups", {})
        cells = [name, _x(sp.get("mypyc", {}).get("vs_cpython")), _x(sp.get("c", {}).get("vs_cpython"))]
        for m in KAA_MODES:
            g = r.get("goals", {}).get(m)
            mr = r["modes"].get(m)
            cells.append("not run" if mr is None else _goal_text(g, sp.get(m), mr))
        md.append("| " + " | ".join(cells) + " |\n")
    json_rows = [n for n in JSON_PROGRAMS if n in programs]
    if json_rows:
        oj = result.get("orjson", {})
        kaa = [m for m in modes if m != "c"]
        md += ["\n## JSON throughput (MB/s)\n\n",
               f"The json programs' document ({JSON_DOC_CHARS:,} bytes of JSON) serialised or parsed SIZE times, "
               "over the median wall time (process start included). CPython runs its json C accelerator. "
               "orjson (a Rust library for CPython) is timed in process on the same document"
               + (f" (orjson {oj['version']})" if "version" in oj else f": {oj.get('missing', 'not measured')}")
               + ". Goal: Kaa faster than CPython's C accelerator.\n\n",
               "| program | " + " | ".join(TITLES[m] for m in kaa) + " | orjson |\n",
               "|" + "---|" * (len(kaa) + 2) + "\n"]
        for n in json_rows:
            cells = [n] + [str(json_mbps(programs[n], m) or "-") for m in kaa] + [str(oj.get(n, "-"))]
            md.append("| " + " | ".join(cells) + " |\n")
    fails = [(n, m, d) for n, r in programs.items() for m, d in r["modes"].items() if "failed" in d]
    if fails:
        md += ["\n## Failures\n\n", "| program | mode | stage | first error line |\n|---|---|---|---|\n"]
        for n, m, d in fails:
            line = d["error"].replace("|", "\\|").replace("\n", " ")
            md.append(f"| {n} | {TITLES[m]} | {d['failed']} | `{line}` |\n")
    md.append("\nRaw figures: `kaa bench lang` prints them as JSON.\n")
    return "".join(md)


def write_report(result: dict, path: Path = REPORT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result))
    return path


# --- command line ----------------------------------------------------------------------

def cli(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m kaa.bench.lang",
                                 description="Typed benchmark programs under CPython, mypyc, Kaa and C.")
    ap.add_argument("programs", nargs="*", metavar="PROGRAM", help=f"{', '.join(BY_NAME)} (default all)")
    ap.add_argument("--modes", default=",".join(MODES), help=f"comma-separated (default {','.join(MODES)})")
    ap.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    ap.add_argument("--size", action="append", default=[], metavar="PROGRAM=N", help="a problem size (repeatable)")
    ap.add_argument("--small", action="store_true", help="every program at a tiny size (a smoke test)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds each run may take (default 300)")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--report", nargs="?", const=str(REPORT), metavar="PATH",
                    help=f"write the Markdown report (default {REPORT.relative_to(KAA_ROOT)})")
    a = ap.parse_args(argv)
    sizes = {}
    for s in a.size:
        name, _, n = s.partition("=")
        if name not in BY_NAME or not n.isdigit():
            ap.error(f"--size {s}: want PROGRAM=N with PROGRAM one of {', '.join(BY_NAME)}")
        sizes[name] = int(n)
    cfg = LangConfig(programs=tuple(a.programs) or tuple(BY_NAME), modes=tuple(a.modes.split(",")),
                     runs=a.runs, sizes=sizes, small=a.small, timeout=a.timeout, accel=a.accel)
    try:
        result = run_lang(cfg)
    except ValueError as e:
        ap.error(str(e))
    print(json.dumps(result))
    if a.report:
        cfg.log(f"report: {write_report(result, Path(a.report))}")
    return 0


if __name__ == "__main__":
    sys.exit(cli())
