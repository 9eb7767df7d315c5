"""The build pipeline: caching, debug line info, targets, and lang.py under CPython."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from kaa import build as kbuild
from kaa.symbolize import Symbolizer

ROOT = Path(__file__).resolve().parent.parent


def test_unchanged_rebuild_runs_no_gcc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAA_CACHE", str(tmp_path / "cache"))
    app = ROOT / "examples" / "hello.py"
    first = kbuild.build(app)

    def no_tools(cmd: list[str], what: str) -> None:
        raise AssertionError(f"rebuild ran {cmd[0]} ({what})")

    monkeypatch.setattr(kbuild, "_run", no_tools)
    assert kbuild.build(app) == first


def test_changed_source_rebuilds_only_its_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAA_CACHE", str(tmp_path / "cache"))
    app = tmp_path / "app.py"
    app.write_text("from kaa.lang import *\n\n\ndef main() -> i32:\n    return 1\n")
    kbuild.build(app, target="host")
    compiled: list[str] = []
    real_run = kbuild._run
    monkeypatch.setattr(kbuild, "_run", lambda cmd, what: (compiled.append(what), real_run(cmd, what)))
    app.write_text("from kaa.lang import *\n\n\ndef main() -> i32:\n    return 2\n")
    exe = kbuild.build(app, target="host")
    assert compiled == ["compiling app.c", "linking"]
    assert subprocess.run([str(exe)]).returncode == 2


def test_debug_info_points_at_python_lines(tmp_path: Path) -> None:
    """#line directives: addresses map back to the .py file and line, as gdb shows them."""
    exe = kbuild.build(ROOT / "tests" / "lang" / "recursion.py", tmp_path / "rec", target="host", opt=0)
    nm = subprocess.run(["nm", str(exe)], capture_output=True, text=True, check=True).stdout
    addr = next(line.split()[0] for line in nm.splitlines() if line.endswith(" recursion__main"))
    where = Symbolizer(exe).line(int(addr, 16))     # the DWARF line table, read with pyelftools
    assert where is not None
    file, line = where
    src = (ROOT / "tests" / "lang" / "recursion.py").read_text().splitlines()
    assert file.endswith("tests/lang/recursion.py")
    assert src[line - 1].startswith("def main()")


def test_kernel_image_has_pvh_note(tmp_path: Path) -> None:
    image = kbuild.build(ROOT / "examples" / "hello.py", tmp_path / "hello.elf")
    notes = subprocess.run(["readelf", "-n", "-l", str(image)], capture_output=True, text=True).stdout
    assert "NOTE" in notes and "Xen" in notes
    assert "0x00000012" in notes or "Unknown note type: (0x00000012)" in notes


SECTION_APP = """\
from kaa.lang import *


@section(".kaa_probe")
def probe() -> i32:
    return 7


def main() -> i32:
    print(probe())
    return 0
"""


def test_section_places_function(tmp_path: Path) -> None:
    """@section(".name"): the function lands in that section (an orphan section the host
    linker keeps by name, unlike .text.* which it merges into .text) and still runs."""
    app = tmp_path / "sect.py"
    app.write_text(SECTION_APP)
    exe = kbuild.build(app, tmp_path / "sect", target="host")
    table = subprocess.run(["objdump", "-t", str(exe)], capture_output=True, text=True, check=True).stdout
    row = next(line for line in table.splitlines() if line.endswith(" sect__probe"))
    assert ".kaa_probe" in row.split(), row
    main_row = next(line for line in table.splitlines() if line.endswith(" sect__main"))
    assert ".kaa_probe" not in main_row.split(), main_row
    assert subprocess.run([str(exe)], capture_output=True, text=True).stdout == "7\n"


KAA_MODULES = sorted(p for p in (ROOT / "kernel").rglob("*.py")) + sorted((ROOT / "examples").glob("*.py")) + \
    sorted((ROOT / "kaa" / "http").glob("*.py")) + [ROOT / "kaa" / "web" / "bridge.py"]


@pytest.mark.parametrize("path", [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in KAA_MODULES])
def test_kaa_modules_import_under_cpython(path: Path) -> None:
    """kaa/lang.py gives every name a Kaa module uses a meaning CPython accepts."""
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    sys.path.insert(0, str(ROOT))
    try:
        importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT))
