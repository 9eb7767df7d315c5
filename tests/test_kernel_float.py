"""Floating point in the kernel, booted: SSE on every CPU, each thread's MXCSR and x87
control word kept across switches, interrupt paths on general registers.

tests/kernel/float_threads.py runs five float jobs: two threads switching on CPU 0 (one
rounding toward zero) plus a third that one of them spawns, and two on CPU 1 (one
rounding upward), sleeping and yielding between steps while timer interrupts fire. The
guest prints each job's parameters and result bits; CPython recomputes every job here,
each operation rounded exactly in the job's mode (fractions.Fraction and the neighbour
double). What each failure looks like:
  - SSE not enabled on a CPU: the first SSE instruction faults (#UD), status 101;
  - a switch that does not keep MXCSR: another job computes in the wrong rounding mode
    (the jobs are chaotic and accumulate, so any such step changes the bits), and the
    final MXCSR or a new thread's starting MXCSR is wrong;
  - the x87 control word not kept: job 0's (or another job's) fcw is wrong.
Without booting: the image's disassembly shows XMM registers only in the program's own
functions, and the image says it has SSE code (an image without any, such as hello's,
skips the SSE control instructions: KVM's instruction emulator lacks them).
"""

from __future__ import annotations

import math
import re
import struct
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import run_kaa
from guest import after_banner

pytestmark = pytest.mark.booted

NEAREST, TOWARD_ZERO, UPWARD, DOWNWARD = 0x1F80, 0x7F80, 0x5F80, 0x3F80
JOB = re.compile(r"job (?P<i>\d) cpu (?P<cpu>\d) mode (?P<mode>[0-9a-f]{4}) seed (?P<seed>[0-9a-f]{16}) "
                 r"result (?P<result>[0-9a-f]{16}) mxcsr (?P<mxcsr>[0-9a-f]{4}) fcw (?P<fcw>[0-9a-f]{4}) "
                 r"start (?P<start_mxcsr>[0-9a-f]{4}) (?P<start_fcw>[0-9a-f]{4}) switched (?P<switched>\d+)$")


def from_bits(text: str) -> float:
    return struct.unpack("<d", bytes.fromhex(text)[::-1])[0]


def to_bits(x: float) -> str:
    return struct.pack("<d", x)[::-1].hex()


def rounded(exact: Fraction, mode: int) -> float:
    """The double `exact` rounds to in MXCSR rounding mode `mode` (no overflow here)."""
    near = float(exact)                     # CPython divides integers correctly rounded
    if mode == NEAREST or Fraction(near) == exact:
        return near
    if mode == TOWARD_ZERO:
        return math.nextafter(near, 0.0) if abs(Fraction(near)) > abs(exact) else near
    if mode == UPWARD:
        return math.nextafter(near, math.inf) if Fraction(near) < exact else near
    assert mode == DOWNWARD
    return math.nextafter(near, -math.inf) if Fraction(near) > exact else near


class Arithmetic:
    """IEEE 754 double operations in one rounding mode, each rounded once, exactly."""

    def __init__(self, mode: int):
        self.mode = mode

    def add(self, a: float, b: float) -> float:
        return rounded(Fraction(a) + Fraction(b), self.mode)

    def sub(self, a: float, b: float) -> float:
        return rounded(Fraction(a) - Fraction(b), self.mode)

    def mul(self, a: float, b: float) -> float:
        return rounded(Fraction(a) * Fraction(b), self.mode)

    def div(self, a: float, b: float) -> float:
        return rounded(Fraction(a) / Fraction(b), self.mode)

    def sqrt(self, a: float) -> float:
        near = math.sqrt(a)                 # correctly rounded to nearest
        square, exact = Fraction(near) ** 2, Fraction(a)
        if self.mode == NEAREST or square == exact:
            return near
        if self.mode in (TOWARD_ZERO, DOWNWARD):
            return math.nextafter(near, 0.0) if square > exact else near
        return math.nextafter(near, math.inf) if square < exact else near


def job_result(seed: float, mode: int, steps: int, iters: int) -> float:
    """float_threads.run's computation, operation for operation."""
    f = Arithmetic(mode)
    x, s = seed, 0.0
    for k in range(1, steps + 1):
        for _ in range(iters):
            x = f.mul(f.mul(3.9, x), f.sub(1.0, x))                  # x = 3.9 * x * (1.0 - x)
            s = f.add(s, f.div(f.sqrt(x), f.add(x, float(k))))      # s += sqrt(x) / (x + f64(k))
    return f.add(s, x)


def test_rounding_model_agrees_with_the_host_in_nearest_mode() -> None:
    f = Arithmetic(NEAREST)
    for a, b in [(0.1, 0.2), (1.0, 3.0), (3.9, 0.123), (1e-300, 7.0)]:
        assert (f.add(a, b), f.sub(a, b), f.mul(a, b), f.div(a, b), f.sqrt(a)) == (a + b, a - b, a * b, a / b,
                                                                                   math.sqrt(a))
    for exact in (Fraction(1, 3), Fraction(2, 3), Fraction(1, 10)):     # 1/3 rounds down to nearest, 2/3 up
        down, up = rounded(exact, DOWNWARD), rounded(exact, UPWARD)
        assert Fraction(down) < exact < Fraction(up) and math.nextafter(down, math.inf) == up
        assert rounded(exact, TOWARD_ZERO) == down and rounded(-exact, TOWARD_ZERO) == -down
        assert rounded(-exact, DOWNWARD) == -up


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    elf = tmp_path_factory.mktemp("float") / "float_threads.elf"
    r = run_kaa("build", "tests/kernel/float_threads.py", "-o", str(elf))
    assert r.returncode == 0, r.stdout + r.stderr
    return elf


def test_only_f64_code_touches_xmm_registers(image: Path) -> None:
    """Interrupt handlers, the scheduler and the rest of the kernel are compiled on
    general registers: in the image, only the test program's functions use XMM."""
    listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(image)], capture_output=True, text=True,
                             check=True).stdout
    users, function = set(), ""
    for line in listing.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            function = m.group(1)
        elif "%xmm" in line:
            users.add(function)
    assert users, "the program computes with f64: some function must use XMM registers"
    assert all(name.startswith("float_threads__") for name in users), sorted(users)


def sse_objects(elf: Path) -> int:
    """Bytes in the image's kaa_sse section: one per object compiled with SSE."""
    symbols = subprocess.run(["nm", str(elf)], capture_output=True, text=True, check=True).stdout
    where = {name: int(value, 16) for value, _kind, name in (ln.split() for ln in symbols.splitlines()
                                                              if len(ln.split()) == 3)}
    return where["__kaa_sse_end"] - where["__kaa_sse_start"]


def test_the_kernel_knows_whether_the_image_uses_sse(image: Path, tmp_path: Path) -> None:
    """An image without f64 skips the SSE control instructions at boot and in every
    switch (KVM's instruction emulator, which kvm_pvm runs guests on, has none of them)."""
    assert sse_objects(image) == 1                  # float_threads.c alone
    hello = tmp_path / "hello.elf"
    r = run_kaa("build", "examples/hello.py", "-o", str(hello))
    assert r.returncode == 0, r.stdout + r.stderr
    assert sse_objects(hello) == 0


def test_float_threads_get_cpythons_bits(image: Path) -> None:
    r = run_kaa("run", str(image), "--smp", "2", "--timeout", "120")
    out = after_banner(r.stdout, r.stderr)
    text = "\n".join(out) + r.stderr
    assert r.returncode == 0, text                  # 101 with "invalid opcode" if SSE were off on a CPU
    steps, iters = map(int, re.fullmatch(r"steps (\d+) iter (\d+)", out[0]).groups())  # type: ignore[union-attr]
    jobs = [JOB.match(line) for line in out[1:6]]
    assert all(jobs), text
    modes = set()
    for m in jobs:
        assert m is not None
        mode, seed = int(m["mode"], 16), from_bits(m["seed"])
        modes.add((int(m["cpu"]), mode))
        want = job_result(seed, mode, steps, iters)
        assert m["result"] == to_bits(want), f"job {m['i']} (mode {mode:#x}): {text}"
        for other in (NEAREST, TOWARD_ZERO, UPWARD):  # the job would show a step in another mode
            assert other == mode or job_result(seed, other, steps, iters) != want
        assert int(m["mxcsr"], 16) == mode, text    # its own rounding mode, after all the switches
        assert m["fcw"] == ("027f" if m["i"] == "0" else "037f"), text
        assert (m["start_mxcsr"], m["start_fcw"]) == ("1f80", "037f"), text     # what a new thread starts with
        assert int(m["switched"]) >= steps // 2, text   # other threads ran between its steps
    assert {(0, TOWARD_ZERO), (1, UPWARD), (0, NEAREST), (1, NEAREST)} <= modes
    ticks = re.fullmatch(r"timer interrupts cpu0 (\d+) cpu1 (\d+)", out[6])
    assert ticks and int(ticks[1]) > 0 and int(ticks[2]) > 0, text
    assert out[7] == "main mxcsr 1f80 fcw 037f", text
