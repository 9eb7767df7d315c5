"""mypy understands Kaa modules: kaa/lang.py (stubs) and kaa/mypy_plugin.py, with the
[tool.mypy] settings of pyproject.toml.

Valid programs (examples/, tests/lang/, the kernel) check clean apart from the listed
limits of mypy; a wrong program gets the errors a user would want; kaa/lang.py declares
every name the compiler knows, with the compiler's intrinsic signatures.
"""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

from kaa import lang
from kaa.compiler import check, declare, resolve, types
from kaa.compiler.calls import GENERIC_TYPES

ROOT = Path(__file__).resolve().parent.parent

# What mypy cannot be taught, as (file, message) pairs; each names the Kaa rule it misses.
KNOWN = {
    # A b"..." literal is `bytes` to mypy, which cannot be made a Slice[u8] (Bytes).
    ("tests/lang/strings.py", 'Incompatible types in assignment (expression has type "bytes", variable has type "Slice[int]")'),
    ("tests/lang/slices.py", 'Incompatible types in assignment (expression has type "bytes", variable has type "Slice[int]")'),
    ("tests/lang/bytes_literal.py", 'Incompatible types in assignment (expression has type "bytes", variable has type "Slice[int]")'),
    ("tests/lang/bytes_literal.py", 'Incompatible return value type (got "bytes", expected "Slice[int]")'),
    ("tests/lang/bytes_literal.py", 'Unsupported target for indexed assignment ("bytes")'),
    ("examples/http_api.py", 'Argument 4 to "send_bytes" has incompatible type "bytes"; expected "Slice[int]"'),
    # A local first assigned a literal is a `str`, which has no .bytes() (a Str does).
    ("tests/lang/strings.py", '"str" has no attribute "bytes"'),
    # A @naked function returns from its asm; mypy sees no return statement.
    ("tests/lang/intrinsics_kvm.py", "Missing return statement"),
    # The host platform declares the C library's free(), which shadows kaa.lang's for the
    # compiler; mypy keeps the imported one.
    ("kernel/platform/host.py", 'Name "free" already defined (possibly by an import)'),
    # A struct field named like a module (`tcp: Ptr[tcp.Connection]`) hides the module in
    # the rest of the class body for mypy; Kaa resolves annotations at module level.
    ("kernel/net/tcp_server.py", 'Name "tcp.Failure" is not defined'),
}

ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<msg>.*?)(  \[[a-z-]+\])?$")


def run_mypy(cache: Path, *args: str) -> list[tuple[str, int, str]]:
    """mypy's errors as (file, line, message), run from the checkout so its config applies."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        out, err, _status = mypy_api.run(["--cache-dir", str(cache), "--no-error-summary",
                                          "--hide-error-context", "--no-pretty", *args])
    finally:
        os.chdir(here)
    assert not err, err
    errors = []
    for line in out.splitlines():
        m = ERROR.match(line)
        if m:
            errors.append((m["file"], int(m["line"]), m["msg"]))
    assert errors or not out.strip(), out          # anything unparsed is a crash or a usage error
    return errors


def unexpected(errors: list[tuple[str, int, str]], *checked: str) -> list[str]:
    """Errors outside KNOWN, and KNOWN entries for the checked folders that no longer
    occur (so the list shrinks when a limit goes away)."""
    seen = {(f, msg) for f, _n, msg in errors}
    stale = [f"stale KNOWN entry: {k}" for k in sorted(KNOWN - seen) if k[0].startswith(checked)]
    return [f"{f}:{n}: {msg}" for f, n, msg in errors if (f, msg) not in KNOWN] + stale


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy_cache")


def test_programs_check_clean(cache: Path) -> None:
    files = sorted(p.relative_to(ROOT).as_posix() for p in [*ROOT.glob("examples/*.py"), *ROOT.glob("tests/lang/*.py")])
    assert "examples/hello.py" in files and "tests/lang/structs.py" in files
    assert unexpected(run_mypy(cache, *files), "examples/", "tests/lang/") == []


def test_kernel_checks_clean(cache: Path) -> None:
    assert unexpected(run_mypy(cache, "-p", "kernel"), "kernel/") == []


def test_kernel_level_service_libraries_check_clean(cache: Path) -> None:
    """kaa.http (the HTTP machinery services use) and kaa.web's kernel-level bridge."""
    assert unexpected(run_mypy(cache, "-p", "kaa.http", "-m", "kaa.web.bridge"), "kaa/") == []


WRONG = '''\
from kaa.lang import *


@struct
class Point:
    x: i32
    y: i32


def area(p: Ptr[Point]) -> i32:
    return p.x * p.yy                               # 11


def main() -> i32:
    outb(0x3f8)                                     # 15
    q = Point(x=1, z=2)                             # 16
    r = Point(x=1)                                  # the other fields are zero: fine
    v: u8 = inb(0x60)
    n: usize = addr(q)                              # 19
    buf: Array[u8, 16]
    buf[0] = addr(v)                                # 21
    lenght = len(buf)
    print(length)                                   # 23
    w = Writer(buf=addr(buf[0]), cap=16)
    w.write(f"{v}")
    w.wirte("x")                                    # 26
    with irq_disabled():
        hlt()
    return r.x + area(addr(q)) + rdtsc(1)           # 29
'''


def test_wrong_program_gets_errors(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "wrong.py"
    src.write_text(WRONG)
    got = {(n, msg) for _f, n, msg in run_mypy(cache, str(src))}
    assert got == {
        (11, '"Point" has no attribute "yy"'),
        (15, 'Missing positional argument "value" in call to "outb"'),
        (16, 'Unexpected keyword argument "z" for "Point"'),
        (19, 'Incompatible types in assignment (expression has type "Ptr[Point]", variable has type "int")'),
        (21, 'Incompatible types in assignment (expression has type "Ptr[int]", target has type "int")'),
        (23, 'Name "length" is not defined; did you mean "lenght"?'),
        (26, '"Writer" has no attribute "wirte"; maybe "write"?'),
        (29, 'Too many arguments for "rdtsc"'),
    }


def test_lang_itself_checks_clean(cache: Path) -> None:
    assert run_mypy(cache, "-m", "kaa.lang") == []


# ---- kaa/lang.py names what the compiler knows ---------------------------------------
PYTHON_BUILTINS = {"print", "len", "bool", "range", "int"}


def test_lang_declares_every_compiler_name() -> None:
    known = (set(check.INTRINSICS) | check.SPECIAL_CALLS | set(check.CONTEXT_ONLY) | declare.DECORATORS
             | set(resolve.BUILTIN_STRUCTS) | set(GENERIC_TYPES) | set(types.INT_TYPES) | {"Bytes", "Str"})
    missing = sorted(known - PYTHON_BUILTINS - set(lang.__all__))
    assert missing == []
    for name in lang.__all__:
        assert hasattr(lang, name), name


@pytest.mark.parametrize("name", sorted(check.INTRINSICS))
def test_intrinsic_signature_matches_compiler(name: str) -> None:
    params, ret = check.INTRINSICS[name]
    sig = inspect.signature(getattr(lang, name))
    assert [p.annotation for p in sig.parameters.values()] == [t.name() for t in params]
    assert sig.return_annotation == ret.name()
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in sig.parameters.values())


def test_intrinsics_do_not_run_on_cpython() -> None:
    with pytest.raises(RuntimeError, match="kaa build"):
        lang.outb(0x3F8, 65)
