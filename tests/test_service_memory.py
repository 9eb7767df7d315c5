"""Service-level memory: what a debug build says about objects left alive at exit.

Reference counting frees everything a program drops, except reference cycles (see
docs/language.md, "Memory"). These tests build small programs with --debug and check
that the report is exact: nothing for a program that releases all it made (containers
of containers, closures, generators left half-run, exceptions caught and dropped), and
the right count for a cycle, on the host and booted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from guest import after_banner

ROOT = Path(__file__).resolve().parent.parent
LEAK = re.compile(r"kaa: leak: (\d+) objects alive at exit")

CLEAN = '''
from typing import Callable, Iterator


def counter() -> Callable[[], int]:
    n = 0

    def bump() -> int:
        nonlocal n
        n += 1
        return n
    return bump


def naturals() -> Iterator[int]:
    i = 0
    while True:
        yield i
        i += 1


grid = [[str(i * j) for j in range(5)] for i in range(5)]
index = {cell: (i, j) for i, row in enumerate(grid) for j, cell in enumerate(row)}
c = counter()
c()
g = naturals()
print(next(g), next(g), c(), len(index))
try:
    raise KeyError(grid[1][2])
except KeyError as e:
    print("caught", e)
'''

CYCLE = '''
from typing import Optional


class Peer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.other: Optional[Peer] = None


a = Peer("a")
b = Peer("b")
a.other = b
b.other = a          # a <-> b: reference counting alone cannot free these
print(a.name, b.name)
'''


def build_and_run(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    prog = tmp_path / "prog.py"
    prog.write_text(source)
    exe = tmp_path / "prog"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "--debug", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)


def test_a_program_that_drops_everything_reports_nothing(tmp_path: Path) -> None:
    r = build_and_run(tmp_path, CLEAN)
    cpython = subprocess.run([sys.executable, str(tmp_path / "prog.py")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == cpython.stdout
    assert not LEAK.search(r.stderr), r.stderr


def test_a_cycle_is_reported_with_its_size(tmp_path: Path) -> None:
    r = build_and_run(tmp_path, CYCLE)
    assert r.returncode == 0
    m = LEAK.search(r.stderr)
    assert m is not None, f"no leak report:\n{r.stderr}"
    assert int(m.group(1)) == 2, r.stderr            # exactly the two Peer objects


def test_a_release_build_prints_no_report(tmp_path: Path) -> None:
    prog = tmp_path / "prog.py"
    prog.write_text(CYCLE)
    exe = tmp_path / "prog"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    assert r.stdout == "a b\n" and r.stderr == ""


@pytest.mark.booted
def test_a_cycle_is_reported_booted(tmp_path: Path) -> None:
    prog = tmp_path / "prog.py"
    prog.write_text(CYCLE)
    r = subprocess.run([sys.executable, "-m", "kaa", "run", str(prog), "--debug", "--timeout", "60"],
                       cwd=ROOT, capture_output=True, text=True, timeout=180)
    console = "\n".join(after_banner(r.stdout, r.stderr))
    assert "a b" in console
    m = LEAK.search(console)
    assert m is not None and int(m.group(1)) == 2, r.stdout + r.stderr
