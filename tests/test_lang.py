"""Language feature programs: build each tests/lang/NAME.py, run it, compare with NAME.out.

Each program is a complete Kaa module whose `main` prints with `print(...)`; NAME.out is
its exact expected stdout. Comment lines at the top of a program (before
`from kaa.lang import *`) adjust what is expected:

    # exit: N          main returns N (default 0), the exit status
    # exit: panic      the program panics: exit status 101, NAME.out is what it prints
                       before, and the panic report names the line marked `# panics here`
    # panic: TEXT      the panic report (stdout or stderr) contains TEXT
    # flags: ARGS      extra arguments for `kaa build` and `kaa run` (e.g. --debug)
    # target: kvm      booted only (the program uses privileged instructions)

Every program runs built for the host (Linux user space, `--target host`), at the
default optimisation level and at -O0 (gcc rejects some programs only at one level, and
undefined behaviour tends to show at one), and booted in QEMU (`kaa run`, marked
`booted`), where the kernel prints one banner line starting with "Kaa " before main runs. tests/lang/helpers/ holds modules the programs
import; they are not programs themselves.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANG = ROOT / "tests" / "lang"
PANIC_STATUS = 101
RUN_TIMEOUT = 60  # seconds for a host binary; every program finishes in well under one
BOOT_TIMEOUT = 60  # seconds QEMU may run (`kaa run --timeout`)


@dataclass
class Case:
    path: Path
    expected: str
    exit_status: int = 0
    panics: bool = False
    panic_text: str | None = None
    panic_line: int | None = None
    flags: list[str] = field(default_factory=list)
    host: bool = True

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


def load_case(path: Path) -> Case:
    out = path.with_suffix(".out")
    case = Case(path=path, expected=out.read_text() if out.exists() else "")
    lines = path.read_text().splitlines()
    for line in lines:
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "exit" and value == "panic":
            case.panics = True
            case.exit_status = PANIC_STATUS
        elif key == "exit":
            case.exit_status = int(value)
        elif key == "panic":
            case.panic_text = value
        elif key == "flags":
            case.flags = value.split()
        elif key == "target":
            case.host = value != "kvm"
    for number, line in enumerate(lines, start=1):
        if re.search(r"#\s*panics here\s*$", line):
            case.panic_line = number
    return case


PROGRAMS = sorted(LANG.glob("*.py"))
CASES = [pytest.param(p, id=p.stem) for p in PROGRAMS]


def check_output(case: Case, status: int, stdout: str, stderr: str) -> None:
    """Judge one run: the printed lines, then the exit status, then the panic report."""
    if not case.panics:
        assert stdout == case.expected
        assert status == case.exit_status, f"exit status {status}, stderr:\n{stderr}"
        return
    assert stdout.startswith(case.expected), f"expected a prefix:\n{case.expected}"
    assert "never printed" not in stdout
    assert status == PANIC_STATUS, f"exit status {status}, stderr:\n{stderr}"
    report = stdout + stderr
    if case.panic_text is not None:
        assert case.panic_text in report
    assert case.panic_line is not None, "a panicking program marks its line `# panics here`"
    assert f"{case.path.name}:{case.panic_line}" in report, "panic report names file:line"


def test_every_program_has_expected_output() -> None:
    assert PROGRAMS, "no programs in tests/lang"
    missing = [p.name for p in PROGRAMS if not p.with_suffix(".out").exists()]
    assert not missing


@pytest.mark.parametrize("opt", [pytest.param([], id="default"), pytest.param(["-O0"], id="O0")])
@pytest.mark.parametrize("path", CASES)
def test_host(path: Path, opt: list[str], kaa, tmp_path: Path) -> None:
    case = load_case(path)
    if not case.host:
        pytest.skip("booted only: privileged instructions")
    exe = tmp_path / path.stem
    build = kaa("build", case.rel, "--target", "host", "-o", str(exe), *opt, *case.flags)
    assert build.returncode == 0, build.stdout + build.stderr
    run = subprocess.run(
        [str(exe)], cwd=tmp_path, capture_output=True, timeout=RUN_TIMEOUT
    )
    stdout = run.stdout.decode("utf-8", errors="replace")
    stderr = run.stderr.decode("utf-8", errors="replace")
    check_output(case, run.returncode, stdout, stderr)


def after_banner(console: str) -> str:
    """What the guest printed after the kernel's banner line, with "\\r" line ends removed."""
    lines = [line.rstrip("\r") for line in console.split("\n")]
    for i, line in enumerate(lines):
        if line.startswith("Kaa "):
            return "\n".join(lines[i + 1 :])
    raise AssertionError(f"no banner line starting with 'Kaa ' in:\n{console}")


@pytest.mark.booted
@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None and not os.environ.get("CI"),
                    reason="needs QEMU (make test installs it)")
@pytest.mark.parametrize("path", CASES)
def test_booted(path: Path, kaa) -> None:
    case = load_case(path)
    run = kaa("run", case.rel, "--timeout", str(BOOT_TIMEOUT), *case.flags)
    # QEMU's own messages go to stderr and are ignored, except in a panic report.
    check_output(case, run.returncode, after_banner(run.stdout), run.stderr)
