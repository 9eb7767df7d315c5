"""Instances of the program's classes held by typing.Any: what CPython does not do.

An assignment to a field, or an argument of a method, reaching typed code through a
dynamic value is checked against the field's or parameter's type (mypyc's TypeError: a
compiled program relies on the representation; CPython never checks an annotation) and
converted (an int stored in a float field becomes a float). tests/py/any_instances.py
checks everything CPython agrees with; this checks what only the typed representation
does, and that an uncaught FrozenInstanceError is reported as CPython reports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = '''from typing import Any, Callable
from mypy_extensions import i64


class Point:
    def __init__(self, x: int, y: float) -> None:
        self.x = x
        self.y = y
        self.on = True
        self.wide: i64 = 0

    def move(self, dx: int, scale: float = 1.0) -> float:
        return (self.x + dx) * scale


def twice(n: int) -> int:
    return 2 * n


def attempt(label: str, f: Callable[[], object]) -> None:
    try:
        print(label, f())
    except (TypeError, ValueError) as e:
        print(label, type(e).__name__ + ":", e)


def store(p: Any, name: str, value: Any) -> str:
    if name == "x":
        p.x = value
    elif name == "y":
        p.y = value
    elif name == "on":
        p.on = value
    else:
        p.wide = value
    return "stored"


p: Any = Point(1, 2.0)
p.y = 3
print(p.y, p.move(1, 2), p.move(True))
attempt("x", lambda: store(p, "x", "a"))
attempt("y", lambda: store(p, "y", None))
attempt("on", lambda: store(p, "on", 1))
attempt("wide", lambda: store(p, "wide", 2 ** 70))
attempt("dx", lambda: p.move("a"))
attempt("scale", lambda: p.move(1, "b"))
f: Any = twice
attempt("call", lambda: f(2))
print(p.x, p.y, p.on, p.wide)
'''

EXPECTED = [
    "3.0 4.0 2.0",
    "x TypeError: int object expected; got str",
    "y TypeError: float object expected; got NoneType",
    "on TypeError: bool object expected; got int",
    "wide ValueError: int too large to convert to i64",
    "dx TypeError: int object expected; got str",
    "scale TypeError: float object expected; got str",
    "call TypeError: a function held by a dynamic value is called through a Callable type: cast(Callable[...], f)(...)",
    "1 3.0 True 0",
]

FROZEN = '''from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Frozen:
    x: int


f: Any = Frozen(1)
f.x = 2
'''


def build_and_run(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    prog = tmp_path / "prog.py"
    prog.write_text(source)
    exe = tmp_path / "prog"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "--debug", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)


def test_assignments_and_arguments_are_checked(tmp_path: Path) -> None:
    r = build_and_run(tmp_path, PROGRAM)
    assert r.stdout.splitlines() == EXPECTED
    assert r.stderr == ""


def test_uncaught_frozen_instance_error_as_cpython(tmp_path: Path) -> None:
    r = build_and_run(tmp_path, FROZEN)
    ref = subprocess.run([sys.executable, "-c", FROZEN], capture_output=True, text=True, timeout=30)
    assert r.returncode == ref.returncode == 1
    assert r.stderr.splitlines()[-1] == ref.stderr.splitlines()[-1] == \
        "dataclasses.FrozenInstanceError: cannot assign to field 'x'"
