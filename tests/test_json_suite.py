"""JSONTestSuite (github.com/nst/JSONTestSuite, MIT; tests/data/JSONTestSuite) through the
runtime's json.loads, loaded with ctypes (tests/pyrt): each file's bytes, as
json.loads(bytes) takes them.

  y_  must be accepted, with CPython's value;
  n_  must be rejected as CPython rejects them: JSONDecodeError, or UnicodeDecodeError for
      the files that are not UTF-8, RecursionError for the deepest; CPython accepts three
      of them (NaN, Infinity and -Infinity are JSON to CPython), listed in N_ACCEPTED;
  i_  (the RFC leaves them to the parser) the same outcome as CPython's.
Outcomes are compared whole: the value (floats by repr, dict order), or the exception's
type, message and JSONDecodeError fields. CPython's side runs in a child process at its
module's top level, where its RecursionError comes at the depth the runtime mirrors.
"""

from __future__ import annotations

import ctypes
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pyrt.conftest import build_runtime
from pyrt.json_helpers import JsonRT, runtime_outcome

SUITE = Path(__file__).resolve().parent / "data" / "JSONTestSuite"
FILES = sorted(p.name for p in SUITE.glob("*.json"))
N_ACCEPTED = {"n_number_NaN.json", "n_number_infinity.json", "n_number_minus_infinity.json"}

CPYTHON = r"""
import json, pickle, sys
sys.path.insert(0, sys.argv[2])
from json_helpers import canon, cpython_exception
out = {}
for name in sys.argv[3:]:
    with open(sys.argv[1] + "/" + name, "rb") as f:
        data = f.read()
    try:
        value = json.loads(data)        # called from the top level: no frame of ours in between
    except Exception as e:
        out[name] = cpython_exception(e)
    else:
        sys.setrecursionlimit(20000)    # canon() and pickle recurse into nested values
        out[name] = ("ok", canon(value))
        sys.setrecursionlimit(1000)
sys.setrecursionlimit(20000)
sys.stdout.buffer.write(pickle.dumps(out))
"""


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return JsonRT(ctypes.CDLL(str(build_runtime(tmp_path_factory.mktemp("pyrt")))))


@pytest.fixture(scope="module")
def cpython():
    helpers = Path(__file__).resolve().parent / "pyrt"
    r = subprocess.run([sys.executable, "-c", CPYTHON, str(SUITE), str(helpers), *FILES], capture_output=True,
                       check=True)
    return pickle.loads(r.stdout)


@pytest.fixture(scope="module")
def deep_recursion():
    """The helpers convert nested values (500 levels in i_structure_500_nested_arrays) recursively."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20000)
    yield
    sys.setrecursionlimit(limit)


def test_suite_is_there():
    assert len(FILES) == 318 and (SUITE / "LICENSE").exists()


@pytest.mark.parametrize("name", FILES)
def test_case(rt, cpython, deep_recursion, name):
    want = cpython[name]
    got = runtime_outcome(rt, rt.loads, (SUITE / name).read_bytes())
    assert got == want
    if name.startswith("y_"):
        assert got[0] == "ok"
    elif name.startswith("n_"):
        assert (got[0] == "ok") == (name in N_ACCEPTED)
        if got[0] == "raise":
            assert got[1] in ("JSONDecodeError", "UnicodeDecodeError", "RecursionError")
