"""Load the service-level runtime (kaa/pyrt/*.c) into CPython with ctypes.

The library is built once per session from every runtime file plus shim.c (the
platform: libc's allocator, console output captured for tests to read). Tests call
runtime functions directly and compare their results with CPython's.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYRT = ROOT / "kaa" / "pyrt"


class KFormatSpec(ctypes.Structure):
    """object.h's KFormatSpec, for calling the format functions directly."""
    _fields_ = [("fill", ctypes.c_uint32), ("align", ctypes.c_char), ("sign", ctypes.c_char),
                ("alternate", ctypes.c_bool), ("zero", ctypes.c_bool), ("width", ctypes.c_int64),
                ("grouping", ctypes.c_char), ("precision", ctypes.c_int64), ("type", ctypes.c_char)]


def build_runtime(out_dir: Path) -> Path:
    shutil.copyfile(ROOT / "kaa" / "compiler" / "runtime.h", out_dir / "kaa_rt.h")
    sources = sorted(PYRT.glob("*.c")) + [Path(__file__).with_name("shim.c")]
    lib = out_dir / "libkaapyrt.so"
    subprocess.run(["gcc", "-O1", "-g", "-shared", "-fPIC", "-std=gnu11", "-fwrapv", "-fno-strict-aliasing", "-fno-math-errno",
                    "-D__kaa_host__", "-DKAA_TEST_SHIM", "-I", str(out_dir), "-I", str(PYRT),
                    *map(str, sources), "-o", str(lib)], check=True, capture_output=False)
    return lib


@pytest.fixture(scope="session")
def pyrt(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    return ctypes.CDLL(str(build_runtime(tmp_path_factory.mktemp("pyrt"))))


@pytest.fixture
def live(pyrt: ctypes.CDLL):
    """Checks that a test leaves no runtime object alive (the runtime's k_live count)."""
    count = ctypes.c_int64.in_dll(pyrt, "k_live")
    start = count.value
    yield
    assert count.value == start, "leaked runtime objects"
