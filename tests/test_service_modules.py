"""A service in several modules: what the compiler rejects, with file:line:col, the
offending line and a note (the programs that work are tests/py/multi_module*.py, run
three ways against CPython)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return subprocess.run([sys.executable, "-m", "kaa", "build", "main.py", "--target", "host",
                           "-o", str(tmp_path / "main")], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def cpython(tmp_path: Path) -> str:
    return subprocess.run([sys.executable, "main.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=30).stderr.strip().splitlines()[-1]


CASES = {
    "cycle": ({"main.py": "import a\n", "a.py": "import b\nX = 1\n", "b.py": "from a import X\n"},
              "b.py:1:1: error: circular import: a -> b -> a", "move what the modules share",
              "ImportError: cannot import name 'X' from partially initialized module 'a'"),
    "missing_name": ({"main.py": "from m import nothing\n", "m.py": "x = 1\n"},
                     "main.py:1:1: error: cannot import name 'nothing' from 'm' (m.py)", "defines no class",
                     "ImportError: cannot import name 'nothing' from 'm'"),
    "missing_attribute": ({"main.py": "import m\n\nprint(m.nothing)\n", "m.py": "x = 1\n"},
                          "main.py:3:7: error: module 'm' has no attribute 'nothing'", "defines no class",
                          "AttributeError: module 'm' has no attribute 'nothing'"),
    "relative_in_main": ({"main.py": "from . import m\n", "m.py": "x = 1\n"},
                         "main.py:1:1: error: attempted relative import with no known parent package",
                         "absolute name",
                         "ImportError: attempted relative import with no known parent package"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rejected_imports(case: str, tmp_path: Path) -> None:
    files, error, note, cpython_error = CASES[case]
    r = build(tmp_path, files)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].endswith(error), r.stderr
    assert "Traceback" not in r.stderr
    assert any(ln.startswith("note:") and note in ln for ln in lines), r.stderr
    # CPython rejects the same program, at run time, with the same words
    assert cpython(tmp_path).startswith(cpython_error)


def test_a_module_imported_twice_runs_once_before_its_importers(tmp_path: Path) -> None:
    """Modules are found beside main.py; a module two others import is one module:
    and its code runs once, before the importer's, however many modules import it."""
    files = {"main.py": "import a\nimport b\nprint('main', a.n, b.n)\n",
             "a.py": "import c\nn = c.n + 1\nprint('a')\n", "b.py": "from c import n as m\nn = m + 2\nprint('b')\n",
             "c.py": "n = 40\nprint('c')\n"}
    r = build(tmp_path, files)
    assert r.returncode == 0, r.stdout + r.stderr
    want = subprocess.run([sys.executable, "main.py"], cwd=tmp_path, capture_output=True, text=True).stdout
    got = subprocess.run([str(tmp_path / "main")], capture_output=True, text=True, timeout=30).stdout
    assert got == want
