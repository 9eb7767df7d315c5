"""Property: integer arithmetic compiled by Kaa agrees with Python's, wrapped to the width.

Hypothesis draws batches of (type, operator, a, b); each batch becomes one Kaa program
whose operands are globals (so gcc cannot fold them) and whose main prints every result.
The expected line is Python's exact result wrapped to the type: two's complement for
+ - * << & | ^, floor semantics for // and % (then wrapped: i8 -128 // -1 is -128).
"""

from __future__ import annotations

import operator
import subprocess
from pathlib import Path

from hypothesis import given, settings, strategies as st

from kaa import build as kbuild

TYPES = {f"{s}{b}": (b, s == "i") for s in "iu" for b in (8, 16, 32, 64)}
OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "//": operator.floordiv,
       "%": operator.mod, "<<": operator.lshift, ">>": operator.rshift, "&": operator.and_,
       "|": operator.or_, "^": operator.xor}


def wrap(v: int, bits: int, signed: bool) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if signed and v >> (bits - 1) else v


@st.composite
def case(draw: st.DrawFn) -> tuple[str, str, int, int]:
    name = draw(st.sampled_from(sorted(TYPES)))
    bits, signed = TYPES[name]
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    # Edge values first: overflow lives at the ends of the range and around zero.
    values = st.one_of(st.sampled_from([v for v in (lo, lo + 1, -2, -1, 0, 1, 2, hi - 1, hi) if lo <= v <= hi]),
                       st.integers(lo, hi))
    op = draw(st.sampled_from(sorted(OPS)))
    a = draw(values)
    if op in ("<<", ">>"):
        b = draw(st.integers(0, bits - 1))
    else:
        b = draw(values.filter(lambda x: op not in ("//", "%") or x != 0))
    return name, op, a, b


def program(cases: list[tuple[str, str, int, int]]) -> str:
    lines = ["from kaa.lang import *", ""]
    for i, (t, _, a, b) in enumerate(cases):
        lines += [f"a{i}: {t} = {a}", f"b{i}: {t} = {b}"]
    lines += ["", "", "def main() -> i32:"]
    lines += [f"    print(a{i} {op} b{i})" for i, (_, op, _, _) in enumerate(cases)]
    lines += ["    return 0", ""]
    return "\n".join(lines)


@settings(max_examples=15, deadline=None)
@given(st.lists(case(), min_size=1, max_size=60))
def test_arithmetic_matches_python(tmp_path_factory, cases) -> None:
    work: Path = tmp_path_factory.mktemp("arith")
    src = work / "arith.py"
    src.write_text(program(cases))
    exe = kbuild.build(src, work / "arith", target="host")
    out = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30).stdout.split()
    expected = [str(wrap(OPS[op](a, b), *TYPES[t])) for t, op, a, b in cases]
    assert out == expected
