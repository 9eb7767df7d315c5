"""mypy_extensions' native integers (i64, i32, i16, u8) at the service level follow mypyc,
not CPython (where each is a plain int): arithmetic wraps at the type's width, a conversion
from an int that does not fit raises ValueError (mypyc's exception and messages), one
native type converted to another is cut to the width unchecked, `//` of the least value by
-1 raises OverflowError, and mixing two native types, or a literal that does not fit, is a
compile error. tests/py/native_ints.py checks the in-range behaviour against CPython; this
checks what only a fixed width does, against values computed here with Python's ints
(modulo 2**bits), for edge values of every type and every pair of them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Kind:
    name: str
    bits: int
    signed: bool

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1 if self.signed else self.bits)) - 1

    def wrap(self, x: int) -> int:
        return (x - self.lo) % (1 << self.bits) + self.lo

    def too_big(self) -> str:
        """mypyc's message (mypyc/lib-rt/int_ops.c)."""
        return f"ValueError:int too large{'' if self.signed else ' or small'} to convert to {self.name}"

    def values(self) -> list[int]:
        near = [self.lo, self.lo + 1, -7, -1, 0, 1, 2, 3, 7, 100, self.hi - 1, self.hi]
        return sorted({v for v in near if self.lo <= v <= self.hi})


KINDS = [Kind("i64", 64, True), Kind("i32", 32, True), Kind("i16", 16, True), Kind("u8", 8, False)]
# Python ints converted to each type: edges of every type's range and far beyond.
PROBES = sorted({v for k in KINDS for e in (k.lo, k.hi) for v in (e - 1, e, e + 1)} | {2 ** 70, -(2 ** 70), 0})
FLOATS = [0.0, -0.999, 1.9, -1234.5, 255.9, 256.0, -1.0, 32767.5, 32768.0, -32769.0, 2147483647.9, 2147483648.0,
          -2147483648.9, -2147483649.0, 9.2e18, 9.3e18, -9.3e18]


def kind_code(k: Kind) -> str:
    """The operations on one native type, printing `|`-separated fields."""
    n = k.name
    others = [o for o in KINDS if o != k]
    return f'''
def div_{n}(a: {n}, b: {n}) -> str:
    try:
        return str(a // b)
    except (ZeroDivisionError, OverflowError) as e:
        return type(e).__name__ + ":" + str(e)


def mod_{n}(a: {n}, b: {n}) -> str:
    try:
        return str(a % b)
    except ZeroDivisionError as e:
        return type(e).__name__ + ":" + str(e)


def shl_{n}(a: {n}, b: {n}) -> str:
    try:
        return str(a << b)
    except ValueError as e:
        return "ValueError:" + str(e)


def shr_{n}(a: {n}, b: {n}) -> str:
    try:
        return str(a >> b)
    except ValueError as e:
        return "ValueError:" + str(e)


def explicit_{n}(v: int) -> str:
    try:
        return str({n}(v))
    except ValueError as e:
        return "ValueError:" + str(e)


def implicit_{n}(v: int) -> str:
    try:
        x: {n} = v
        return str(x)
    except ValueError as e:
        return "ValueError:" + str(e)


def dynamic_{n}(o: Any) -> str:
    try:
        x: {n} = o
        return str(x)
    except ValueError as e:
        return "ValueError:" + str(e)


def less_{n}(a: {n}, v: int) -> str:
    try:
        return str(a < v)
    except ValueError as e:
        return "ValueError:" + str(e)


def from_float_{n}(f: float) -> str:
    try:
        return str({n}(f))
    except ValueError as e:
        return "ValueError:" + str(e)


def main_{n}() -> None:
    for a in vals_{n}:
        print("{n}", "unary", a, -a, ~a, +a, sep="|")
        for b in vals_{n}:
            print("{n}", a, b, a + b, a - b, a * b, a & b, a | b, a ^ b, div_{n}(a, b), mod_{n}(a, b),
                  shl_{n}(a, b), shr_{n}(a, b), sep="|")
    for v in probes:
        print("{n}", "conv", v, explicit_{n}(v), implicit_{n}(v), dynamic_{n}(v), less_{n}(vals_{n}[1], v), sep="|")
    for f in floats:
        print("{n}", "float", repr(f), from_float_{n}(f), sep="|")
''' + "".join(f'''    for w_{o.name} in vals_{o.name}:
        print("{n}", "from", "{o.name}", w_{o.name}, {n}(w_{o.name}), sep="|")
''' for o in others)


def expected_lines(k: Kind) -> list[str]:
    n, out = k.name, []
    for a in k.values():
        out.append(f"{n}|unary|{a}|{k.wrap(-a)}|{k.wrap(~a)}|{a}")
        for b in k.values():
            div = "ZeroDivisionError:integer division or modulo by zero" if b == 0 else \
                "OverflowError:integer division overflow" if a // b > k.hi else str(a // b)
            mod = "ZeroDivisionError:integer division or modulo by zero" if b == 0 else str(a % b)
            shl = "ValueError:negative shift count" if b < 0 else str(k.wrap(a << min(b, k.bits)))
            shr = "ValueError:negative shift count" if b < 0 else str(a >> b)
            out.append("|".join(map(str, [n, a, b, k.wrap(a + b), k.wrap(a - b), k.wrap(a * b), k.wrap(a & b),
                                          k.wrap(a | b), k.wrap(a ^ b), div, mod, shl, shr])))
    second = k.values()[1]
    for v in PROBES:
        conv = str(v) if k.lo <= v <= k.hi else k.too_big()
        less = str(second < v) if k.lo <= v <= k.hi else k.too_big()
        out.append(f"{n}|conv|{v}|{conv}|{conv}|{conv}|{less}")
    for f in FLOATS:
        out.append(f"{n}|float|{f!r}|{int(f) if k.lo <= int(f) <= k.hi else k.too_big()}")
    for o in KINDS:
        if o != k:
            out += [f"{n}|from|{o.name}|{w}|{k.wrap(w)}" for w in o.values()]
    return out


def build_and_run(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    prog = tmp_path / "prog.py"
    prog.write_text(source)
    exe = tmp_path / "prog"
    b = subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "--debug", "-o", str(exe)],
                       cwd=ROOT, capture_output=True, text=True)
    assert b.returncode == 0, b.stderr
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)


def test_native_ints_wrap_and_check_as_mypyc(tmp_path: Path) -> None:
    source = ("from typing import Any\nfrom mypy_extensions import i64, i32, i16, u8\n\n"
              f"probes: list[int] = {PROBES}\nfloats: list[float] = {FLOATS}\n"
              + "".join(f"vals_{k.name}: list[{k.name}] = {k.values()}\n" for k in KINDS)
              + "".join(kind_code(k) for k in KINDS) + "\n" + "".join(f"main_{k.name}()\n" for k in KINDS))
    r = build_and_run(tmp_path, source)
    assert r.stderr == ""
    got = r.stdout.splitlines()
    for k in KINDS:
        mine = [line for line in got if line.startswith(k.name + "|")]
        assert mine == expected_lines(k)


def test_native_ints_in_containers_and_classes(tmp_path: Path) -> None:
    """Values that wrapped are stored in lists, dicts and fields as the ints they wrapped to."""
    source = '''from dataclasses import dataclass
from mypy_extensions import i32, u8


@dataclass
class Cell:
    small: u8
    word: i32


def grow(c: Cell, n: int) -> None:
    for _ in range(n):
        c.small += 100
        c.word *= 1000


c = Cell(0, 1)
grow(c, 5)
xs: list[u8] = [c.small, c.small * 2]
d: dict[i32, u8] = {c.word: c.small}
print(c.small, c.word, xs, d, c)
'''
    u8, i32 = KINDS[3], KINDS[1]
    small, word = u8.wrap(500), i32.wrap(1000 ** 5)
    r = build_and_run(tmp_path, source)
    assert r.stdout.splitlines() == [
        f"{small} {word} [{small}, {u8.wrap(small * 2)}] {{{word}: {small}}} Cell(small={small}, word={word})"]
    assert r.stderr == ""


@pytest.mark.parametrize("body, message", [
    ("x: i64 = 1\ny: i32 = 2\nprint(x + y)\n", "unsupported operand types for +: i64 and i32"),
    ("x: i16 = 1\ny: u8 = 2\nprint(x < y)\n", "unsupported operand types for <: i16 and u8"),
    ("x: i64 = 1\ny: i32 = x\n", "expected i32, got i64"),
])
def test_mixing_native_types_is_rejected_as_by_mypy(tmp_path: Path, body: str, message: str) -> None:
    prog = tmp_path / "mix.py"
    prog.write_text("from mypy_extensions import i64, i32, i16, u8\n\n" + body)
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(prog)],
                             cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 1, checked.stdout              # mypy rejects it too
    r = subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o",
                        str(tmp_path / "mix")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0 and message in r.stderr


@pytest.mark.parametrize("body, value, kind", [
    ("x: u8 = 256\n", 256, "u8"), ("x: u8 = -1\n", -1, "u8"), ("x: i16 = 40000\n", 40000, "i16"),
    ("x: i32 = -2147483649\n", -2147483649, "i32"), ("def f(x: u8) -> u8:\n    return x + 300\n", 300, "u8"),
    ("def f(x: i16) -> bool:\n    return x < -32769\n", -32769, "i16"),
])
def test_literal_out_of_range_is_a_compile_error_as_in_mypyc(tmp_path: Path, body: str, value: int, kind: str) -> None:
    prog = tmp_path / "lit.py"
    prog.write_text("from mypy_extensions import i32, i16, u8\n\n" + body)
    r = subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "-o",
                        str(tmp_path / "lit")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0 and f'Value {value} is out of range for "{kind}"' in r.stderr
