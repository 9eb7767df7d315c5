"""The C the compiler emits for small programs, compared with the expected text.

As in mypyc's tests, a change in code generation shows up here as a readable diff.
After an intended change, regenerate with KAA_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kaa.compiler import compile_program

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "c_golden"


@pytest.mark.parametrize("src", [pytest.param(p, id=p.stem) for p in sorted(GOLDEN.glob("*.py"))])
def test_emitted_c(src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = compile_program(src, target="host")
    name = "service_main_module.c" if "service_main_module.c" in files else f"{src.stem}.c"   # a service program
    c = files[name].replace(str(ROOT), "<ROOT>")
    expected = src.with_suffix(".c")
    if os.environ.get("KAA_UPDATE_GOLDEN"):
        expected.write_text(c)
    assert c == expected.read_text()
