"""kernel/cmdline.py: key=value options from the command line, on the host and booted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["port=8080", "mask=0xff00", "neg=-12", "bad=12x", "name=kaa", "verbose", "empty="]
EXPECTED = [
    f"[{' '.join(ARGS)}] 7 options",
    "port=8080 mask=65280 neg=-12 bad=7 none=9",
    "name=[kaa] verbose=True quiet=False empty=[] has_empty=True",
]


def test_options_on_the_host(tmp_path: Path) -> None:
    exe = kbuild.build(ROOT / "tests" / "host" / "cmdline_opts.py", tmp_path / "opts", target="host")
    assert subprocess.run([str(exe), *ARGS], capture_output=True, text=True).stdout.splitlines() == EXPECTED
    empty = subprocess.run([str(exe)], capture_output=True, text=True).stdout.splitlines()
    assert empty[0] == "[] 0 options" and empty[1] == "port=-1 mask=-1 neg=0 bad=7 none=9"


@pytest.mark.booted
def test_options_booted(kaa) -> None:
    r = kaa("run", "tests/host/cmdline_opts.py", "--timeout", "60", "--", *ARGS)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[lines.index(next(ln for ln in lines if ln.startswith("Kaa "))) + 1:] == EXPECTED
