"""dict (kaa/pyrt/dict.c) against CPython: random operation sequences compared in
content and order after each step, views, iterators, reprs and messages."""

from __future__ import annotations

import ctypes

import pytest
from hypothesis import given, settings, strategies as st

from .test_list import RT, RTError, outcome


@pytest.fixture(scope="module")
def rt(pyrt) -> RT:
    return RT(pyrt)



KEYS = st.one_of(st.integers(-6, 40), st.sampled_from(["a", "b", "ab", "héllo", "", "zz"]), st.just(True))
VALS = st.integers(-3, 3)
PAIRS = st.lists(st.tuples(KEYS, VALS), max_size=6)

DICT_OPS = st.one_of(
    st.tuples(st.just("set"), KEYS, VALS),
    st.tuples(st.just("set"), KEYS, VALS),
    st.tuples(st.just("get"), KEYS),
    st.tuples(st.just("getdefault"), KEYS, VALS),
    st.tuples(st.just("del"), KEYS),
    st.tuples(st.just("setdefault"), KEYS, VALS),
    st.tuples(st.just("pop"), KEYS),
    st.tuples(st.just("popdefault"), KEYS, VALS),
    st.tuples(st.just("popitem")),
    st.tuples(st.just("contains"), KEYS),
    st.tuples(st.just("update_dict"), PAIRS),
    st.tuples(st.just("update_pairs"), PAIRS),
    st.tuples(st.just("or"), PAIRS),
    st.tuples(st.just("copy")),
    st.tuples(st.just("clear")),
    st.tuples(st.just("eq"), PAIRS),
    st.tuples(st.just("len")),
)


def apply_py(d: dict, op: tuple):
    name, *a = op
    if name == "set":
        d[a[0]] = a[1]
        return None
    if name == "get":
        return d[a[0]]
    if name == "getdefault":
        return d.get(a[0], a[1])
    if name == "del":
        del d[a[0]]
        return None
    if name == "setdefault":
        return d.setdefault(a[0], a[1])
    if name == "pop":
        return d.pop(a[0])
    if name == "popdefault":
        return d.pop(a[0], a[1])
    if name == "popitem":
        return d.popitem()
    if name == "contains":
        return a[0] in d
    if name == "update_dict":
        return d.update(dict(a[0]))
    if name == "update_pairs":
        return d.update(a[0])
    if name == "or":
        return list((d | dict(a[0])).items())
    if name == "copy":
        return list(d.copy().items())
    if name == "clear":
        return d.clear()
    if name == "eq":
        return d == dict(a[0])
    if name == "len":
        return len(d)
    raise AssertionError(name)


def apply_rt(rt: RT, d: int, op: tuple):
    name, *a = op
    L = rt.lib
    v = [rt.from_py(x) for x in a]
    try:
        if name == "set":
            return rt.ok(L.k_dict_setitem(d, v[0], v[1]))
        if name == "get":
            return rt.take(L.k_dict_getitem(d, v[0]))
        if name == "getdefault":
            return rt.take(L.k_dict_get(d, v[0], v[1]))
        if name == "del":
            return rt.ok(L.k_dict_delitem(d, v[0]))
        if name == "setdefault":
            return rt.take(L.k_dict_setdefault(d, v[0], v[1]))
        if name == "pop":
            return rt.take(L.k_dict_pop(d, v[0], 0))
        if name == "popdefault":
            return rt.take(L.k_dict_pop(d, v[0], v[1]))
        if name == "popitem":
            return rt.take(L.k_dict_popitem(d))
        if name == "contains":
            return bool(rt.check(L.k_dict_contains(d, v[0]), -1))
        if name == "update_dict":
            other = rt.from_py(dict(a[0]))
            try:
                return rt.ok(L.k_dict_update(d, other))
            finally:
                rt.decref(other)
        if name == "update_pairs":
            return rt.ok(L.k_dict_update(d, v[0]))
        if name == "or":
            other = rt.from_py(dict(a[0]))
            try:
                return list(rt.take(L.k_dict_or(d, other)).items())
            finally:
                rt.decref(other)
        if name == "copy":
            return list(rt.take(L.k_dict_copy(d)).items())
        if name == "clear":
            return L.k_dict_clear(d)
        if name == "eq":
            other = rt.from_py(dict(a[0]))
            try:
                return bool(rt.check(L.k_dict_richcmp(d, other, 2), -1))
            finally:
                rt.decref(other)
        if name == "len":
            return L.k_dict_len(d)
        raise AssertionError(name)
    finally:
        for x in v:
            rt.decref(x)


@settings(max_examples=400, deadline=None)
@given(st.lists(DICT_OPS, max_size=40))
def test_dict_operations(rt, ops):
    live0 = rt.k_live.value
    ref: dict = {}
    d = rt.k_dict_new()
    for op in ops:
        expect = outcome(apply_py, ref, op)
        got = outcome(apply_rt, rt, d, op)
        assert got == expect, op
        assert list(rt.py(d).items()) == list(ref.items()), op
        assert rt.py_iter(d) == list(ref)
    rt.decref(d)
    assert rt.k_live.value == live0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 3000), max_size=3000), st.integers(1, 7))
def test_many_keys(rt, keys, every):
    """Growth, deletions and reinsertions at scale keep insertion order."""
    ref: dict = {}
    d = rt.k_dict_new()
    for i, k in enumerate(keys):
        kv = rt.from_py(k if i % 2 else str(k))
        if i % every == 0 and (k if i % 2 else str(k)) in ref:
            del ref[k if i % 2 else str(k)]
            rt.ok(rt.k_dict_delitem(d, kv))
        else:
            ref[k if i % 2 else str(k)] = i
            rt.ok(rt.k_dict_setitem(d, kv, rt.from_py(i)))
        rt.decref(kv)
    assert list(rt.py(d).items()) == list(ref.items())
    for k in list(ref)[:50]:
        kv = rt.from_py(k)
        assert rt.take(rt.k_dict_getitem(d, kv)) == ref[k]
        rt.decref(kv)
    rt.decref(d)


def test_key_error_and_messages(rt, live):
    d = rt.from_py({"a": 1})
    for key in ("b", 3, (1, 2)):
        kv = rt.from_py(key)
        assert outcome(lambda: rt.take(rt.k_dict_getitem(d, kv))) == outcome(lambda: {"a": 1}[key])
        assert outcome(lambda: rt.ok(rt.k_dict_delitem(d, kv))) == outcome(lambda: {"a": 1}.__delitem__(key))
        rt.decref(kv)
    empty = rt.k_dict_new()
    assert outcome(lambda: rt.take(rt.k_dict_popitem(empty))) == outcome(lambda: {}.popitem())
    lst = rt.from_py([1])
    assert outcome(lambda: rt.ok(rt.k_dict_setitem(d, lst, lst))) == outcome(lambda: {}.__setitem__([1], 1))
    bad = rt.from_py([(1, 2, 3)])
    assert outcome(lambda: rt.ok(rt.k_dict_update(empty, bad))) == outcome(lambda: {}.update([(1, 2, 3)]))
    bad2 = rt.from_py([5])
    assert outcome(lambda: rt.ok(rt.k_dict_update(empty, bad2))) == outcome(lambda: {}.update([5]))
    assert outcome(lambda: rt.take(rt.k_dict_or(d, lst))) == outcome(lambda: {"a": 1} | [1])
    for o in (d, empty, lst, bad, bad2):
        rt.decref(o)


def test_keyerror_args_is_key(rt, live):
    d = rt.k_dict_new()
    key = rt.from_py((1, "x"))
    rt.k_dict_getitem(d, key)
    with pytest.raises(RTError) as e:
        rt.check(0)
    assert e.value.args == ("KeyError", (1, "x"))
    rt.decref(key)
    rt.decref(d)


def test_changed_during_iteration(rt, live):
    d = rt.from_py({1: 1, 2: 2})
    it = rt.k_iter(d)
    x = rt.k_next(it)
    rt.ok(rt.k_dict_setitem(d, rt.from_py(3), rt.from_py(3)))
    with pytest.raises(RTError) as e:
        rt.check(rt.k_next(it))
    py = {1: 1, 2: 2}
    with pytest.raises(RuntimeError) as pe:
        for k in py:
            py[3] = 3
    assert e.value.args == ("RuntimeError", pe.value.args[0])
    rt.decref(it)
    rt.decref(d)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, st.one_of(VALS, st.text(max_size=3), st.lists(VALS, max_size=2)), max_size=5))
def test_repr_and_views(rt, x):
    d = rt.from_py(x)
    assert rt.repr(d) == repr(x)
    for fn, view in ((rt.k_dict_keys, x.keys()), (rt.k_dict_values, x.values()), (rt.k_dict_items, x.items())):
        vv = fn(d)
        assert rt.repr(vv) == repr(view)
        assert rt.check(rt.k_len(vv), -1) == len(view)
        assert rt.py_iter(vv) == list(view)
        rt.decref(vv)
    rt.decref(d)


def slot_contains(rt: RT, obj: int, x: int) -> bool:
    """`x in obj` through the contains slot of obj's KType (offset 120: see object.h)."""
    ktype = ctypes.c_uint64.from_address(obj + 8).value
    fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_uint64, ctypes.c_uint64)(ctypes.c_uint64.from_address(ktype + 120).value)
    return bool(rt.check(fn(obj, x), -1))


def test_view_contains_and_self_repr(rt, live):
    d = rt.from_py({"a": 1, 2: [3]})
    keys, values, items = rt.k_dict_keys(d), rt.k_dict_values(d), rt.k_dict_items(d)
    py = {"a": 1, 2: [3]}
    for x in ("a", 2, 1, "b", [3]):
        xv = rt.from_py(x)
        if not isinstance(x, list):
            assert slot_contains(rt, keys, xv) == (x in py.keys())
        assert slot_contains(rt, values, xv) == (x in py.values())
        rt.decref(xv)
    for pair in (("a", 1), ("a", 2), (2, [3]), (5, 5)):
        pv = rt.from_py(pair)
        assert slot_contains(rt, items, pv) == (pair in py.items())
        rt.decref(pv)
    name = rt.from_py("self")
    rt.ok(rt.k_dict_setitem(d, name, d))
    rt.decref(name)
    py["self"] = py
    assert rt.repr(d) == repr(py)
    rt.k_dict_clear(d)
    for o in (keys, values, items, d):
        rt.decref(o)


def test_fromkeys_and_next(rt, live):
    src = rt.from_py(["x", "y", "x", 3])
    none = rt.none
    d = rt.k_dict_fromkeys(src, none)
    assert rt.py(d) == dict.fromkeys(["x", "y", "x", 3])
    assert list(rt.py(d)) == list(dict.fromkeys(["x", "y", "x", 3]))
    rt.decref(d)
    rt.decref(src)


def test_popitem_then_insert_order(rt, live):
    ref = {i: i for i in range(10)}
    d = rt.from_py(ref)
    for i in range(4):
        assert rt.take(rt.k_dict_popitem(d)) == ref.popitem()
    for i in (20, 3, 21):
        ref[i] = i
        rt.ok(rt.k_dict_setitem(d, rt.from_py(i), rt.from_py(i)))
    assert list(rt.py(d).items()) == list(ref.items())
    rt.decref(d)
