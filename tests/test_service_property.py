"""Property tests of the service compiler against CPython: random programs, compiled.

The runtime's own property tests (tests/pyrt) call its C functions directly; these go
through the compiler too (operator dispatch, int/float/bool coercions, comparisons,
containers of mixed values, f-strings), so what the lowering gets wrong shows here.
Each hypothesis example is one program of many random statements: one build per
example keeps the test fast while covering thousands of expressions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent

# Integers around the small/big boundary (2**62) and the 64-bit one, and plain ones.
EDGES = [0, 1, -1, 2, 3, 7, 10, 2 ** 31, 2 ** 61, 2 ** 62 - 1, 2 ** 62, -(2 ** 62), -(2 ** 62) - 1,
         2 ** 63 - 1, 2 ** 63, -(2 ** 63), 2 ** 64 + 5, 10 ** 30]
ints = st.one_of(st.sampled_from(EDGES), st.integers(-1000, 1000), st.integers(-(2 ** 70), 2 ** 70))
floats = st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: abs(f) < 1e300)

INT_OPS = ["+", "-", "*", "//", "%", "&", "|", "^"]
CMP_OPS = ["<", "<=", "==", "!=", ">", ">="]


@st.composite
def int_statement(draw: st.DrawFn) -> str:
    a, b = draw(ints), draw(ints)
    kind = draw(st.sampled_from(["op", "cmp", "shift", "pow", "mixed", "str", "key"]))
    if kind == "op":
        op = draw(st.sampled_from(INT_OPS))
        return f"show(lambda: {a} {op} x({b}))"
    if kind == "cmp":
        op = draw(st.sampled_from(CMP_OPS))
        return f"show(lambda: x({a}) {op} x({b}))"
    if kind == "shift":
        return f"show(lambda: x({a}) {draw(st.sampled_from(['<<', '>>']))} {draw(st.integers(0, 80))})"
    if kind == "pow":
        return f"show(lambda: x({draw(st.integers(-50, 50))}) ** {draw(st.integers(0, 40))})"
    if kind == "mixed":
        f = draw(floats)
        op = draw(st.sampled_from(["+", "-", "*", "<", "==", ">="]))
        return f"show(lambda: x({a}) {op} y({f!r}))"
    if kind == "str":
        return f"show(lambda: int(str(x({a}))) == x({a}) and len(f'{{x({a}):,}}') > 0)"
    return f"table[x({a})] = table.get(x({a}), 0) + 1"


@st.composite
def float_statement(draw: st.DrawFn) -> str:
    a, b = draw(floats), draw(floats)
    kind = draw(st.sampled_from(["op", "repr", "fmt", "round", "parse"]))
    if kind == "op":
        op = draw(st.sampled_from(["+", "-", "*", "/", "//", "%"]))
        return f"fshow(lambda: y({a!r}) {op} y({b!r}))"
    if kind == "repr":
        return f"print(y({a!r}), repr(y({b!r})), str(y({a!r}) * 3.0))"
    if kind == "fmt":
        spec = draw(st.sampled_from([".2f", ".3e", "g", ".10g", "%", ",.1f", ">12.4f", "+.0f", "_.3f", ".0e"]))
        return f"print(f'{{y({a!r}):{spec}}}')"
    if kind == "round":
        return f"fshow(lambda: round(y({a!r}), {draw(st.integers(-3, 5))}))"
    return f"print(float(repr(y({a!r}))) == y({a!r}), float('{b!r}'))"


words = st.text(alphabet="ab ,.-xyzÄé\u2028\t", max_size=8)


@st.composite
def container_statement(draw: st.DrawFn) -> str:
    """A statement over the program's list xs, dict d, set s and str t (see CONTAINERS)."""
    w, i, j = draw(words), draw(st.integers(-6, 6)), draw(st.integers(-6, 6))
    return draw(st.sampled_from([
        f"xs.append({i})", f"xs.insert({i}, {j})", f"show(lambda: xs.pop({i}))", f"show(lambda: xs.index({i}))",
        f"xs[{i}:{j}] = [{i}, {j}]", f"show(lambda: xs[{i}])", f"show(lambda: xs[{i}:{j}:{j or 1}])",
        "xs.sort(key=lambda v: -v)", "xs.reverse()", f"print(xs.count({i}), {i} in xs, sorted(xs)[:3])",
        f"d[{w!r}] = {i}", f"show(lambda: d[{w!r}])", f"print(d.get({w!r}, {j}), d.setdefault({w!r}, {i}))",
        f"show(lambda: d.pop({w!r}))", "print(list(d.items())[:4], len(d))",
        f"s.add({i})", f"s.discard({j})", f"print(s, s | {{{i}, {j}}}, s & {{{i}}}, s - {{{j}}}, s ^ {{{i}, 99}})",
        f"t = t + {w!r}", f"print(t.split(), t.split({w[:1] or ','!r}), t.strip({w[:2]!r}), t.upper(), t.title())",
        f"print(t.replace({w[:1]!r}, {w!r}), t.find({w[:2]!r}), t.count({w[:1]!r}), t[{i}:{j}], t[::-1])",
        f"print(repr(t), t.partition({w[:1] or '-'!r}), t.startswith({w[:1]!r}), f'{{t!r:>12}}|')",
        "print(','.join(sorted(set(t))), t.center(10, '*'), t.zfill(6), t.isalpha(), t.splitlines())",
    ]))


@st.composite
def math_statement(draw: st.DrawFn) -> str:
    """The math functions whose results are exact or correctly rounded in both libms
    (exp, log, sin... differ from glibc in the last bit at 1e-4..2e-3: docs/language.md)."""
    a, b = draw(floats), draw(floats)
    return draw(st.sampled_from([
        f"fshow(lambda: math.sqrt(y({a!r})))", f"show(lambda: math.floor(y({a!r})))",
        f"show(lambda: math.ceil(y({a!r})))", f"fshow(lambda: math.fmod(y({a!r}), y({b!r})))",
        f"fshow(lambda: math.hypot(y({a!r}), y({b!r})))", f"fshow(lambda: math.copysign(y({a!r}), y({b!r})))",
        f"fshow(lambda: math.fsum([y({a!r}), y({b!r}), y(1.0), y({-a!r})]))",
        f"print(math.isclose(y({a!r}), y({b!r})), math.isfinite(y({a!r}) * y({b!r})))",
        f"show(lambda: math.gcd(x({int(a) % 10**12}), x({int(b) % 10**9})))",
    ]))


CONTAINERS = """
xs: list[int] = [3, 1, 2]
d: dict[str, int] = {"a": 1}
s: set[int] = {1, 2, 3}
t = "Kaa"
"""

PRELUDE = '''import math
from typing import Callable

table: dict[int, int] = {}


def x(v: int) -> int:
    return v


def y(v: float) -> float:
    return v


def show(f: Callable[[], object]) -> None:
    try:
        print(f())
    except (ZeroDivisionError, ValueError, OverflowError, IndexError, KeyError) as e:
        print(type(e).__name__, e)


def fshow(f: Callable[[], float]) -> None:
    try:
        print(f())
    except (ZeroDivisionError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)


'''


def compare_with_cpython(tmp_path: Path, lines: list[str], setup: str = "") -> None:
    prog = tmp_path / "prop.py"
    prog.write_text(PRELUDE + setup + "\n".join(lines) + "\nprint(sorted(table.items()))\n")
    want = subprocess.run([sys.executable, str(prog)], capture_output=True, text=True, timeout=60)
    assert want.returncode == 0, want.stderr
    exe = tmp_path / "prop"
    build = subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "--debug",
                            "-o", str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr + build.stdout
    got = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert got.stderr == "", got.stderr
    for i, (w, g) in enumerate(zip(want.stdout.splitlines(), got.stdout.splitlines())):
        assert g == w, f"statement {i}: {lines[i] if i < len(lines) else '(table)'}\nCPython: {w}\nKaa:     {g}"
    assert got.stdout == want.stdout


PROPERTY = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@PROPERTY
@given(lines=st.lists(int_statement(), min_size=150, max_size=150))
def test_int_expressions_match_cpython(tmp_path: Path, lines: list[str]) -> None:
    compare_with_cpython(tmp_path, lines)


@PROPERTY
@given(lines=st.lists(float_statement(), min_size=150, max_size=150))
def test_float_expressions_match_cpython(tmp_path: Path, lines: list[str]) -> None:
    compare_with_cpython(tmp_path, lines)


@PROPERTY
@given(lines=st.lists(container_statement(), min_size=120, max_size=120))
def test_container_and_str_statements_match_cpython(tmp_path: Path, lines: list[str]) -> None:
    compare_with_cpython(tmp_path, lines, CONTAINERS)


@PROPERTY
@given(lines=st.lists(math_statement(), min_size=150, max_size=150))
def test_math_functions_match_cpython(tmp_path: Path, lines: list[str]) -> None:
    compare_with_cpython(tmp_path, lines)
