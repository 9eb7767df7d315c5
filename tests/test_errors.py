"""Rejected programs: each tests/errors/NAME.py must fail to build with a clear message.

A line that must be reported carries a trailing comment `# E: TEXT` (as in mypy's test
data); the compiler must print, on stderr,

    tests/errors/NAME.py:LINE:COL: error: ...TEXT...
        the source line
        ^ a caret under the offending column

exit with status 1 and never show a Python traceback. Files hold one offending line
each, so a compiler that stops at the first error still reports everything expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ERRORS = sorted((ROOT / "tests" / "errors").glob("*.py"))
EXPECT = re.compile(r"#\s*E:\s*(?P<text>.+?)\s*$")
CARET = re.compile(r"[ \t|]*\^[\^~]*[ \t]*")


def expectations(path: Path) -> list[tuple[int, str, str]]:
    """(line number, expected message text, source line) for each `# E:` comment."""
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        m = EXPECT.search(line)
        if m:
            found.append((number, m.group("text"), line))
    return found


def error_lines(stderr: str, rel: str) -> list[tuple[int, int]]:
    """(index in stderr lines, source line number) of every `REL:LINE:COL: error:` line."""
    pattern = re.compile(rf"^{re.escape(rel)}:(\d+):\d+: error: ")
    found = []
    for i, line in enumerate(stderr.splitlines()):
        m = pattern.match(line)
        if m:
            found.append((i, int(m.group(1))))
    return found


def test_every_error_file_expects_an_error() -> None:
    assert ERRORS, "no programs in tests/errors"
    assert not [p.name for p in ERRORS if not expectations(p)]


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in ERRORS])
def test_error(path: Path, kaa, tmp_path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    result = kaa("build", rel, "--target", "host", "-o", str(tmp_path / "x"))
    stderr = result.stderr
    assert "Traceback" not in stderr, stderr
    assert result.returncode == 1, f"exit status {result.returncode}\n{stderr}"
    lines = stderr.splitlines()
    expected = expectations(path)
    reported = error_lines(stderr, rel)
    assert reported, f"no '{rel}:LINE:COL: error:' line in:\n{stderr}"
    # Later errors may cascade from the first one; the first must be an expected one.
    assert reported[0][1] in {number for number, _, _ in expected}, stderr
    for number, text, source in expected:
        pattern = re.compile(rf"^{re.escape(rel)}:{number}:\d+: error: .*{re.escape(text)}")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        assert hits, f"line {number}: expected an error containing {text!r} in:\n{stderr}"
        i = hits[0]
        assert i + 2 < len(lines), f"no source line and caret after:\n{lines[i]}"
        shown, caret = lines[i + 1], lines[i + 2]
        assert source.strip() in shown, f"source line not shown:\n{stderr}"
        assert CARET.fullmatch(caret), f"no caret line under the source:\n{stderr}"
        column = caret.index("^")
        assert column < len(shown) and not shown[column].isspace(), (
            f"caret points at nothing:\n{shown}\n{caret}"
        )


# The constructs the error files reject, written the way Kaa Python allows.
VALID = '''\
from kaa.lang import *


@struct
class Point:
    x: i32
    y: i32


def norm(p: Ptr[Point]) -> i32:
    return p.x + p.y


def sub(a: i32, b: i32) -> i32:
    return a - b


def main() -> i32:
    p = Point(x=1, y=2)
    q: Ptr[Point] = None
    n: i32 = 10
    half = n // 2
    big: u32 = 1000
    small: u8 = u8(big)
    a: u64 = 1
    b: i64 = 2
    c = i64(a) + b
    x = 1
    y = 2
    x, y = y, x
    if q is None:
        print(f"x={x} {half:>4} {small:02x} {c}", norm(addr(p)), sub(3, 1))
    return 0
'''


def test_valid_program_has_no_error(kaa, tmp_path: Path) -> None:
    source = tmp_path / "valid.py"
    source.write_text(VALID)
    result = kaa("build", str(source), "--target", "host", "-o", str(tmp_path / "valid"))
    assert "error:" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
