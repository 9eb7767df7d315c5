"""f64, the kernel level's double: its results are CPython's, and SSE stays where f64 is.

- Every tests/lang/f64_*.py program that does not panic also runs under CPython (its
  Kaa names bound to Python's float, int conversions, math.sqrt and struct bit casts),
  and CPython's output must equal the program's .out file, which test_lang.py compares
  with the compiled program's (host, -O0, booted). So the .out files are CPython's word.
- Many random operands: one generated program, built for the host, computes + - * /,
  sqrt, comparisons and conversions on them; CPython computes the same.
- Only modules that use f64 carry emit_c.SSE_MARKER (the build gives just those SSE
  registers); no kernel module does, so the interrupt path stays on general registers.
"""

from __future__ import annotations

import ast
import math
import random
import struct
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

from kaa import build as kbuild
from kaa import lang
from kaa.compiler import compile_program
from kaa.compiler import emit_c
from kaa.compiler import types as T

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = sorted((ROOT / "tests" / "lang").glob("f64_*.py"))


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def f64_from_bits(u: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", u))[0]


def int_conversion(t: T.IntType) -> Callable[[Any], int]:
    """Kaa's u8(x)...i64(x): integers wrap; an f64 truncates, and must fit."""
    def convert(x: Any) -> int:
        if isinstance(x, float):
            v = int(x)                              # ValueError for NaN, OverflowError for inf
            if not t.min <= v <= t.max:
                raise OverflowError(f"{x!r} does not fit {t}")
            return v
        v = int(x) & ((1 << t.bits) - 1)
        return v - (1 << t.bits) if t.signed and v > t.max else v
    return convert


def kaa_struct(cls: Any = None, *, packed: bool = False) -> Any:
    """@struct under CPython: keyword init, every field not given is zero."""
    def make(c: Any) -> Any:
        fields = dict(c.__annotations__)

        def __init__(self: Any, **given: Any) -> None:
            for name, ann in fields.items():
                setattr(self, name, given.get(name, 0.0 if ann is float else 0))
        c.__init__ = __init__
        return c
    return make(cls) if cls is not None else make


class ZeroedArrays(ast.NodeTransformer):
    """`a: Array[T, N]` with no value declares N zeroes in Kaa; CPython needs a list."""

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        ann = node.annotation
        if node.value is None and isinstance(ann, ast.Subscript) and isinstance(ann.value, ast.Name) \
                and ann.value.id == "Array" and isinstance(ann.slice, ast.Tuple):
            elem, n = ann.slice.elts
            zero = ast.Constant(0.0 if isinstance(elem, ast.Name) and elem.id == "f64" else 0)
            value = ast.BinOp(ast.List([zero], ast.Load()), ast.Mult(), n)
            return ast.copy_location(ast.Assign([node.target], value), node)
        return node


def run_under_cpython(path: Path) -> str:
    """The program's output when CPython runs it with Kaa's names given Python meanings."""
    lines: list[str] = []
    ns: dict[str, Any] = {n: getattr(lang, n) for n in lang.__all__}
    ns.update({name: int_conversion(t) for name, t in T.INT_TYPES.items()})
    ns.update(f64=float, sqrt=math.sqrt, bits=f64_bits, from_bits=f64_from_bits, addr=lambda x: x,
              struct=kaa_struct, print=lambda *a: lines.append(" ".join(map(str, a))), __name__="kaa_program")
    tree = ast.parse(path.read_text())
    tree.body = [s for s in tree.body if not (isinstance(s, ast.ImportFrom) and s.module == "kaa.lang")]
    tree = ast.fix_missing_locations(ZeroedArrays().visit(tree))
    exec(compile(tree, str(path), "exec"), ns)
    status = ns["main"]()
    assert status == 0
    return "".join(line + "\n" for line in lines)


def panics(path: Path) -> bool:
    return any(line.strip() == "# exit: panic" for line in path.read_text().splitlines())


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in PROGRAMS if not panics(p)])
def test_expected_output_is_cpythons(path: Path) -> None:
    assert run_under_cpython(path) == path.with_suffix(".out").read_text()


def test_there_are_f64_programs() -> None:
    assert len([p for p in PROGRAMS if not panics(p)]) >= 1 and any(panics(p) for p in PROGRAMS)


# ---- random operands ------------------------------------------------------------------
def interesting_doubles(rng: random.Random, n: int) -> list[float]:
    """Random bit patterns (all exponents, subnormals too) and random ordinary values."""
    out = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e-310, 5e-324, 1.7976931348623157e308, 2.0 ** 52 + 0.5]
    while len(out) < n:
        if rng.random() < 0.5:
            x = f64_from_bits(rng.getrandbits(64))
            if math.isfinite(x):
                out.append(x)
        else:
            out.append(rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-20, 20))
    return out


def test_random_operands_match_cpython(tmp_path: Path, kaa) -> None:
    rng = random.Random(20240611)
    xs = interesting_doubles(rng, 240)
    pairs = [(xs[i], xs[(i * 7 + 3) % len(xs)]) for i in range(len(xs))]
    src = ["from kaa.lang import *", "", "", "def show(a: f64, b: f64) -> None:",
           "    q = 0.0 if b == 0.0 else a / b",
           "    r = sqrt(a) if a >= 0.0 else sqrt(-a)",
           "    t: i64 = 0",
           "    if -9.0e18 < a < 9.0e18:",
           "        t = i64(a)",
           "    print(f\"{bits(a + b):x} {bits(a - b):x} {bits(a * b):x} {bits(q):x} {bits(r):x} {t}\",",
           "          a < b, a <= b, a == b, a != b, a > b, a >= b)",
           "", "", "def main() -> i32:"]
    src += [f"    show({a!r}, {b!r})" for a, b in pairs]
    src += ["    return 0", ""]
    prog = tmp_path / "f64_random.py"
    prog.write_text("\n".join(src))
    exe = tmp_path / "f64_random"
    built = kaa("build", str(prog), "--target", "host", "-o", str(exe))
    assert built.returncode == 0, built.stdout + built.stderr
    got = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60).stdout.splitlines()
    want = []
    for a, b in pairs:
        q = 0.0 if b == 0.0 else a / b
        r = math.sqrt(a) if a >= 0.0 else math.sqrt(-a)
        t = int(a) if -9.0e18 < a < 9.0e18 else 0
        want.append(f"{f64_bits(a + b):x} {f64_bits(a - b):x} {f64_bits(a * b):x} {f64_bits(q):x} "
                    f"{f64_bits(r):x} {t} {a < b} {a <= b} {a == b} {a != b} {a > b} {a >= b}")
    assert got == want


@pytest.mark.parametrize("t", sorted(set(T.INT_TYPES.values()), key=str), ids=str)
def test_conversion_bounds_are_the_doubles_just_outside(t: T.IntType) -> None:
    lo, hi = emit_c.f64_int_bounds(t)
    assert int(lo) < t.min and int(math.nextafter(lo, math.inf)) >= t.min     # the next double converts
    assert hi == t.max + 1 and int(math.nextafter(hi, -math.inf)) <= t.max


# ---- where SSE is allowed ---------------------------------------------------------------
def test_marker_is_the_one_build_reads() -> None:
    assert emit_c.SSE_MARKER == kbuild.SSE_MARKER


def test_only_modules_using_f64_are_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = compile_program(Path("tests/kernel/float_threads.py"), target="kvm")
    marked = sorted(name for name, text in files.items() if text.startswith(emit_c.SSE_MARKER))
    assert marked == ["float_threads.c"]
    assert any(name.startswith("kernel_arch_x86_64_traps") for name in files)      # the interrupt path was built


def test_inline_f64_function_marks_its_callers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "halves.py").write_text("from kaa.lang import *\n\n\n@inline\ndef half(n: i64) -> i64:\n"
                                        "    return i64(f64(n) / 2.0)\n")
    (tmp_path / "app.py").write_text("from kaa.lang import *\nimport halves\n\n\ndef main() -> i32:\n"
                                     "    return i32(halves.half(6))\n")
    monkeypatch.chdir(tmp_path)
    files = compile_program(Path("app.py"), target="host")
    assert files["app.c"].startswith(emit_c.SSE_MARKER)
