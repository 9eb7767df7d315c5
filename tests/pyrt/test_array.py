"""array.array (kaa/pyrt/array.c) against CPython's: arrays of every type code made from
random ints (in and out of each code's range, past 64 bits too) and floats, compared in
their bytes, items and raised exceptions (type and message); frombytes of random bytes;
random sequences of item, slice and method operations; comparisons across type codes."""

from __future__ import annotations

import contextlib
import ctypes
import operator
from array import array

import pytest
from hypothesis import given, settings, strategies as st

from .test_list import RT, RTError, outcome

K = ctypes.c_uint64
I64 = ctypes.c_int64
INT = ctypes.c_int

SIGNATURES = {
    "k_array_new": (K, [I64, K]), "k_array_tobytes": (K, [K]), "k_array_tolist": (K, [K]), "k_array_len": (I64, [K]),
    "k_array_getitem": (K, [K, I64]), "k_array_setitem": (INT, [K, I64, K]), "k_array_delitem": (INT, [K, I64]),
    "k_array_slice": (K, [K, K, K, K]), "k_array_set_slice": (INT, [K, K, K, K, K]),
    "k_array_del_slice": (INT, [K, K, K, K]), "k_array_contains": (INT, [K, K]), "k_array_richcmp": (INT, [K, K, INT]),
    "k_array_repr": (K, [K]), "k_array_concat": (K, [K, K]), "k_array_repeat": (K, [K, I64]),
    "k_array_iadd": (INT, [K, K]), "k_array_irepeat": (INT, [K, I64]), "k_array_append": (INT, [K, K]),
    "k_array_extend": (INT, [K, K]), "k_array_insert": (INT, [K, I64, K]), "k_array_pop": (K, [K, I64]),
    "k_array_remove": (INT, [K, K]), "k_array_index": (I64, [K, K, I64, I64]), "k_array_count": (I64, [K, K]),
    "k_array_reverse": (None, [K]), "k_array_byteswap": (None, [K]), "k_array_frombytes": (INT, [K, K]),
    "k_array_fromlist": (INT, [K, K]), "k_bytes_from": (K, [ctypes.c_char_p, I64]),
    "k_int_parse": (K, [ctypes.c_char_p, I64, INT]),
}
INT_CODES = "bBhHiIlLqQ"
CODES = INT_CODES + "fd"
OPS = {"<": 0, "<=": 1, "==": 2, "!=": 3, ">": 4, ">=": 5}
PY_OPS = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne, ">": operator.gt,
          ">=": operator.ge}

# Each range edge of every code, one either side, and far beyond 64 bits.
EDGES = sorted({s * ((1 << b) + d) for b in (7, 8, 15, 16, 31, 32, 63, 64, 70) for d in (-1, 0, 1) for s in (1, -1)})
INTS = st.one_of(st.sampled_from(EDGES), st.integers(-300, 300), st.integers(-(1 << 66), 1 << 66))
FLOATS = st.floats(allow_nan=False, width=64)


@pytest.fixture(scope="module")
def rt(pyrt) -> RT:
    r = RT(pyrt)
    for name, (res, args) in SIGNATURES.items():
        fn = getattr(pyrt, name)
        fn.restype, fn.argtypes = res, args
    return r


@contextlib.contextmanager
def no_leaks(rt: RT):
    """Every runtime object made inside is released (per example: hypothesis reuses fixtures)."""
    live0 = rt.k_live.value
    yield
    assert rt.k_live.value == live0, "leaked runtime objects"


def value(rt: RT, x) -> int:
    """A new runtime reference to x; ints of any size."""
    if isinstance(x, int) and not isinstance(x, bool) and not -(1 << 63) <= x < (1 << 63):
        s = str(x).encode()
        return rt.check(rt.lib.k_int_parse(s, len(s), 10))
    if isinstance(x, bytes):
        return rt.lib.k_bytes_from(x, len(x))
    if isinstance(x, list):
        lst = rt.lib.k_list_new(0)
        for item in x:
            v = value(rt, item)
            rt.lib.k_list_append(lst, v)
            rt.decref(v)
        return lst
    return rt.from_py(x)


def contents(rt: RT, a: int) -> tuple[bytes, str]:
    """An array's bytes and its items' repr (NaNs compare there)."""
    b = rt.check(rt.lib.k_array_tobytes(a))
    data = ctypes.string_at(b + 32, I64.from_address(b + 16).value)
    rt.decref(b)
    return data, repr(rt.take(rt.lib.k_array_tolist(a)))


def py_contents(a: array) -> tuple[bytes, str]:
    return a.tobytes(), repr(a.tolist())


def new(rt: RT, code: str, init) -> int:
    v = value(rt, init) if init is not None else 0
    try:
        return rt.check(rt.lib.k_array_new(ord(code), v))
    finally:
        if v:
            rt.decref(v)


def made(rt: RT, code: str, items: list) -> tuple:
    def kaa() -> tuple:
        a = new(rt, code, items)
        try:
            return contents(rt, a)
        finally:
            rt.decref(a)
    return outcome(kaa)


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(INT_CODES), items=st.lists(INTS, max_size=6))
def test_int_items_and_range_errors(rt: RT, code: str, items: list) -> None:
    """Construction converts each item as CPython's: the same bytes, or the same exception."""
    with no_leaks(rt):
        assert made(rt, code, items) == outcome(lambda: py_contents(array(code, items)))


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from("fd"), items=st.lists(st.one_of(FLOATS, st.integers(-(1 << 1100), 1 << 1100)), max_size=6))
def test_float_items(rt: RT, code: str, items: list) -> None:
    """'f' items round to single precision (overflowing to inf), 'd' keep the double; an int
    too large for a float raises CPython's OverflowError."""
    with no_leaks(rt):
        assert made(rt, code, items) == outcome(lambda: py_contents(array(code, items)))


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(CODES), data=st.binary(max_size=24))
def test_frombytes(rt: RT, code: str, data: bytes) -> None:
    """Bytes become items in memory order (NaNs compared by their bytes, reprs as CPython's)."""
    with no_leaks(rt):
        def kaa() -> tuple:
            a = new(rt, code, data)
            try:
                return contents(rt, a)[0], rt.take(rt.lib.k_array_repr(a))
            finally:
                rt.decref(a)
        assert outcome(kaa) == outcome(lambda: (array(code, data).tobytes(), repr(array(code, data))))


SMALL = st.integers(-2, 6)                  # negatives fail for the unsigned codes, as in CPython
ITEMS = st.lists(st.integers(0, 6), max_size=6)
IDX = st.integers(-8, 8)
SLICE = st.tuples(st.one_of(st.none(), IDX), st.one_of(st.none(), IDX), st.one_of(st.none(), st.sampled_from(
    [-3, -2, -1, 1, 2, 3])))
ARRAY_OPS = st.one_of(
    st.tuples(st.just("append"), SMALL), st.tuples(st.just("extend"), st.lists(SMALL, max_size=4)),
    st.tuples(st.just("insert"), IDX, SMALL), st.tuples(st.just("pop"), IDX), st.tuples(st.just("remove"), SMALL),
    st.tuples(st.just("index"), SMALL, IDX, IDX), st.tuples(st.just("count"), SMALL),
    st.tuples(st.just("reverse")), st.tuples(st.just("byteswap")), st.tuples(st.just("get"), IDX),
    st.tuples(st.just("set"), IDX, SMALL), st.tuples(st.just("del"), IDX), st.tuples(st.just("contains"), SMALL),
    st.tuples(st.just("slice"), SLICE), st.tuples(st.just("set_slice"), SLICE, st.lists(SMALL, max_size=4)),
    st.tuples(st.just("set_slice_self"), SLICE), st.tuples(st.just("del_slice"), SLICE),
    st.tuples(st.just("iadd"), st.lists(SMALL, max_size=3)), st.tuples(st.just("irepeat"), st.integers(-1, 3)),
    st.tuples(st.just("fromlist"), st.lists(st.sampled_from([1, 2, 300]), max_size=3)),
)


def array_py(a: array, op: tuple):
    name, *args = op
    if name == "get":
        return a[args[0]]
    if name == "set":
        a[args[0]] = args[1]
        return None
    if name == "del":
        del a[args[0]]
        return None
    if name == "contains":
        return args[0] in a
    if name == "slice":
        return py_contents(a[slice(*args[0])])
    if name == "set_slice":
        a[slice(*args[0])] = array(a.typecode, args[1])
        return None
    if name == "set_slice_self":
        a[slice(*args[0])] = a
        return None
    if name == "del_slice":
        del a[slice(*args[0])]
        return None
    if name == "iadd":
        a += array(a.typecode, args[0])
        return None
    if name == "irepeat":
        a *= args[0]
        return None
    if name == "pop":
        return a.pop(args[0])
    return getattr(a, name)(*args)


def array_rt(rt: RT, a: int, code: str, op: tuple):
    name, *args = op
    L = rt.lib
    if name in ("reverse", "byteswap"):
        return getattr(L, f"k_array_{name}")(a)
    if name == "get":
        return rt.take(L.k_array_getitem(a, args[0]))
    if name == "pop":
        return rt.take(L.k_array_pop(a, args[0]))
    if name == "del":
        return rt.ok(L.k_array_delitem(a, args[0])) or None
    if name in ("slice", "del_slice", "set_slice", "set_slice_self"):
        bounds = [value(rt, x) for x in args[0]]
        try:
            if name == "slice":
                s = rt.check(L.k_array_slice(a, *bounds))
                try:
                    return contents(rt, s)
                finally:
                    rt.decref(s)
            if name == "del_slice":
                return rt.ok(L.k_array_del_slice(a, *bounds)) or None
            other = new(rt, code, args[1]) if name == "set_slice" else rt.incref(a)
            try:
                return rt.ok(L.k_array_set_slice(a, *bounds, other)) or None
            finally:
                rt.decref(other)
        finally:
            for b in bounds:
                rt.decref(b)
    if name in ("iadd", "extend", "fromlist"):
        other = new(rt, code, args[0]) if name == "iadd" else value(rt, args[0])
        try:
            return rt.ok(getattr(L, f"k_array_{name}")(a, other)) or None
        finally:
            rt.decref(other)
    if name == "irepeat":
        return rt.ok(L.k_array_irepeat(a, args[0])) or None
    if name == "insert":
        x = value(rt, args[1])
        try:
            return rt.ok(L.k_array_insert(a, args[0], x)) or None
        finally:
            rt.decref(x)
    x = value(rt, args[0])
    try:
        if name == "set":
            y = value(rt, args[1])
            try:
                return rt.ok(L.k_array_setitem(a, args[0], y)) or None
            finally:
                rt.decref(y)
        if name == "index":
            return rt.check(L.k_array_index(a, x, args[1], args[2]), -1)
        if name == "count":
            return rt.check(L.k_array_count(a, x), -1)
        if name == "contains":
            return bool(rt.check(L.k_array_contains(a, x), -1))
        return rt.ok(getattr(L, f"k_array_{name}")(a, x)) or None
    finally:
        rt.decref(x)


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(CODES), start=ITEMS, ops=st.lists(ARRAY_OPS, max_size=12))
def test_operation_sequences(rt: RT, code: str, start: list, ops: list) -> None:
    """After each operation: the same result (or exception) and the same contents."""
    with no_leaks(rt):
        py = array(code, start)
        a = new(rt, code, start)
        try:
            for op in ops:
                expected = outcome(array_py, py, op)
                got = outcome(array_rt, rt, a, code, op)
                assert repr(got) == repr(expected), op
                assert contents(rt, a) == py_contents(py), op
        finally:
            rt.decref(a)


@settings(max_examples=300, deadline=None)
@given(x=st.tuples(st.sampled_from(CODES), st.lists(st.sampled_from([0, 1, 2, 100]), max_size=4)),
       y=st.tuples(st.sampled_from(CODES), st.lists(st.sampled_from([0, 1, 2, 100]), max_size=4)),
       op=st.sampled_from(list(OPS)), nan=st.booleans())
def test_comparisons(rt: RT, x: tuple, y: tuple, op: str, nan: bool) -> None:
    """Lexicographic over the items' values, across type codes; NaN items as CPython's."""
    with no_leaks(rt):
        items_y = [float("nan")] + y[1] if nan and y[0] in "fd" else y[1]
        a, b = new(rt, *x), new(rt, y[0], items_y)
        try:
            got = rt.check(rt.lib.k_array_richcmp(a, b, OPS[op]), -1)
        finally:
            rt.decref(a)
            rt.decref(b)
        assert bool(got) == PY_OPS[op](array(*x), array(y[0], items_y))


@settings(max_examples=100, deadline=None)
@given(x=ITEMS, n=st.integers(-2, 3), code=st.sampled_from(CODES), other=st.sampled_from(CODES))
def test_concat_repeat(rt: RT, x: list, n: int, code: str, other: str) -> None:
    """a + b of one type code, TypeError for two; a * n (nothing for n <= 0)."""
    with no_leaks(rt):
        a, b = new(rt, code, x), new(rt, other, x)
        try:
            def cat() -> tuple:
                r = rt.check(rt.lib.k_array_concat(a, b))
                try:
                    return contents(rt, r)
                finally:
                    rt.decref(r)
            assert outcome(cat) == outcome(lambda: py_contents(array(code, x) + array(other, x)))
            r = rt.check(rt.lib.k_array_repeat(a, n))
            assert contents(rt, r) == py_contents(array(code, x) * n)
            rt.decref(r)
        finally:
            rt.decref(a)
            rt.decref(b)


def test_messages(rt: RT, live) -> None:
    """Errors outside the operation sequences, with CPython's types and messages."""
    def kaa_new(code: str, init) -> tuple:
        return outcome(lambda: rt.decref(new(rt, code, init)))

    def py_new(code: str, init) -> tuple:
        return outcome(lambda: (array(code) if init is None else array(code, init)) and None)

    for code, init in (("i", "abc"), ("x", None), ("h", b"abc"), ("i", [1.5]), ("d", ["x"]), ("B", [-1])):
        assert kaa_new(code, init) == py_new(code, init)
    a = new(rt, "h", [1])
    try:
        for bad in ("x", [1, 2]):
            v = value(rt, bad)
            with pytest.raises(RTError) as err:
                rt.ok(rt.lib.k_array_frombytes(a, v))
            rt.decref(v)
            with pytest.raises(TypeError) as py_err:
                array("h").frombytes(bad)              # type: ignore[arg-type]
            assert err.value.args == ("TypeError", str(py_err.value))
        v = value(rt, (1, 2))
        with pytest.raises(RTError) as err:
            rt.ok(rt.lib.k_array_fromlist(a, v))
        assert err.value.args == ("TypeError", "arg must be list")
        rt.decref(v)
        for fn in (rt.lib.k_array_concat, rt.lib.k_array_iadd):
            v = value(rt, [1])
            with pytest.raises(RTError) as err:
                rt.check(fn(a, v), 0 if fn is rt.lib.k_array_concat else -1)
            rt.decref(v)
            with pytest.raises(TypeError) as py_err:
                if fn is rt.lib.k_array_concat:
                    array("h") + [1]                   # type: ignore[operator]
                else:
                    x = array("h")
                    x += [1]                           # type: ignore[arg-type]
            assert err.value.args == ("TypeError", str(py_err.value))
    finally:
        rt.decref(a)
