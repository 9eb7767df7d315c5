"""list (kaa/pyrt/list.c, sort.c, slice.c) against CPython.

Random operation sequences run on a CPython list and on a runtime list side by side;
after each step the contents (and the exception raised, type and message) must agree.
This module also holds the ctypes helpers the other container tests import (RT).
"""

from __future__ import annotations

import ctypes

import pytest
from hypothesis import given, settings, strategies as st

K = ctypes.c_uint64
I64 = ctypes.c_int64
KEYFUNC = ctypes.CFUNCTYPE(K, K, ctypes.POINTER(K), I64)

SIGNATURES = {
    # name: (restype, argtypes)
    "k_list_new": (K, [I64]), "k_list_from_iter": (K, [K]), "k_list_append": (ctypes.c_int, [K, K]),
    "k_list_extend": (ctypes.c_int, [K, K]), "k_list_insert": (ctypes.c_int, [K, I64, K]),
    "k_list_pop": (K, [K, I64]), "k_list_remove": (ctypes.c_int, [K, K]),
    "k_list_index": (I64, [K, K, I64, I64]), "k_list_count": (I64, [K, K]),
    "k_list_sort": (ctypes.c_int, [K, K, ctypes.c_bool]), "k_list_reverse": (None, [K]),
    "k_list_copy": (K, [K]), "k_list_clear": (None, [K]), "k_list_getitem": (K, [K, I64]),
    "k_list_setitem": (ctypes.c_int, [K, I64, K]), "k_list_delitem": (ctypes.c_int, [K, I64]),
    "k_list_slice": (K, [K, K, K, K]), "k_list_set_slice": (ctypes.c_int, [K, K, K, K, K]),
    "k_list_del_slice": (ctypes.c_int, [K, K, K, K]), "k_list_concat": (K, [K, K]),
    "k_list_repeat": (K, [K, I64]), "k_list_iadd": (K, [K, K]), "k_list_imul": (ctypes.c_int, [K, I64]),
    "k_list_richcmp": (ctypes.c_int, [K, K, ctypes.c_int]), "k_list_contains": (ctypes.c_int, [K, K]),
    "k_list_reversed": (K, [K]),
    "k_sorted": (K, [K, K, ctypes.c_bool]), "k_min_max": (K, [K, K, ctypes.c_bool, K]), "k_len": (I64, [K]),
    "k_tuple_new": (K, [I64]), "k_tuple_from_iter": (K, [K]), "k_tuple_getitem": (K, [K, I64]),
    "k_tuple_slice": (K, [K, K, K, K]), "k_tuple_concat": (K, [K, K]), "k_tuple_repeat": (K, [K, I64]),
    "k_tuple_contains": (ctypes.c_int, [K, K]), "k_tuple_count": (I64, [K, K]),
    "k_tuple_index": (I64, [K, K, I64, I64]), "k_tuple_richcmp": (ctypes.c_int, [K, K, ctypes.c_int]),
    "k_tuple_hash": (I64, [K]),
    "k_dict_new": (K, []), "k_dict_setitem": (ctypes.c_int, [K, K, K]), "k_dict_getitem": (K, [K, K]),
    "k_dict_delitem": (ctypes.c_int, [K, K]), "k_dict_get": (K, [K, K, K]), "k_dict_setdefault": (K, [K, K, K]),
    "k_dict_pop": (K, [K, K, K]), "k_dict_popitem": (K, [K]), "k_dict_contains": (ctypes.c_int, [K, K]),
    "k_dict_len": (I64, [K]), "k_dict_update": (ctypes.c_int, [K, K]), "k_dict_or": (K, [K, K]),
    "k_dict_ior": (ctypes.c_int, [K, K]), "k_dict_copy": (K, [K]), "k_dict_clear": (None, [K]),
    "k_dict_next": (ctypes.c_bool, [K, ctypes.POINTER(I64), ctypes.POINTER(K), ctypes.POINTER(K)]),
    "k_dict_keys": (K, [K]), "k_dict_values": (K, [K]), "k_dict_items": (K, [K]),
    "k_dict_richcmp": (ctypes.c_int, [K, K, ctypes.c_int]), "k_dict_fromkeys": (K, [K, K]),
    "k_set_new": (K, []), "k_set_from_iter": (K, [K]), "k_set_add": (ctypes.c_int, [K, K]),
    "k_set_discard": (ctypes.c_int, [K, K]), "k_set_remove": (ctypes.c_int, [K, K]), "k_set_pop": (K, [K]),
    "k_set_contains": (ctypes.c_int, [K, K]), "k_set_len": (I64, [K]), "k_set_copy": (K, [K]),
    "k_set_clear": (None, [K]), "k_set_union": (K, [K, K]), "k_set_intersection": (K, [K, K]),
    "k_set_difference": (K, [K, K]), "k_set_symmetric_difference": (K, [K, K]),
    "k_set_or": (K, [K, K]), "k_set_and": (K, [K, K]), "k_set_sub": (K, [K, K]), "k_set_xor": (K, [K, K]),
    "k_set_update": (ctypes.c_int, [K, K]), "k_set_intersection_update": (ctypes.c_int, [K, K]),
    "k_set_difference_update": (ctypes.c_int, [K, K]),
    "k_set_symmetric_difference_update": (ctypes.c_int, [K, K]),
    "k_set_issubset": (ctypes.c_int, [K, K]), "k_set_issuperset": (ctypes.c_int, [K, K]),
    "k_set_isdisjoint": (ctypes.c_int, [K, K]), "k_set_richcmp": (ctypes.c_int, [K, K, ctypes.c_int]),
    "k_range_new": (K, [K, K, K]), "k_range_len": (I64, [K]), "k_range_getitem": (K, [K, I64]),
    "k_range_contains": (ctypes.c_int, [K, K]),
    "k_repr": (K, [K]), "k_hash": (I64, [K]), "k_richcmp": (ctypes.c_int, [K, K, ctypes.c_int]), "k_eq": (ctypes.c_int, [K, K]), "k_iter": (K, [K]),
    "k_next": (K, [K]), "k_dealloc": (None, [K]), "k_exc_fetch": (K, []),
    "k_str_from_utf8": (K, [ctypes.c_char_p, I64]), "k_int_box_i64": (K, [I64]),
    "k_float_box": (K, [ctypes.c_double]),
}

OPS = {"<": 0, "<=": 1, "==": 2, "!=": 3, ">": 4, ">=": 5}
I64_MAX = (1 << 63) - 1


class RTError(Exception):
    """An exception raised by the runtime: (type name, str of its first argument or its args)."""


class RT:
    """The runtime library seen from Python: conversions both ways and exception checks."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        for name, (res, args) in SIGNATURES.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
        self.k_exc = K.in_dll(lib, "k_exc")
        self.k_live = I64.in_dll(lib, "k_live")
        self.types = {n: ctypes.addressof(ctypes.c_char.in_dll(lib, f"k_{n}_type"))
                      for n in ("list", "tuple", "dict", "set", "str", "int", "bool", "none", "range", "float")}
        self.none = ctypes.addressof(ctypes.c_char.in_dll(lib, "k_None_obj"))
        self.true = ctypes.addressof(ctypes.c_char.in_dll(lib, "k_True_obj"))
        self.false = ctypes.addressof(ctypes.c_char.in_dll(lib, "k_False_obj"))
        self._keep: list[object] = []

    def __getattr__(self, name: str):
        return getattr(self.lib, name)

    # ---- references ----
    def decref(self, v: int) -> None:
        if v & 1 or not v:
            return
        rc = I64.from_address(v)
        rc.value -= 1
        if rc.value == 0:
            self.lib.k_dealloc(v)

    def incref(self, v: int) -> int:
        if not v & 1:
            I64.from_address(v).value += 1
        return v

    # ---- exceptions ----
    def check(self, result, error_value=0):
        """Raise RTError if the runtime raised (k_exc set); otherwise return result."""
        if self.k_exc.value:
            assert result == error_value or error_value is None, (result, error_value)
            exc = self.lib.k_exc_fetch()
            tname = ctypes.c_char_p.from_address(ctypes.c_uint64.from_address(exc + 8).value + 16).value.decode()
            args = ctypes.c_uint64.from_address(exc + 16).value
            pyargs = self.py(args) if args else ()
            self.decref(exc)
            raise RTError(tname, pyargs[0] if len(pyargs) == 1 else pyargs)
        return result

    # ---- conversions ----
    def type_of(self, v: int) -> str:
        if v & 1:
            return "int"
        t = ctypes.c_uint64.from_address(v + 8).value
        for n, addr in self.types.items():
            if addr == t:
                return n
        return "?"

    def from_py(self, x) -> int:
        """A new reference to a runtime value equal to x."""
        if x is None:
            return self.none
        if x is True or x is False:
            return self.true if x else self.false
        if isinstance(x, int):
            if -(1 << 62) <= x < (1 << 62):
                return ((x << 1) | 1) & ((1 << 64) - 1)
            assert -(1 << 63) <= x < (1 << 63), "test values stay in the i64 range"
            return self.lib.k_int_box_i64(x)
        if isinstance(x, float):
            return self.lib.k_float_box(x)
        if isinstance(x, str):
            b = x.encode()
            return self.lib.k_str_from_utf8(b, len(b))
        if isinstance(x, list):
            lst = self.lib.k_list_new(0)
            for item in x:
                v = self.from_py(item)
                self.lib.k_list_append(lst, v)
                self.decref(v)
            return lst
        if isinstance(x, tuple):
            lst = self.from_py(list(x))
            t = self.lib.k_tuple_from_iter(lst)
            self.decref(lst)
            return t
        if isinstance(x, dict):
            d = self.lib.k_dict_new()
            for k, val in x.items():
                kv, vv = self.from_py(k), self.from_py(val)
                self.check(self.lib.k_dict_setitem(d, kv, vv), -1)
                self.decref(kv)
                self.decref(vv)
            return d
        if isinstance(x, (set, frozenset)):
            s = self.lib.k_set_new()
            for item in x:
                v = self.from_py(item)
                self.check(self.lib.k_set_add(s, v), -1)
                self.decref(v)
            return s
        raise TypeError(type(x))

    def py(self, v: int):
        """The Python value of a runtime value (containers recursively, in their order)."""
        t = self.type_of(v)
        if t == "int":
            if v & 1:
                return ctypes.c_int64(v).value >> 1
            size = I64.from_address(v + 16).value
            limbs = (ctypes.c_uint32 * abs(size)).from_address(v + 24)
            n = sum(d << (32 * i) for i, d in enumerate(limbs))
            return -n if size < 0 else n
        if t == "str":
            n = I64.from_address(v + 16).value
            return ctypes.string_at(v + 40, n).decode()
        if t == "none":
            return None
        if t == "bool":
            return v == self.true
        if t == "float":
            return ctypes.c_double.from_address(v + 16).value
        if t == "list":
            n = I64.from_address(v + 16).value
            items = ctypes.c_uint64.from_address(v + 32).value
            return [self.py(ctypes.c_uint64.from_address(items + 8 * i).value) for i in range(n)]
        if t == "tuple":
            n = I64.from_address(v + 16).value
            return tuple(self.py(ctypes.c_uint64.from_address(v + 24 + 8 * i).value) for i in range(n))
        if t == "dict":
            out = {}
            pos, key, val = I64(0), K(0), K(0)
            while self.lib.k_dict_next(v, ctypes.byref(pos), ctypes.byref(key), ctypes.byref(val)):
                out[self.py(key.value)] = self.py(val.value)
            return out
        if t in ("set", "range"):
            return self.py_iter(v)
        raise TypeError(t)

    def py_iter(self, v: int) -> list:
        """The items iteration gives, in order."""
        it = self.check(self.lib.k_iter(v))
        out = []
        while True:
            x = self.lib.k_next(it)
            if not x:
                break
            out.append(self.py(x))
            self.decref(x)
        self.decref(it)
        self.check(None, None)
        return out

    def take(self, v: int, error_value=0):
        """Check for an exception, convert a new reference to Python and release it."""
        self.check(v, error_value)
        x = self.py(v)
        self.decref(v)
        return x

    def ok(self, r: int) -> None:
        """Check an int-returning call (0 / -1)."""
        self.check(r, -1)

    def repr(self, v: int) -> str:
        return self.take(self.lib.k_repr(v))

    def keyfunc(self, fn) -> int:
        """A KFunc kval calling fn(python value) -> python value (kept alive by self)."""
        def call(self_, args, nargs):
            return self.from_py(fn(self.py(args[0])))
        cb = KEYFUNC(call)
        fn_type = ctypes.addressof(ctypes.c_char.in_dll(self.lib, "k_function_type"))
        obj = (ctypes.c_uint64 * 3)(1 << 60, fn_type, ctypes.cast(cb, ctypes.c_void_p).value)
        self._keep += [cb, obj]
        return ctypes.addressof(obj)


def outcome(fn, *args):
    """Run fn; return ("ok", value) or ("raise", type name, message)."""
    try:
        return ("ok", fn(*args))
    except RTError as e:
        return ("raise", e.args[0], e.args[1])
    except Exception as e:  # CPython's side
        return ("raise", type(e).__name__, e.args[0] if len(e.args) == 1 else e.args)


@pytest.fixture(scope="module")
def rt(pyrt) -> RT:
    return RT(pyrt)



def none_or_small(lo=-12, hi=12):
    return st.one_of(st.none(), st.integers(lo, hi))


# ---- list: operation sequences ----

ELEMS = st.integers(-4, 4)

LIST_OPS = st.one_of(
    st.tuples(st.just("append"), ELEMS),
    st.tuples(st.just("insert"), st.integers(-8, 8), ELEMS),
    st.tuples(st.just("pop"), st.integers(-8, 8)),
    st.tuples(st.just("remove"), ELEMS),
    st.tuples(st.just("index"), ELEMS, st.integers(-8, 8), st.integers(-8, 8)),
    st.tuples(st.just("count"), ELEMS),
    st.tuples(st.just("reverse")),
    st.tuples(st.just("sort"), st.booleans()),
    st.tuples(st.just("getitem"), st.integers(-8, 8)),
    st.tuples(st.just("setitem"), st.integers(-8, 8), ELEMS),
    st.tuples(st.just("delitem"), st.integers(-8, 8)),
    st.tuples(st.just("getslice"), none_or_small(), none_or_small(), none_or_small(-4, 4)),
    st.tuples(st.just("setslice"), none_or_small(), none_or_small(), none_or_small(-4, 4), st.lists(ELEMS, max_size=5)),
    st.tuples(st.just("delslice"), none_or_small(), none_or_small(), none_or_small(-4, 4)),
    st.tuples(st.just("extend"), st.lists(ELEMS, max_size=4)),
    st.tuples(st.just("extend_self")),
    st.tuples(st.just("setslice_self"), none_or_small(), none_or_small(), none_or_small(-2, 2)),
    st.tuples(st.just("imul"), st.integers(-1, 3)),
    st.tuples(st.just("clear")),
    st.tuples(st.just("contains"), ELEMS),
    st.tuples(st.just("cmp"), st.lists(ELEMS, max_size=6), st.sampled_from(sorted(OPS))),
)


def apply_py(lst: list, op: tuple):
    name, *a = op
    if name == "append":
        return lst.append(a[0])
    if name == "insert":
        return lst.insert(a[0], a[1])
    if name == "pop":
        return lst.pop(a[0])
    if name == "remove":
        return lst.remove(a[0])
    if name == "index":
        return lst.index(a[0], a[1], a[2])
    if name == "count":
        return lst.count(a[0])
    if name == "reverse":
        return lst.reverse()
    if name == "sort":
        return lst.sort(reverse=a[0])
    if name == "getitem":
        return lst[a[0]]
    if name == "setitem":
        lst[a[0]] = a[1]
        return None
    if name == "delitem":
        del lst[a[0]]
        return None
    if name == "getslice":
        return lst[a[0]:a[1]:a[2]]
    if name == "setslice":
        lst[a[0]:a[1]:a[2]] = a[3]
        return None
    if name == "delslice":
        del lst[a[0]:a[1]:a[2]]
        return None
    if name == "extend":
        return lst.extend(a[0])
    if name == "extend_self":
        return lst.extend(lst)
    if name == "setslice_self":
        lst[a[0]:a[1]:a[2]] = lst
        return None
    if name == "imul":
        lst *= a[0]
        return None
    if name == "clear":
        return lst.clear()
    if name == "contains":
        return a[0] in lst
    if name == "cmp":
        return {"<": lst < a[0], "<=": lst <= a[0], "==": lst == a[0], "!=": lst != a[0],
                ">": lst > a[0], ">=": lst >= a[0]}[a[1]]
    raise AssertionError(name)


def apply_rt(rt: RT, lst: int, op: tuple):
    name, *a = op
    L = rt.lib
    v = [rt.from_py(x) for x in a]        # small ints, None, lists: new references
    try:
        if name == "append":
            return rt.ok(L.k_list_append(lst, v[0]))
        if name == "insert":
            return rt.ok(L.k_list_insert(lst, a[0], v[1]))
        if name == "pop":
            return rt.take(L.k_list_pop(lst, a[0]))
        if name == "remove":
            return rt.ok(L.k_list_remove(lst, v[0]))
        if name == "index":
            return rt.check(L.k_list_index(lst, v[0], a[1], a[2]), -1)
        if name == "count":
            return rt.check(L.k_list_count(lst, v[0]), -1)
        if name == "reverse":
            return L.k_list_reverse(lst)
        if name == "sort":
            return rt.ok(L.k_list_sort(lst, 0, a[0]))
        if name == "getitem":
            return rt.take(L.k_list_getitem(lst, a[0]))
        if name == "setitem":
            return rt.ok(L.k_list_setitem(lst, a[0], v[1]))
        if name == "delitem":
            return rt.ok(L.k_list_delitem(lst, a[0]))
        if name == "getslice":
            return rt.take(L.k_list_slice(lst, v[0], v[1], v[2]))
        if name == "setslice":
            return rt.ok(L.k_list_set_slice(lst, v[0], v[1], v[2], v[3]))
        if name == "delslice":
            return rt.ok(L.k_list_del_slice(lst, v[0], v[1], v[2]))
        if name == "extend":
            return rt.ok(L.k_list_extend(lst, v[0]))
        if name == "extend_self":
            return rt.ok(L.k_list_extend(lst, lst))
        if name == "setslice_self":
            return rt.ok(L.k_list_set_slice(lst, v[0], v[1], v[2], lst))
        if name == "imul":
            return rt.ok(L.k_list_imul(lst, a[0]))
        if name == "clear":
            return L.k_list_clear(lst)
        if name == "contains":
            return bool(rt.check(L.k_list_contains(lst, v[0]), -1))
        if name == "cmp":
            return bool(rt.check(L.k_list_richcmp(lst, v[0], OPS[a[1]]), -1))
        raise AssertionError(name)
    finally:
        for x in v:
            rt.decref(x)


@settings(max_examples=300, deadline=None)
@given(st.lists(ELEMS, max_size=8), st.lists(LIST_OPS, max_size=25))
def test_list_operations(rt, start, ops):
    live0 = rt.k_live.value
    ref = list(start)
    lst = rt.from_py(start)
    for op in ops:
        expect = outcome(apply_py, ref, op)
        got = outcome(apply_rt, rt, lst, op)
        assert got == expect, op
        assert rt.py(lst) == ref, op
    rt.decref(lst)
    assert rt.k_live.value == live0


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 14), none_or_small(-16, 16), none_or_small(-16, 16), none_or_small(-5, 5),
       st.lists(st.integers(0, 9), max_size=9))
def test_slices(rt, n, start, stop, step, new):
    """Get, set and delete slices with random bounds, including extended slices."""
    ref = list(range(n))
    lst = rt.from_py(ref)
    s, e, p, nv = (rt.from_py(x) for x in (start, stop, step, new))
    assert outcome(rt.take, rt.k_list_slice(lst, s, e, p)) == outcome(lambda: ref[start:stop:step])

    def py_set():
        ref[start:stop:step] = new
    got = outcome(lambda: rt.ok(rt.k_list_set_slice(lst, s, e, p, nv)))
    assert got == outcome(py_set)
    assert rt.py(lst) == ref

    def py_del():
        del ref[start:stop:step]
    got = outcome(lambda: rt.ok(rt.k_list_del_slice(lst, s, e, p)))
    assert got == outcome(py_del)
    assert rt.py(lst) == ref
    for x in (lst, s, e, p, nv):
        rt.decref(x)


def test_slice_messages(rt, live):
    lst = rt.from_py([1, 2, 3, 4, 5])
    two, none, zero, stp = rt.from_py([7, 8]), rt.none, rt.from_py(0), rt.from_py(2)
    with pytest.raises(RTError) as e:
        rt.check(rt.k_list_set_slice(lst, none, none, stp, two), -1)
    assert e.value.args == ("ValueError", "attempt to assign sequence of size 2 to extended slice of size 3")
    with pytest.raises(RTError) as e:
        rt.check(rt.k_list_slice(lst, none, none, zero))
    assert e.value.args == ("ValueError", "slice step cannot be zero")
    rt.decref(lst)
    rt.decref(two)


# ---- sorting ----

@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-6, 6), max_size=300), st.booleans())
def test_sort_stable_with_key(rt, keys, reverse):
    """Sort (key, index) pairs by key only: equal keys must keep their order, as CPython's."""
    pairs = [(k, i) for i, k in enumerate(keys)]
    lst = rt.from_py(pairs)
    kf = rt.keyfunc(lambda p: p[0])
    rt.check(rt.k_list_sort(lst, kf, reverse), -1)
    assert rt.py(lst) == sorted(pairs, key=lambda p: p[0], reverse=reverse)
    rt.decref(lst)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.lists(st.integers(-10**6, 10**6), max_size=400),
                 st.lists(st.text(max_size=4), max_size=200),
                 st.lists(st.floats(allow_nan=False), max_size=200),
                 st.lists(st.tuples(st.integers(0, 3), st.text(max_size=2)), max_size=200),
                 st.lists(st.one_of(st.integers(-10, 10), st.floats(-10, 10, allow_nan=False)), max_size=100)),
       st.booleans())
def test_sorted(rt, items, reverse):
    v = rt.from_py(items)
    assert rt.take(rt.k_sorted(v, 0, reverse)) == sorted(items, reverse=reverse)
    rt.decref(v)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=0, max_size=2000).map(lambda x: sorted(x)),
       st.integers(0, 40), st.integers(0, 2000))
def test_sort_presorted_patterns(rt, base, swaps, seed):
    """Partially ordered inputs exercise runs and merges (timsort's territory)."""
    import random
    r = random.Random(seed)
    items = list(base)
    for _ in range(swaps):
        if len(items) > 1:
            i, j = r.randrange(len(items)), r.randrange(len(items))
            items[i], items[j] = items[j], items[i]
    if seed % 3 == 0:
        items.reverse()
    pairs = [(x, i) for i, x in enumerate(items)]
    v = rt.from_py(pairs)
    rt.check(rt.k_list_sort(v, rt.keyfunc(lambda p: p[0]), False), -1)
    assert rt.py(v) == sorted(pairs, key=lambda p: p[0])
    rt.decref(v)


def test_sort_comparison_error_keeps_items(rt, live):
    items = [3, 1, "a", 2, 5, 4] * 20
    v = rt.from_py(items)
    with pytest.raises(RTError) as e:
        rt.check(rt.k_list_sort(v, 0, False), -1)
    assert e.value.args[0] == "TypeError"
    with pytest.raises(TypeError) as pe:
        sorted(items)
    assert e.value.args[1] == pe.value.args[0]
    assert sorted(map(str, rt.py(v))) == sorted(map(str, items))
    rt.decref(v)


def test_list_modified_during_sort(rt, live):
    """A key function that appends to the list being sorted: ValueError, the list as before."""
    ref = [3, 1, 2]
    lst = rt.from_py(ref)

    def key(x):
        ref.append(x)
        one = rt.from_py(x)
        rt.k_list_append(lst, one)
        return x

    with pytest.raises(RTError) as e:
        rt.check(rt.k_list_sort(lst, rt.keyfunc(key), False), -1)
    py = [3, 1, 2]
    with pytest.raises(ValueError) as pe:
        py.sort(key=lambda x: py.append(x) or x)
    assert e.value.args == ("ValueError", pe.value.args[0])
    assert rt.py(lst) == py
    rt.decref(lst)


def test_min_max(rt, live):
    for items in ([3, 1, 2], [1], [2, 2, 1, 1], ["b", "a", "c"], [(1, "b"), (1, "a"), (0, "z")]):
        v = rt.from_py(items)
        assert rt.take(rt.k_min_max(v, 0, False, 0)) == min(items)
        assert rt.take(rt.k_min_max(v, 0, True, 0)) == max(items)
        rt.decref(v)
    pairs = [(1, "x"), (0, "y"), (1, "z"), (0, "w")]
    v = rt.from_py(pairs)
    kf = rt.keyfunc(lambda p: p[0])
    assert rt.take(rt.k_min_max(v, kf, False, 0)) == min(pairs, key=lambda p: p[0])
    assert rt.take(rt.k_min_max(v, kf, True, 0)) == max(pairs, key=lambda p: p[0])
    rt.decref(v)
    empty = rt.from_py([])
    for is_max, fn in ((False, min), (True, max)):
        assert outcome(lambda: rt.take(rt.k_min_max(empty, 0, is_max, 0))) == outcome(fn, [])
        assert rt.take(rt.k_min_max(empty, 0, is_max, rt.from_py(7))) == 7
    rt.decref(empty)


# ---- repr, errors, misc ----

@settings(max_examples=200, deadline=None)
@given(st.recursive(st.one_of(st.integers(-2**63, 2**63 - 1), st.text(max_size=5), st.none(), st.booleans()),
                    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner), st.tuples(inner, inner)),
                    max_leaves=12))
def test_repr(rt, x):
    v = rt.from_py(x)
    assert rt.repr(v) == repr(x)
    rt.decref(v)


def test_repr_self_reference(rt, live):
    v = rt.from_py([1, 2])
    rt.k_list_append(v, v)
    a = [1, 2]
    a.append(a)
    assert rt.repr(v) == repr(a)
    rt.k_list_clear(v)          # break the cycle
    rt.decref(v)


def test_messages(rt, live):
    v = rt.from_py([1, 2, 3])
    empty = rt.from_py([])
    five = rt.from_py(5)
    cases = [
        (lambda: rt.take(rt.k_list_getitem(v, 3)), lambda: [1, 2, 3][3]),
        (lambda: rt.check(rt.k_list_setitem(v, -4, five), -1), lambda: [1, 2, 3].__setitem__(-4, 5)),
        (lambda: rt.check(rt.k_list_delitem(v, 3), -1), lambda: [1, 2, 3].__delitem__(3)),
        (lambda: rt.take(rt.k_list_pop(empty, -1)), lambda: [].pop()),
        (lambda: rt.take(rt.k_list_pop(v, 7)), lambda: [1, 2, 3].pop(7)),
        (lambda: rt.check(rt.k_list_remove(v, five), -1), lambda: [1, 2, 3].remove(5)),
        (lambda: rt.check(rt.k_list_index(v, five, 0, I64_MAX), -1), lambda: [1, 2, 3].index(5)),
        (lambda: rt.take(rt.k_list_concat(v, five)), lambda: [1, 2, 3] + 5),
        (lambda: rt.check(rt.k_len(five), -1), lambda: len(5)),
    ]
    for got, expect in cases:
        assert outcome(got) == outcome(expect)
    s = rt.from_py("abc")
    assert outcome(lambda: rt.check(rt.k_list_index(v, s, 0, I64_MAX), -1)) == outcome(lambda: [1].index("abc"))
    for x in (v, empty, s):
        rt.decref(x)


def test_from_iter_and_len(rt, live):
    for src in ([1, 2], (3, 4), "héllo", {5: 6, 7: 8}, {9, 10}, []):
        v = rt.from_py(src)
        assert rt.take(rt.k_list_from_iter(v)) == list(src)
        assert rt.check(rt.k_len(v), -1) == len(src)
        rt.decref(v)
    r = rt.k_range_new(rt.from_py(2), rt.from_py(20), rt.from_py(3))
    assert rt.take(rt.k_list_from_iter(r)) == list(range(2, 20, 3))
    rt.decref(r)


def test_concat_repeat_iadd(rt, live):
    a, b = rt.from_py([1, 2]), rt.from_py(["x"])
    assert rt.take(rt.k_list_concat(a, b)) == [1, 2, "x"]
    for n in (-1, 0, 1, 3):
        assert rt.take(rt.k_list_repeat(a, n)) == [1, 2] * n
    r = rt.k_list_iadd(a, b)
    assert r == a
    rt.decref(r)
    assert rt.py(a) == [1, 2, "x"]
    it = rt.k_list_reversed(a)
    assert rt.py_iter(it) == ["x", 2, 1]
    rt.decref(it)
    rt.decref(a)
    rt.decref(b)


# ---- range (range.c) ----

BOUNDS = st.one_of(st.integers(-20, 20), st.integers(-2**63, 2**63 - 1),
                   st.sampled_from([2**62 - 1, 2**62, -2**62, -2**62 - 1]))


@settings(max_examples=300, deadline=None)
@given(BOUNDS, BOUNDS, st.one_of(st.integers(-7, 7), BOUNDS), st.integers(-30, 30), BOUNDS)
def test_range(rt, start, stop, step, i, x):
    a, b, c = rt.from_py(start), rt.from_py(stop), rt.from_py(step)
    live0 = rt.k_live.value
    got = outcome(lambda: rt.check(rt.k_range_new(a, b, c)))
    expect = outcome(lambda: range(start, stop, step))
    if expect[0] == "raise":
        assert got == expect
        return
    r, ref = got[1], expect[1]
    assert outcome(lambda: rt.check(rt.k_range_len(r), -1)) == outcome(len, ref)
    assert rt.repr(r) == repr(ref)
    assert outcome(lambda: rt.take(rt.k_range_getitem(r, i))) == outcome(lambda: ref[i])
    for y in (x, start, stop - 1 if stop > -2**63 else stop, start + step):
        if -2**63 <= y < 2**63:
            yv = rt.from_py(y)
            assert bool(rt.check(rt.k_range_contains(r, yv), -1)) == (y in ref)
            rt.decref(yv)
    if ref.step > 0 and ref.stop - ref.start < 50 * ref.step or ref.step < 0 and ref.start - ref.stop < -50 * ref.step:
        assert rt.py_iter(r) == list(ref)    # (len() of a range past 2**63 items raises in CPython)
    rt.decref(r)
    for o in (a, b, c):
        rt.decref(o)
    assert rt.k_live.value == live0 - sum(1 for v in (start, stop, step) if not -2**62 <= v < 2**62)
