"""json.dumps and json.loads in the runtime (kaa/pyrt/json.c, json_decode.c) against
CPython's json module.

Every case runs in both: the outcomes (the value, or the exception's type, message and,
for JSONDecodeError, msg/doc/pos/lineno/colno) must be equal, and the runtime must leave
no object alive. Values and options come from hypothesis; text for loads is JSON-like
(valid documents, their mutations, and strings over JSON's own characters), bytes are
those documents in every encoding detect_encoding knows, mutated, and random bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from .json_helpers import JsonRT, RuntimeValue, cpython_outcome, runtime_outcome

# KAA_JSON_EXAMPLES=5000 for a longer search
SETTINGS = settings(max_examples=int(os.environ.get("KAA_JSON_EXAMPLES", "400")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def rt(pyrt):
    return JsonRT(pyrt)


@pytest.fixture(autouse=True)
def cpython_digit_limit():
    """CPython's default int/str limit, as the runtime's (other tests may change it)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)
    yield
    sys.set_int_max_str_digits(limit)


def check_dumps(rt: JsonRT, obj, **opts) -> None:
    assert runtime_outcome(rt, rt.dumps, obj, **opts) == cpython_outcome(json.dumps, obj, **opts)


def check_loads(rt: JsonRT, s) -> None:
    assert runtime_outcome(rt, rt.loads, s) == cpython_outcome(json.loads, s)


# ---- values ----

SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
text = st.one_of(st.text(max_size=12),
                 st.text(alphabet=st.one_of(st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\x80é€😀 a'), SURROGATES),
                         max_size=12))
ints = st.one_of(st.integers(-1000, 1000), st.integers(), st.integers(-(10 ** 40), 10 ** 40),
                 st.sampled_from([2 ** 62 - 1, 2 ** 62, -(2 ** 62), -(2 ** 62) - 1, 2 ** 63, -(2 ** 64)]))
floats = st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 1e16, 1e-7, 1e22, 5e-324, 1.7976931348623157e308]))
scalars = st.one_of(st.none(), st.booleans(), ints, floats, text)
keys = st.one_of(text, ints, floats, st.booleans(), st.none())


def containers(children):
    return st.one_of(st.lists(children, max_size=5), st.lists(children, max_size=4).map(tuple),
                     st.dictionaries(keys, children, max_size=5))


values = st.recursive(scalars, containers, max_leaves=25)
json_values = st.recursive(st.one_of(st.none(), st.booleans(), ints, floats, text),
                           lambda c: st.one_of(st.lists(c, max_size=5), st.dictionaries(text, c, max_size=5)),
                           max_leaves=25)

options = st.fixed_dictionaries({}, optional={
    "indent": st.one_of(st.none(), st.integers(-2, 4), st.sampled_from(["", "\t", "ab", " é"])),
    "separators": st.one_of(st.none(), st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : "), ("", ""),
                                                        (";é", "=")])),
    "sort_keys": st.booleans(),
    "ensure_ascii": st.booleans(),
    "allow_nan": st.booleans(),
    "skipkeys": st.booleans(),
    "check_circular": st.booleans(),
})


@SETTINGS
@given(values, options)
def test_dumps(rt, obj, opts):
    check_dumps(rt, obj, **opts)


@SETTINGS
@given(st.recursive(st.one_of(scalars, st.just(bytearray(b"x")), st.just(b"x"), st.tuples(st.integers())),
                    containers, max_leaves=10), options)
def test_dumps_unserializable(rt, obj, opts):
    """Values of other types, and tuple keys: TypeError (or skipped keys)."""
    if isinstance(obj, dict):
        obj = {**obj, (1, 2): 3}
    check_dumps(rt, [obj, set()], **opts)


@pytest.mark.parametrize("obj", [
    "", "a\u2028b", "\ud800\udc00", "\udfff", "\U0010ffff", [[[]]], {"": {}}, [1.0, -1e-300, 1e300],
    dict([(1, 1), (1.5, 2), (True, 3), (None, 4), ("1", 5)]), {float("nan"): 1, float("inf"): 2, float("-inf"): 3},
    {3: 1, 1: 2, 2: 3}, {"b": 1, "a": 2, "é": 3, "z": 4}, 10 ** 4299, -(10 ** 4299), [10 ** 4300], {10 ** 4300: 1},
])
@pytest.mark.parametrize("opts", [{}, {"indent": 2}, {"sort_keys": True}, {"ensure_ascii": False},
                                  {"allow_nan": False}, {"indent": 0, "allow_nan": False, "sort_keys": True}])
def test_dumps_cases(rt, obj, opts):
    check_dumps(rt, obj, **opts)


def test_dumps_sort_mixed_keys(rt):
    for opts in ({"sort_keys": True}, {"sort_keys": True, "indent": 1}):
        check_dumps(rt, {"a": 1, 2: 3}, **opts)
        check_dumps(rt, dict([(1, 1), (2.5, 2), (True, 3)]), **opts)    # True is the key 1


def test_dumps_default(rt):
    conv = lambda o: sorted(o) if isinstance(o, set) else {"bytes": o.decode()}
    for obj in ([{3, 1}, b"ab"], {"k": set()}, b"", [[b"x"]]):
        for opts in ({}, {"indent": 2}, {"check_circular": False}):
            assert runtime_outcome(rt, rt.dumps, obj, default=conv, **opts) == \
                cpython_outcome(json.dumps, obj, default=conv, **opts)


def test_dumps_default_raises_and_cycles(rt):
    def bad(o):
        raise TypeError(f"cannot {type(o).__name__}")
    same = lambda o: o
    wrap = lambda o: [o]
    for conv in (bad, same, wrap):
        for opts in ({}, {"indent": 1}):
            assert runtime_outcome(rt, rt.dumps, [b"x"], default=conv, **opts) == \
                cpython_outcome(json.dumps, [b"x"], default=conv, **opts)


def test_dumps_circular(rt):
    """A list that contains itself (built in the runtime): ValueError, as CPython."""
    import ctypes
    for opts in ({}, {"indent": 2}):
        py: list = [1]
        py.append(py)
        want = cpython_outcome(json.dumps, py, **opts)
        before = rt.live.value
        lst = rt.kval([1])
        rt.f("k_list_append")(lst, lst)
        got = runtime_outcome(rt, rt.dumps, RuntimeValue(lst), **opts)
        assert got == want
        ctypes.c_int64.from_address(lst + 16).value = 1      # drop the cycle: the list holds itself no more
        rt.decref(lst)
        rt.decref(lst)
        assert rt.live.value == before


# ---- loads ----

JSONISH = '{}[]",:0123456789.eE+-tfnulrsaINiy \t\n\r\\u/bdDcAF\x00\x1fé€😀\ud800\udc00'
mutation = st.tuples(st.sampled_from(["ins", "del", "rep"]), st.integers(0, 10 ** 6),
                     st.sampled_from(list(JSONISH)))


def mutate(s: str, muts) -> str:
    for kind, pos, ch in muts:
        i = pos % (len(s) + 1)
        if kind == "ins":
            s = s[:i] + ch + s[i:]
        elif s:
            i = min(i, len(s) - 1)
            s = s[:i] + (ch if kind == "rep" else "") + s[i + 1:]
    return s


@st.composite
def documents(draw):
    obj = draw(json_values)
    opts = draw(st.fixed_dictionaries({}, optional={"indent": st.sampled_from([None, 1, "\t"]),
                                                    "ensure_ascii": st.booleans()}))
    return mutate(json.dumps(obj, **opts), draw(st.lists(mutation, max_size=3)))


@SETTINGS
@given(st.one_of(documents(), st.text(alphabet=JSONISH, max_size=30)))
@example('"\\ud800\\u12é"')
@example('"\\ud800\\u0041"')
@example('[1,]')
@example('["ééé\\n", "long enough to read sixteen bytes at a time"]')
@example(' \n [1,\n 2 \n x')
def test_loads_text(rt, s):
    check_loads(rt, s)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]


@st.composite
def encoded(draw):
    s = draw(st.one_of(documents(), st.text(alphabet=JSONISH, max_size=10)))
    b = s.encode(draw(st.sampled_from(ENCODINGS)), "surrogatepass")
    for kind, pos, ch in draw(st.lists(st.tuples(st.sampled_from(["ins", "del", "rep"]), st.integers(0, 10 ** 6),
                                                 st.integers(0, 255)), max_size=2)):
        i = pos % (len(b) + 1)
        if kind == "ins":
            b = b[:i] + bytes([ch]) + b[i:]
        else:
            b = b[:i] + (bytes([ch]) if kind == "rep" else b"") + b[i + 1:]
    return b


@SETTINGS
@given(st.one_of(encoded(), st.binary(max_size=12)))
@example(b"\xed\xa0\x80")
@example(b'"\xed\xa0"')
@example(b"\xff\xfe\x00\xd8")
@example(b"\x00\x00\x00[\x00\x11\x00\x00")
def test_loads_bytes(rt, b):
    check_loads(rt, b)
    check_loads(rt, bytearray(b))


@pytest.mark.parametrize("s", [
    "", " ", "\ufeff1", "nul", "-", "--1", "-Infinity", "-Infinityx", "NaN", "Infinity", "[NaN, -0, -0.0, 1E400]",
    "1e5", "1E+5x", "[1e]", "0123", "1.", "1.e5", "-01", '{"a":1,"a":2,"b":3,"a":4}', '"\\u00e9\\/\\b"',
    '"\\ud83d\\ude00"', '"\\udc00\\ud800"', '"\\ud800"', '"\\ud800\\ud800"', '"a\\', '"\\u', '"\\x"',
    "1" * 4300, "1" * 4301, "-" + "9" * 4301, "0." + "1" * 5000, "1e999999999999999999999",
    "[" * 100 + "]" * 100, '{"a":' * 100 + "1" + "}" * 100, "  [ 1 , { \"x\" : [ ] } ]  ", "\n\n  x",
], ids=lambda s: repr(s) if len(s) < 30 else f"{s[:12]!r}...{len(s)}")
def test_loads_cases(rt, s):
    check_loads(rt, s)


def test_loads_types(rt):
    for bad in (1, None, [1], 2.5):
        assert runtime_outcome(rt, rt.loads, bad) == cpython_outcome(json.loads, bad)


@SETTINGS
@given(st.text(alphabet="ab\né😀", max_size=8), st.integers(-12, 12) | st.sampled_from([2 ** 70, -(2 ** 70)]),
       st.sampled_from(["Expecting value", "", "é"]))
def test_decode_error_constructor(rt, doc, pos, msg):
    """JSONDecodeError(msg, doc, pos) as a program would construct it: message and fields."""
    e = json.JSONDecodeError(msg, doc, pos)
    want = ("JSONDecodeError", str(e), (e.msg, e.doc, e.pos, e.lineno, e.colno))
    args = [rt.kval(msg), rt.kval(doc), rt.kval(pos)]
    before = rt.live.value
    got = rt.describe(rt.f("k_JSONDecodeError_new")(*args)).args
    assert rt.live.value == before
    for a in args:
        rt.decref(a)
    assert got == want


@SETTINGS
@given(json_values)
def test_round_trip(rt, obj):
    """loads(dumps(x)) gives x back (CPython's does, but for escaped surrogate pairs, which
    come back joined), in the runtime alone and against CPython."""
    for opts in ({}, {"ensure_ascii": False}, {"indent": 1}):
        text = rt.dumps(obj, **opts)
        assert text == json.dumps(obj, **opts)
        assert runtime_outcome(rt, rt.loads, text) == cpython_outcome(json.loads, text)
        if not opts.get("ensure_ascii", True):
            assert runtime_outcome(rt, rt.loads, text) == cpython_outcome(lambda: obj)


# ---- nesting limits: where CPython, at a module's top level, raises RecursionError ----

LIMITS = r"""
import json
out = []
for kind in range(4):         # at the module's top level: no frames of ours between
    n = 900
    while True:
        x = []
        for _ in range(n - 1):
            x = [x]
        try:
            if kind == 0:
                json.loads("[" * n + "]" * n)
            elif kind == 1:
                json.loads('{"a":' * n + "1" + "}" * n)
            else:
                json.dumps(x, indent=None if kind == 2 else 1)
        except RecursionError as e:
            out.append((n, str(e)))
            break
        n += 1
print(repr(out))
"""


@pytest.fixture
def deep_recursion():
    """The helpers convert nested values recursively."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20000)
    yield
    sys.setrecursionlimit(limit)


def test_nesting_limits(rt, deep_recursion):
    cp = eval(subprocess.run([sys.executable, "-c", LIMITS], capture_output=True, text=True, check=True).stdout)

    def nested_list(n):
        x: list = []
        for _ in range(n - 1):
            x = [x]
        return x

    def first_failing(make):
        for n in range(900, 1100):
            try:
                make(n)
            except Exception as e:
                assert e.args[0] == "RecursionError", e.args
                return n, e.args[1]
        return None

    mine = [first_failing(lambda n: rt.loads("[" * n + "]" * n)),
            first_failing(lambda n: rt.loads('{"a":' * n + "1" + "}" * n)),
            first_failing(lambda n: rt.dumps(nested_list(n))),
            first_failing(lambda n: rt.dumps(nested_list(n), indent=1))]
    assert mine == cp
    assert runtime_outcome(rt, rt.loads, "[" * 100000) == cpython_outcome(json.loads, "[" * 100000)
