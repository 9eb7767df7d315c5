"""mypy_extensions.i64 at the service level follows mypyc, not CPython (where i64 is a
plain int): arithmetic wraps at 64 bits, a conversion from an int past 64 bits raises
ValueError, `//` of INT64_MIN by -1 raises OverflowError. tests/py/int_i64.py checks
the in-range behaviour against CPython; this checks what only a fixed width does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = '''from mypy_extensions import i64

x: i64 = 2 ** 62
print(x * 4, x + x, -x - x - 1, (x * 2) // 2)
for value in (2 ** 70, -(2 ** 63) - 1):
    try:
        print(i64(value))
    except ValueError as e:
        print("ValueError:", e)
low: i64 = -(2 ** 63)
try:
    print(low // -1)
except OverflowError as e:
    print("OverflowError:", e)
'''


def test_i64_wraps_and_checks_as_mypyc(tmp_path: Path) -> None:
    prog = tmp_path / "wrap.py"
    prog.write_text(PROGRAM)
    exe = tmp_path / "wrap"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "--debug", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    wrapped = [((2 ** 62 * 4 + 2 ** 63) % 2 ** 64) - 2 ** 63, ((2 ** 63 + 2 ** 63) % 2 ** 64) - 2 ** 63]
    assert r.stdout.splitlines() == [
        f"{wrapped[0]} {wrapped[1]} {2 ** 63 - 1} {-(2 ** 62)}",
        "ValueError: int too large to convert to i64",
        "ValueError: int too large to convert to i64",
        "OverflowError: integer division overflow",
    ]
    assert r.stderr == ""
