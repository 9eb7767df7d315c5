"""Rejected programs: each tests/errors/NAME.py must fail to build with a clear message.

A line that must be reported carries a trailing comment `# E: TEXT` (as in mypy's test
data); the compiler must print, on stderr,

    tests/errors/NAME.py:LINE:COL: error: ...TEXT...
        the source line
        ^ a caret under the offending column

followed by a `note:` line saying what to write instead. A second comment after the
first, `# N: TEXT`, requires that note to contain TEXT; `# no note` marks the rare error
with nothing useful to suggest, whose report must then have no note. The compiler must
exit with status 1 and never show a Python traceback. Files hold one offending line
each, so a compiler that stops at the first error still reports everything expected.
Files are read as bytes decoded with replacement characters: one is not valid UTF-8.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ERRORS = sorted((ROOT / "tests" / "errors").glob("*.py"))
EXPECT = re.compile(r"#\s*E:\s*(?P<text>.+?)(?:\s+#\s*(?:N:\s*(?P<note>.+?)|(?P<no_note>no note)))?\s*$")
CARET = re.compile(r"[ \t|]*\^[\^~]*[ \t]*")


@dataclass
class Expected:
    line: int
    text: str
    source: str
    note: str | None        # text the note must contain ("" for any note)


def source_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def expectations(path: Path) -> list[Expected]:
    """What each `# E:` comment expects."""
    found = []
    for number, line in enumerate(source_text(path).splitlines(), start=1):
        m = EXPECT.search(line)
        if m:
            note = None if m.group("no_note") else (m.group("note") or "")
            found.append(Expected(number, m.group("text"), line, note))
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
    assert reported[0][1] in {x.line for x in expected}, stderr
    for x in expected:
        pattern = re.compile(rf"^{re.escape(rel)}:{x.line}:\d+: error: .*{re.escape(x.text)}")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        assert hits, f"line {x.line}: expected an error containing {x.text!r} in:\n{stderr}"
        i = hits[0]
        assert i + 2 < len(lines), f"no source line and caret after:\n{lines[i]}"
        shown, caret = lines[i + 1], lines[i + 2]
        assert x.source.strip() in shown, f"source line not shown:\n{stderr}"
        assert CARET.fullmatch(caret), f"no caret line under the source:\n{stderr}"
        column = caret.index("^")
        assert column < len(shown) and not shown[column].isspace(), (
            f"caret points at nothing:\n{shown}\n{caret}"
        )
        note = lines[i + 3] if i + 3 < len(lines) and lines[i + 3].startswith("note: ") else None
        if x.note is None:
            assert note is None, f"marked '# no note', but the compiler gives one:\n{stderr}"
        else:
            assert note is not None, f"no 'note:' line saying what to write instead:\n{stderr}"
            assert x.note in note, f"line {x.line}: expected a note containing {x.note!r}:\n{stderr}"


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
