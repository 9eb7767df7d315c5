"""collections (kaa/pyrt/deque.c, collections.c) against CPython's: random sequences of
deque operations (bounded and not), OrderedDict's reordering, Counter's counting,
most_common, arithmetic and comparisons, and defaultdict's factories, compared in
content, order, repr and raised exceptions after each step."""

from __future__ import annotations

import ctypes
import operator
from collections import Counter, OrderedDict, defaultdict, deque

import pytest
from hypothesis import given, settings, strategies as st

from .test_list import KEYFUNC, RT, outcome

K = ctypes.c_uint64
I64 = ctypes.c_int64
INT = ctypes.c_int
BOOL = ctypes.c_bool

SIGNATURES = {
    "k_deque_new": (K, [K, K]), "k_deque_append": (INT, [K, K]), "k_deque_appendleft": (INT, [K, K]),
    "k_deque_pop": (K, [K]), "k_deque_popleft": (K, [K]), "k_deque_extend": (INT, [K, K]),
    "k_deque_extendleft": (INT, [K, K]), "k_deque_rotate": (None, [K, I64]), "k_deque_clear": (None, [K]),
    "k_deque_reverse": (None, [K]), "k_deque_copy": (K, [K]), "k_deque_count": (I64, [K, K]),
    "k_deque_index": (I64, [K, K, I64, I64]), "k_deque_remove": (INT, [K, K]), "k_deque_insert": (INT, [K, I64, K]),
    "k_deque_getitem": (K, [K, I64]), "k_deque_setitem": (INT, [K, I64, K]), "k_deque_delitem": (INT, [K, I64]),
    "k_deque_maxlen": (K, [K]), "k_deque_len": (I64, [K]), "k_deque_contains": (INT, [K, K]),
    "k_deque_richcmp": (INT, [K, K, INT]),
    "k_defaultdict_new": (K, [K, K]), "k_counter_new": (K, [K]), "k_ordereddict_new": (K, [K]),
    "k_collections_copy": (K, [K]), "k_counter_update": (INT, [K, K]), "k_counter_subtract": (INT, [K, K]),
    "k_counter_most_common": (K, [K, K]), "k_counter_elements": (K, [K]), "k_counter_total": (K, [K]),
    "k_counter_binop": (K, [K, K, INT]), "k_counter_inplace": (INT, [K, K, INT]),
    "k_dict_move_to_end": (INT, [K, K, BOOL]), "k_ordereddict_popitem": (K, [K, BOOL]),
    "k_odict_keys": (K, [K]), "k_odict_values": (K, [K]), "k_odict_items": (K, [K]),
}
OPS = {"<": 0, "<=": 1, "==": 2, "!=": 3, ">": 4, ">=": 5}
PY_OPS = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne, ">": operator.gt,
          ">=": operator.ge}
BINOPS = {"+": 0, "-": 1, "&": 9, "|": 10}          # dynamic.h's K_ADD, K_SUB, K_AND, K_OR
PY_IOPS = {"+": operator.iadd, "-": operator.isub, "&": operator.iand, "|": operator.ior}


@pytest.fixture(scope="module")
def rt(pyrt) -> RT:
    r = RT(pyrt)
    for name, (res, args) in SIGNATURES.items():
        fn = getattr(pyrt, name)
        fn.restype, fn.argtypes = res, args
    return r


def entries(rt: RT, d: int) -> list:
    """The (key, value) entries of a dict or dict subclass, in order."""
    out = []
    pos, key, val = I64(0), K(0), K(0)
    while rt.lib.k_dict_next(d, ctypes.byref(pos), ctypes.byref(key), ctypes.byref(val)):
        out.append((rt.py(key.value), rt.py(val.value)))
    return out


def take_entries(rt: RT, d: int) -> list:
    rt.check(d)
    out = entries(rt, d)
    rt.decref(d)
    return out


# ---- deque ----

VALS = st.one_of(st.integers(-3, 6), st.sampled_from(["a", "b"]))
IDX = st.integers(-9, 9)
DEQUE_OPS = st.one_of(
    st.tuples(st.just("append"), VALS), st.tuples(st.just("appendleft"), VALS),
    st.tuples(st.just("pop")), st.tuples(st.just("popleft")),
    st.tuples(st.just("extend"), st.lists(VALS, max_size=5)),
    st.tuples(st.just("extendleft"), st.lists(VALS, max_size=5)),
    st.tuples(st.just("extend_self")),
    st.tuples(st.just("rotate"), st.integers(-20, 20)), st.tuples(st.just("clear")),
    st.tuples(st.just("count"), VALS), st.tuples(st.just("index"), VALS, IDX, IDX),
    st.tuples(st.just("remove"), VALS), st.tuples(st.just("insert"), IDX, VALS),
    st.tuples(st.just("get"), IDX), st.tuples(st.just("set"), IDX, VALS), st.tuples(st.just("del"), IDX),
    st.tuples(st.just("reverse")), st.tuples(st.just("contains"), VALS), st.tuples(st.just("copy")),
    st.tuples(st.just("cmp"), st.sampled_from(list(OPS)), st.lists(st.integers(-3, 6), max_size=6)),
)


def deque_py(d: deque, op: tuple):
    name, *a = op
    if name == "extend_self":
        return d.extend(d)
    if name == "index":
        return d.index(*a)
    if name == "get":
        return d[a[0]]
    if name == "set":
        d[a[0]] = a[1]
        return None
    if name == "del":
        del d[a[0]]
        return None
    if name == "contains":
        return a[0] in d
    if name == "copy":
        c = d.copy()
        return list(c), c.maxlen
    if name == "cmp":
        return PY_OPS[a[0]](d, deque(a[1]))
    return getattr(d, name)(*a)


def deque_rt(rt: RT, d: int, op: tuple):
    name, *a = op
    L = rt.lib
    if name in ("append", "appendleft", "count", "remove", "contains"):
        x = rt.from_py(a[0])
        try:
            if name == "count":
                return rt.check(L.k_deque_count(d, x), -1)
            if name == "contains":
                return bool(rt.check(L.k_deque_contains(d, x), -1))
            return rt.ok(getattr(L, f"k_deque_{name}")(d, x)) or None
        finally:
            rt.decref(x)
    if name in ("pop", "popleft"):
        return rt.take(getattr(L, f"k_deque_{name}")(d))
    if name in ("extend", "extendleft"):
        items = rt.from_py(a[0])
        try:
            return rt.ok(getattr(L, f"k_deque_{name}")(d, items)) or None
        finally:
            rt.decref(items)
    if name == "extend_self":
        return rt.ok(L.k_deque_extend(d, d)) or None
    if name in ("rotate", "clear", "reverse"):
        return getattr(L, f"k_deque_{name}")(d, *a)
    if name == "index":
        x = rt.from_py(a[0])
        try:
            return rt.check(L.k_deque_index(d, x, a[1], a[2]), -1)
        finally:
            rt.decref(x)
    if name == "insert":
        x = rt.from_py(a[1])
        try:
            return rt.ok(L.k_deque_insert(d, a[0], x)) or None
        finally:
            rt.decref(x)
    if name == "get":
        return rt.take(L.k_deque_getitem(d, a[0]))
    if name == "set":
        x = rt.from_py(a[1])
        try:
            return rt.ok(L.k_deque_setitem(d, a[0], x)) or None
        finally:
            rt.decref(x)
    if name == "del":
        return rt.ok(L.k_deque_delitem(d, a[0])) or None
    if name == "copy":
        c = rt.check(L.k_deque_copy(d))
        out = rt.py_iter(c), rt.take(L.k_deque_maxlen(c))
        rt.decref(c)
        return out
    if name == "cmp":
        items = rt.from_py(a[1])
        other = rt.check(L.k_deque_new(items, rt.none))
        rt.decref(items)
        try:
            return bool(rt.check(L.k_deque_richcmp(d, other, OPS[a[0]]), -1))
        finally:
            rt.decref(other)
    raise AssertionError(name)


@settings(max_examples=500, deadline=None)
@given(st.lists(VALS, max_size=6), st.one_of(st.none(), st.integers(0, 6)), st.lists(DEQUE_OPS, max_size=40))
def test_deque_operations(rt, start, maxlen, ops):
    live0 = rt.k_live.value
    ref = deque(start, maxlen)
    items, m = rt.from_py(start), rt.from_py(maxlen)
    d = rt.check(rt.lib.k_deque_new(items, m))
    rt.decref(items)
    for op in ops:
        expect = outcome(deque_py, ref, op)
        got = outcome(deque_rt, rt, d, op)
        assert got == expect, op
        assert rt.py_iter(d) == list(ref), op
        assert rt.lib.k_deque_len(d) == len(ref)
    assert rt.repr(d) == repr(ref)
    assert rt.take(rt.lib.k_deque_maxlen(d)) == ref.maxlen
    rt.decref(d)
    assert rt.k_live.value == live0


def test_deque_maxlen_errors_and_reprs(rt, live):
    L = rt.lib
    m = rt.from_py(-1)
    assert outcome(lambda: rt.check(L.k_deque_new(0, m))) == outcome(lambda: deque((), -1))
    items = rt.from_py(["x", 1.5, (1, 2)])
    d = rt.check(L.k_deque_new(items, rt.none))
    ref: deque = deque(["x", 1.5, (1, 2)])
    assert rt.repr(d) == repr(ref)
    rt.ok(L.k_deque_append(d, d))                          # a deque inside itself
    ref.append(ref)
    assert rt.repr(d) == repr(ref)
    L.k_deque_clear(d)                                    # drops the cycle
    assert rt.repr(d) == repr(deque())
    for o in (d, items):
        rt.decref(o)


def test_deque_mutated_during_iteration(rt, live):
    items = rt.from_py([1, 2, 3])
    d = rt.check(rt.lib.k_deque_new(items, rt.none))
    it = rt.check(rt.lib.k_iter(d))
    first = rt.lib.k_next(it)
    assert rt.py(first) == 1
    one = rt.from_py(9)
    rt.ok(rt.lib.k_deque_append(d, one))
    ref = deque([1, 2, 3])
    ref_it = iter(ref)
    next(ref_it)
    ref.append(9)
    assert outcome(lambda: rt.check(rt.lib.k_next(it))) == outcome(lambda: next(ref_it))
    for o in (it, d, items):
        rt.decref(o)


# ---- Counter ----

COUNT_KEYS = st.sampled_from(["a", "b", "c", "d", 1, 2])
COUNTS = st.dictionaries(COUNT_KEYS, st.integers(-3, 4), max_size=6)


def counter(rt: RT, counts: dict) -> int:
    m = rt.from_py(counts)
    c = rt.check(rt.lib.k_counter_new(m))
    rt.decref(m)
    return c


@settings(max_examples=300, deadline=None)
@given(COUNTS, COUNTS, st.lists(COUNT_KEYS, max_size=8), st.one_of(st.none(), st.integers(-2, 8)))
def test_counter_against_cpython(rt, a, b, seq, n):
    live0 = rt.k_live.value
    L = rt.lib
    ca, cb, ref_a, ref_b = counter(rt, a), counter(rt, b), Counter(a), Counter(b)
    assert entries(rt, ca) == list(ref_a.items())
    assert rt.repr(ca) == repr(ref_a)
    nv = rt.from_py(n)
    assert rt.take(L.k_counter_most_common(ca, nv)) == ref_a.most_common(n)
    assert rt.take(L.k_counter_total(ca)) == ref_a.total()
    elements = rt.check(L.k_counter_elements(ca))
    assert rt.py_iter(elements) == list(ref_a.elements())
    rt.decref(elements)
    for sym, op in BINOPS.items():
        got = take_entries(rt, L.k_counter_binop(ca, cb, op))
        expect = {"+": ref_a + ref_b, "-": ref_a - ref_b, "&": ref_a & ref_b, "|": ref_a | ref_b}[sym]
        assert got == list(expect.items()), sym
    for sym, op in OPS.items():
        expect = PY_OPS[sym](ref_a, ref_b)
        assert bool(rt.check(L.k_richcmp(ca, cb, op), -1)) == expect, sym
    assert take_entries(rt, L.k_dict_or(ca, cb)) == list((ref_a | ref_b).items())
    for sym, op in BINOPS.items():
        copy = rt.check(L.k_collections_copy(ca))
        rt.ok(L.k_counter_inplace(copy, cb, op))
        ref = Counter(a)
        PY_IOPS[sym](ref, ref_b)
        assert entries(rt, copy) == list(ref.items()), sym
        assert rt.repr(copy) == repr(ref)
        rt.decref(copy)
    copy = rt.check(L.k_collections_copy(ca))
    rt.ok(L.k_dict_ior(copy, cb))
    ior = Counter(a)
    ior |= ref_b
    assert entries(rt, copy) == list(ior.items())
    items = rt.from_py(seq)
    rt.ok(L.k_counter_update(ca, items))
    ref_a.update(seq)
    assert entries(rt, ca) == list(ref_a.items())
    rt.ok(L.k_counter_subtract(ca, cb))
    ref_a.subtract(ref_b)
    assert entries(rt, ca) == list(ref_a.items())
    rt.ok(L.k_counter_subtract(ca, items))
    ref_a.subtract(seq)
    rt.ok(L.k_counter_update(ca, cb))
    ref_a.update(ref_b)
    assert entries(rt, ca) == list(ref_a.items())
    assert rt.repr(ca) == repr(ref_a)
    for o in (ca, cb, nv, copy, items):
        rt.decref(o)
    assert rt.k_live.value == live0


def test_counter_missing_key_reads_zero(rt, live):
    c = counter(rt, {"a": 2})
    for key in ("a", "zz"):
        kv = rt.from_py(key)
        assert rt.take(rt.lib.k_dict_getitem(c, kv)) == Counter({"a": 2})[key]
        rt.decref(kv)
    assert entries(rt, c) == [("a", 2)]
    assert rt.repr(c) == "Counter({'a': 2})"
    empty = rt.check(rt.lib.k_counter_new(0))
    assert rt.repr(empty) == repr(Counter())
    for o in (c, empty):
        rt.decref(o)


# ---- OrderedDict ----

OD_KEYS = st.sampled_from(["a", "b", "c", "d", 7])
OD_OPS = st.one_of(
    st.tuples(st.just("set"), OD_KEYS, st.integers(0, 9)), st.tuples(st.just("del"), OD_KEYS),
    st.tuples(st.just("move"), OD_KEYS, st.booleans()), st.tuples(st.just("popitem"), st.booleans()),
    st.tuples(st.just("eq"), st.lists(st.tuples(OD_KEYS, st.integers(0, 9)), max_size=5)),
)


def od_py(d: OrderedDict, op: tuple):
    name, *a = op
    if name == "set":
        d[a[0]] = a[1]
        return None
    if name == "del":
        del d[a[0]]
        return None
    if name == "move":
        return d.move_to_end(a[0], last=a[1])
    if name == "popitem":
        return d.popitem(last=a[0])
    other = OrderedDict(a[0])
    return d == other, d == dict(other)


def od_rt(rt: RT, d: int, op: tuple):
    name, *a = op
    L = rt.lib
    if name == "popitem":
        return rt.take(L.k_ordereddict_popitem(d, a[0]))
    if name == "eq":
        pairs = rt.from_py(a[0])
        other = rt.check(L.k_ordereddict_new(pairs))
        plain = rt.lib.k_dict_copy(other)
        try:
            return bool(rt.check(L.k_richcmp(d, other, 2), -1)), bool(rt.check(L.k_richcmp(d, plain, 2), -1))
        finally:
            for o in (pairs, other, plain):
                rt.decref(o)
    key = rt.from_py(a[0])
    try:
        if name == "set":
            value = rt.from_py(a[1])
            r = L.k_dict_setitem(d, key, value)
            rt.decref(value)
            return rt.ok(r)
        if name == "del":
            return rt.ok(L.k_dict_delitem(d, key))
        return rt.ok(L.k_dict_move_to_end(d, key, a[1]))
    finally:
        rt.decref(key)


@settings(max_examples=300, deadline=None)
@given(st.lists(OD_OPS, max_size=40))
def test_ordereddict_operations(rt, ops):
    live0 = rt.k_live.value
    ref: OrderedDict = OrderedDict()
    d = rt.check(rt.lib.k_ordereddict_new(0))
    for op in ops:
        assert outcome(od_rt, rt, d, op) == outcome(od_py, ref, op), op
        assert entries(rt, d) == list(ref.items()), op
    assert rt.repr(d) == repr(ref)
    for fn, view in ((rt.lib.k_odict_keys, ref.keys()), (rt.lib.k_odict_values, ref.values()),
                     (rt.lib.k_odict_items, ref.items())):
        v = rt.check(fn(d))
        assert rt.repr(v) == repr(view)
        rt.decref(v)
    copy = rt.check(rt.lib.k_collections_copy(d))
    assert rt.repr(copy) == repr(ref.copy())
    for o in (d, copy):
        rt.decref(o)
    assert rt.k_live.value == live0


# ---- defaultdict ----

def factory_func(rt: RT, fn) -> int:
    """A KFunc kval of no arguments calling fn() (kept alive by rt)."""
    cb = KEYFUNC(lambda self_, args, nargs: rt.from_py(fn()))
    fn_type = ctypes.addressof(ctypes.c_char.in_dll(rt.lib, "k_function_type"))
    obj = (ctypes.c_uint64 * 3)(1 << 60, fn_type, ctypes.cast(cb, ctypes.c_void_p).value)
    rt._keep += [cb, obj]
    return ctypes.addressof(obj)


def test_defaultdict_factories(rt, live):
    L = rt.lib
    for name, factory in (("list", list), ("int", int), ("str", str), ("float", float), ("dict", dict),
                          ("tuple", tuple)):
        d = rt.check(L.k_defaultdict_new(rt.types[name], 0))
        ref: defaultdict = defaultdict(factory)
        key = rt.from_py("k")
        assert rt.take(L.k_dict_getitem(d, key)) == ref["k"]
        assert entries(rt, d) == list(ref.items())
        assert rt.repr(d) == repr(ref)
        copy = rt.check(L.k_collections_copy(d))
        assert rt.repr(copy) == repr(ref.copy())
        for o in (d, key, copy):
            rt.decref(o)
    calls: list[int] = []
    fn = factory_func(rt, lambda: calls.append(1) or len(calls) * 10)
    seed = rt.from_py({"a": 1})
    d = rt.check(L.k_defaultdict_new(fn, seed))
    for key in ("a", "b", "c", "b"):
        kv = rt.from_py(key)
        rt.take(L.k_dict_getitem(d, kv))
        rt.decref(kv)
    assert entries(rt, d) == [("a", 1), ("b", 10), ("c", 20)]
    none = rt.check(L.k_defaultdict_new(rt.none, 0))
    kv = rt.from_py("x")
    assert outcome(lambda: rt.take(L.k_dict_getitem(none, kv))) == outcome(lambda: defaultdict(None)["x"])
    assert rt.repr(none) == repr(defaultdict(None))
    for o in (d, seed, none, kv):
        rt.decref(o)
