"""README's first example (a service in plain Python) prints what CPython prints, built
for the host and booted, so the tour never shows a program Kaa does not run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from guest import after_banner

ROOT = Path(__file__).resolve().parent.parent


def readme_service(tmp_path: Path) -> Path:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"\*\*Write a service in Python\.\*\*.*?```python\n(.*?)```", text, re.S)
    assert block, "README lost its service example"
    prog = tmp_path / "stats.py"
    prog.write_text(block.group(1))
    return prog


def cpython_output(prog: Path) -> str:
    return subprocess.run([sys.executable, str(prog)], capture_output=True, text=True, check=True).stdout


def test_readme_service_on_the_host(tmp_path: Path) -> None:
    prog = readme_service(tmp_path)
    exe = tmp_path / "stats"
    subprocess.run([sys.executable, "-m", "kaa", "build", str(prog), "--target", "host", "--debug", "-o", str(exe)],
                   cwd=ROOT, check=True, capture_output=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    assert (r.returncode, r.stdout, r.stderr) == (0, cpython_output(prog), "")


@pytest.mark.booted
def test_readme_service_booted(tmp_path: Path) -> None:
    prog = readme_service(tmp_path)
    r = subprocess.run([sys.executable, "-m", "kaa", "run", str(prog), "--debug", "--timeout", "60"],
                       cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    assert after_banner(r.stdout, r.stderr) == cpython_output(prog).splitlines()
