"""Service-level programs (tests/py/*.py), each run three ways and judged against CPython.

CPython 3.11 is the reference: `python tests/py/NAME.py` from the repository root with
PYTHONHASHSEED=0 (set and str hashes, so set order, are then reproducible) and UTF-8
output, recording stdout, stderr and the exit status. Kaa must match it:

- host: `kaa build tests/py/NAME.py --target host --debug -o TMP/NAME`, then the binary
  runs from the repository root. Its stdout must equal CPython's byte for byte, its
  stderr must equal CPython's after `traceback_text` (empty unless the program ends
  with an uncaught exception), and the exit status must be the same.
- booted: `kaa run tests/py/NAME.py --debug --timeout 60`, one QEMU boot per program
  (`kaa run` builds first; builds are cached). The console mixes the program's stdout
  and stderr after the kernel's banner line, so the console lines after the banner
  must equal CPython's stdout followed by the traceback text, line by line.

Both Kaa variants fail on a `kaa: leak: N objects alive at exit` line (printed by
--debug builds) and on a panic or fault report. Failure messages show a unified diff
of CPython's output against Kaa's.

A program exits with status 0 unless EXIT_STATUS says otherwise; test_cpython_reference
checks that CPython agrees, so a program that breaks under CPython is caught here.
"""

from __future__ import annotations

import ast
import difflib
import functools
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from guest import after_banner

ROOT = Path(__file__).resolve().parent.parent
PROGRAM_DIR = ROOT / "tests" / "py"
PROGRAMS = sorted(PROGRAM_DIR.glob("*.py"))
CASES = [pytest.param(p.relative_to(ROOT).as_posix(), id=p.stem) for p in PROGRAMS]

# Exit statuses other than 0: sys.exit(n), or 1 for an uncaught exception.
EXIT_STATUS = {"sys_exit": 3, "exc_uncaught": 1, "exc_uncaught_user": 1, "multi_module_uncaught": 1}
UNCAUGHT = {name for name, status in EXIT_STATUS.items() if status == 1}
# Programs that write to stderr themselves (always after their stdout: the booted console interleaves).
WRITES_STDERR = {"sys_streams"}

# What the programs may import: the standard modules services have (docs/language.md).
ALLOWED_IMPORTS = {"sys", "math", "dataclasses", "typing", "collections.abc", "mypy_extensions", "json", "time",
                   "random", "secrets", "hashlib", "hmac", "base64", "uuid", "collections", "itertools", "functools",
                   "heapq", "bisect", "string", "enum", "abc", "gc", "array", "typing_extensions", "__future__",
                   "binascii"}
# ... and the program's own modules: packages in tests/py (multi_module.py imports shop)
LOCAL_PACKAGES = {p.name for p in PROGRAM_DIR.iterdir() if (p / "__init__.py").is_file()}

RUN_TIMEOUT = 60  # seconds for CPython or a host binary; every program needs well under one
BOOT_TIMEOUT = 60  # seconds the guest may run (`kaa run --timeout`)
MAX_DIFF_LINES = 200
# gcc's level for the Kaa builds (make test uses -O2; KAA_PY_OPT=0 checks the same programs at -O0)
OPT = f"-O{os.environ.get('KAA_PY_OPT', '2')}"

CARET_LINE = re.compile(r"^[ ^~]*[\^~][ ^~]*$")  # CPython 3.11's error-location markers
LEAK_LINE = re.compile(r"kaa: leak: (\d+) objects alive at exit")
PANIC_LINE = re.compile(r"^(panic|fault): ")
BANNER = "Kaa "


@dataclass(frozen=True)
class Run:
    status: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", errors="replace")


def program_env() -> dict[str, str]:
    """The environment for CPython and host binaries: hash seed 0, UTF-8 stdio, no
    variables that would make CPython print more (warnings) or encode otherwise."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONIOENCODING", "PYTHONWARNINGS", "PYTHONSTARTUP", "PYTHONDEVMODE")}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONUTF8"] = "1"
    env["TZ"] = "UTC"                   # a Kaa machine's zone: localtime() is gmtime()
    return env


def run_program(argv: list[str]) -> Run:
    r = subprocess.run(argv, cwd=ROOT, env=program_env(), stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=RUN_TIMEOUT)
    return Run(r.returncode, r.stdout, r.stderr)


@functools.cache
def reference(rel: str) -> Run:
    """CPython's run of a program (once per session; all three tests use it)."""
    return run_program([sys.executable, rel])


def traceback_text(stderr: str) -> str:
    """CPython's stderr as Kaa must print it: file names relative to the repository
    root (CPython makes the script's path absolute), caret lines removed."""
    absolute = f'File "{ROOT.as_posix()}/'
    lines = [ln.replace(absolute, 'File "') for ln in stderr.splitlines(keepends=True)]
    return "".join(ln for ln in lines if not CARET_LINE.match(ln.rstrip("\r\n")))


def diff(expected: str, got: str, what: str, kaa_side: str) -> str:
    """A unified diff of CPython's text against Kaa's, shortened; says so when the two
    differ only where a diff cannot show it (line ends, a final newline)."""
    lines = list(difflib.unified_diff(expected.splitlines(keepends=True), got.splitlines(keepends=True),
                                      fromfile=f"CPython {what}", tofile=f"{kaa_side} {what}"))
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more diff lines)\n"]
    text = "".join(ln if ln.endswith("\n") else ln + "\n" for ln in lines)
    if expected.splitlines() == got.splitlines():
        text += f"(the lines are equal: they differ in line ends or the final newline: {expected[-20:]!r} vs {got[-20:]!r})\n"
    return text


def expected_stderr(rel: str) -> str:
    return traceback_text(reference(rel).err)


def leak_problem(text: str) -> str | None:
    m = LEAK_LINE.search(text)
    return None if m is None else f"leak: {m.group(1)} objects alive at exit ({m.group(0)!r})"


def without_leak_lines(text: str) -> str:
    return "".join(ln for ln in text.splitlines(keepends=True) if not LEAK_LINE.search(ln))


def panic_report(text: str) -> str | None:
    """The console from the first panic or fault line on, if there is one."""
    lines = text.splitlines()
    at = next((i for i, ln in enumerate(lines) if PANIC_LINE.match(ln.lstrip("\r"))), None)
    return None if at is None else "\n".join(lines[at:])


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def judge_host(rel: str, got: Run) -> None:
    ref = reference(rel)
    report = panic_report(got.out + "\n" + got.err)
    if report is not None:
        pytest.fail(f"host binary panicked (exit status {got.status}):\n{report}", pytrace=False)
    problems: list[str] = []
    if got.stdout != ref.stdout:
        problems.append("stdout differs from CPython's:\n" + diff(ref.out, got.out, "stdout", "Kaa host"))
    want_err = expected_stderr(rel)
    got_err = without_leak_lines(got.err)
    if got_err != want_err:
        problems.append("stderr differs from CPython's (caret lines removed):\n"
                        + diff(want_err, got_err, "stderr", "Kaa host"))
    if got.status != ref.status:
        problems.append(f"exit status {got.status}, CPython's is {ref.status}")
    leak = leak_problem(got.err)
    if leak is not None:
        problems.append(leak)
    fail_on(problems)


def judge_booted(rel: str, r: subprocess.CompletedProcess[str]) -> None:
    ref = reference(rel)
    if not any(ln.startswith(BANNER) for ln in r.stdout.splitlines()):
        pytest.fail(f"no boot banner (exit status {r.returncode}); kaa run printed:\n{r.stdout}\n{r.stderr}",
                    pytrace=False)
    report = panic_report(r.stdout)
    if report is not None:
        pytest.fail(f"guest panicked (exit status {r.returncode}):\n{report}", pytrace=False)
    if r.returncode == 124:
        pytest.fail(f"guest did not exit within {BOOT_TIMEOUT} s; console:\n{r.stdout}\n{r.stderr}", pytrace=False)
    console = after_banner(r.stdout, r.stderr)
    leaks = [ln for ln in console if LEAK_LINE.search(ln)]
    got_lines = [ln for ln in console if not LEAK_LINE.search(ln)]
    want_lines = (ref.out + expected_stderr(rel)).splitlines()
    problems: list[str] = []
    if got_lines != want_lines:
        problems.append("console differs from CPython's stdout + traceback:\n"
                        + diff("\n".join(want_lines) + "\n", "\n".join(got_lines) + "\n", "output", "Kaa booted"))
    if r.returncode != ref.status:
        problems.append(f"exit status {r.returncode}, CPython's is {ref.status}; kaa run stderr:\n{r.stderr}")
    if leaks:
        problems.append(leak_problem(leaks[0]) or leaks[0])
    fail_on(problems)


def test_programs_exist() -> None:
    assert len(PROGRAMS) >= 45, [p.name for p in PROGRAMS]
    names = {p.stem for p in PROGRAMS}
    assert set(EXIT_STATUS) <= names, set(EXIT_STATUS) - names


@pytest.mark.parametrize("rel", CASES)
def test_imports_stay_in_the_subset(rel: str) -> None:
    tree = ast.parse((ROOT / rel).read_text(), rel)
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            used |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            used.add(node.module or "")
    used = {name for name in used if name.split(".")[0] not in LOCAL_PACKAGES}
    assert used <= ALLOWED_IMPORTS, used - ALLOWED_IMPORTS


def test_programs_pass_mypy_strict(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "tests/py/mypy.ini",
                        "--cache-dir", str(tmp_path / "mypy_cache"), "tests/py"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("Success: no issues found"), r.stdout + r.stderr


@pytest.mark.parametrize("rel", CASES)
def test_cpython_reference(rel: str) -> None:
    """The reference itself: the intended exit status, and stderr only for a traceback."""
    stem = Path(rel).stem
    ref = reference(rel)
    assert ref.status == EXIT_STATUS.get(stem, 0), ref.err
    assert ref.stdout, "a program must print something"
    if stem in UNCAUGHT:
        text = expected_stderr(rel)
        assert text.startswith("Traceback (most recent call last):\n"), ref.err
        assert f'File "{rel}", line ' in text, text
        assert re.match(r"[\w.]+: \S", text.splitlines()[-1]), text
    elif stem not in WRITES_STDERR:
        assert ref.stderr == b"", ref.err


@pytest.mark.parametrize("rel", CASES)
def test_host(rel: str, kaa: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    exe = tmp_path / Path(rel).stem
    build = kaa("build", rel, "--target", "host", "--debug", OPT, "-o", str(exe))
    if build.returncode != 0:
        pytest.fail(f"kaa build failed (status {build.returncode}):\n{build.stdout}{build.stderr}", pytrace=False)
    judge_host(rel, run_program([str(exe)]))


@pytest.mark.booted
@pytest.mark.parametrize("rel", CASES)
def test_booted(rel: str, kaa: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    judge_booted(rel, kaa("run", rel, "--debug", OPT, "--timeout", str(BOOT_TIMEOUT)))
