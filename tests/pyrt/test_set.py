"""set (kaa/pyrt/set.c) against CPython 3.11, including iteration order.

A set's iteration order is its hash table's order, so the runtime must give the same
order as CPython after the same operations. Int hashes are not randomized: those
sequences run against this process's sets. str hashes are: sequences with strs run in
a CPython subprocess with PYTHONHASHSEED=0, which the runtime's str hash matches.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from .test_list import OPS, RT, RTError, outcome


@pytest.fixture(scope="module")
def rt(pyrt) -> RT:
    return RT(pyrt)



# The CPython side: run a sequence of operations, recording each result (sets as lists,
# in iteration order) and the set after each step. Also executed in a subprocess.
PY_EXECUTOR = r'''
def run_ops(start, ops):
    s = set(start)
    trace = []
    for op in ops:
        name, a = op[0], op[1:]
        try:
            if name == "add": r = s.add(a[0])
            elif name == "discard": r = s.discard(a[0])
            elif name == "remove": r = s.remove(a[0])
            elif name == "pop": r = s.pop()
            elif name == "clear": r = s.clear()
            elif name == "contains": r = a[0] in s
            elif name == "len": r = len(s)
            elif name == "copy": r = list(s.copy())
            elif name == "update": r = s.update(a[0])
            elif name == "update_dict": r = s.update(dict.fromkeys(a[0]))
            elif name == "ior": s |= set(a[0]); r = None
            elif name == "iand": s &= set(a[0]); r = None
            elif name == "isub": s -= set(a[0]); r = None
            elif name == "ixor": s ^= set(a[0]); r = None
            elif name == "intersection_update": r = s.intersection_update(a[0])
            elif name == "difference_update": r = s.difference_update(a[0])
            elif name == "symmetric_difference_update": r = s.symmetric_difference_update(a[0])
            elif name == "or": r = list(s | set(a[0]))
            elif name == "and": r = list(s & set(a[0]))
            elif name == "sub": r = list(s - set(a[0]))
            elif name == "xor": r = list(s ^ set(a[0]))
            elif name == "rsub": r = list(set(a[0]) - s)
            elif name == "union": r = list(s.union(a[0]))
            elif name == "intersection": r = list(s.intersection(a[0]))
            elif name == "difference": r = list(s.difference(a[0]))
            elif name == "difference_dict": r = list(s.difference(dict.fromkeys(a[0])))
            elif name == "symmetric_difference": r = list(s.symmetric_difference(a[0]))
            elif name == "issubset": r = s.issubset(a[0])
            elif name == "issuperset": r = s.issuperset(a[0])
            elif name == "isdisjoint": r = s.isdisjoint(a[0])
            elif name == "cmp":
                o = set(a[0])
                r = {"<": s < o, "<=": s <= o, "==": s == o, "!=": s != o, ">": s > o, ">=": s >= o}[a[1]]
            elif name == "self_ops":
                r = [list(s | s), list(s & s), list(s - s), list(s ^ s)]
            else: raise AssertionError(name)
            res = ["ok", r]
        except Exception as e:
            res = ["raise", type(e).__name__, e.args[0] if len(e.args) == 1 else list(e.args)]
        trace.append([res, list(s)])
    return trace
'''
namespace: dict = {}
exec(PY_EXECUTOR, namespace)
run_ops_py = namespace["run_ops"]


def run_ops_rt(rt: RT, start: list, ops: list) -> list:
    """The same sequence on a runtime set."""
    L = rt.lib
    src = rt.from_py(start)
    s = rt.check(L.k_set_from_iter(src))
    rt.decref(src)
    trace = []

    def as_set(items):
        lst = rt.from_py(items)
        r = rt.check(L.k_set_from_iter(lst))
        rt.decref(lst)
        return r

    def as_dict(items):
        lst = rt.from_py(items)
        r = rt.check(L.k_dict_fromkeys(lst, rt.none))
        rt.decref(lst)
        return r

    def set_result(v):
        return rt.take(v)

    for op in ops:
        name, a = op[0], op[1:]
        tmp = [rt.from_py(x) for x in a]
        try:
            if name == "add": r = rt.ok(L.k_set_add(s, tmp[0]))
            elif name == "discard": r = (rt.check(L.k_set_discard(s, tmp[0]), -1), None)[1]
            elif name == "remove": r = rt.ok(L.k_set_remove(s, tmp[0]))
            elif name == "pop": r = rt.take(L.k_set_pop(s))
            elif name == "clear": r = L.k_set_clear(s)
            elif name == "contains": r = bool(rt.check(L.k_set_contains(s, tmp[0]), -1))
            elif name == "len": r = L.k_set_len(s)
            elif name == "copy": r = set_result(L.k_set_copy(s))
            elif name == "update": r = rt.ok(L.k_set_update(s, tmp[0]))
            elif name in ("update_dict", "difference_dict"):
                d = as_dict(a[0])
                try:
                    if name == "update_dict":
                        r = rt.ok(L.k_set_update(s, d))
                    else:
                        r = set_result(L.k_set_difference(s, d))
                finally:
                    rt.decref(d)
            elif name in ("ior", "iand", "isub", "ixor", "or", "and", "sub", "xor", "rsub", "cmp"):
                o = as_set(a[0])
                try:
                    if name == "ior": r = rt.ok(L.k_set_update(s, o))
                    elif name == "iand": r = rt.ok(L.k_set_intersection_update(s, o))
                    elif name == "isub": r = rt.ok(L.k_set_difference_update(s, o))
                    elif name == "ixor": r = rt.ok(L.k_set_symmetric_difference_update(s, o))
                    elif name == "or": r = set_result(L.k_set_or(s, o))
                    elif name == "and": r = set_result(L.k_set_and(s, o))
                    elif name == "sub": r = set_result(L.k_set_sub(s, o))
                    elif name == "xor": r = set_result(L.k_set_xor(s, o))
                    elif name == "rsub": r = set_result(L.k_set_sub(o, s))
                    else: r = bool(rt.check(L.k_set_richcmp(s, o, OPS[a[1]]), -1))
                finally:
                    rt.decref(o)
            elif name == "intersection_update": r = rt.ok(L.k_set_intersection_update(s, tmp[0]))
            elif name == "difference_update": r = rt.ok(L.k_set_difference_update(s, tmp[0]))
            elif name == "symmetric_difference_update": r = rt.ok(L.k_set_symmetric_difference_update(s, tmp[0]))
            elif name == "union": r = set_result(L.k_set_union(s, tmp[0]))
            elif name == "intersection": r = set_result(L.k_set_intersection(s, tmp[0]))
            elif name == "difference": r = set_result(L.k_set_difference(s, tmp[0]))
            elif name == "symmetric_difference": r = set_result(L.k_set_symmetric_difference(s, tmp[0]))
            elif name == "issubset": r = bool(rt.check(L.k_set_issubset(s, tmp[0]), -1))
            elif name == "issuperset": r = bool(rt.check(L.k_set_issuperset(s, tmp[0]), -1))
            elif name == "isdisjoint": r = bool(rt.check(L.k_set_isdisjoint(s, tmp[0]), -1))
            elif name == "self_ops":
                r = [set_result(f(s, s)) for f in (L.k_set_or, L.k_set_and, L.k_set_sub, L.k_set_xor)]
            else: raise AssertionError(name)
            res = ["ok", r]
        except RTError as e:
            res = ["raise", e.args[0], e.args[1]]
        finally:
            for x in tmp:
                rt.decref(x)
        trace.append([res, rt.py(s)])
    rt.decref(s)
    return trace


def jsonable(trace):
    return json.loads(json.dumps(trace))


INTS = st.one_of(st.integers(-10, 40), st.sampled_from([64, 128, 256, 1000, 1024, 2**20, 2**61 - 1, 2**61, -2**40]),
                 st.integers(-2**62, 2**62 - 1))
ITEMS = st.lists(INTS, max_size=12)


def set_ops(elem, items):
    return st.one_of(
        *[st.tuples(st.just(n), elem) for n in ("add", "add", "add", "discard", "remove", "contains")],
        *[st.tuples(st.just(n)) for n in ("pop", "pop", "clear", "len", "copy", "self_ops")],
        *[st.tuples(st.just(n), items) for n in (
            "update", "update_dict", "ior", "iand", "isub", "ixor", "intersection_update", "difference_update",
            "symmetric_difference_update", "or", "and", "sub", "xor", "rsub", "union", "intersection",
            "difference", "difference_dict", "symmetric_difference", "issubset", "issuperset", "isdisjoint")],
        st.tuples(st.just("cmp"), items, st.sampled_from(sorted(OPS))),
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(INTS, max_size=30), st.lists(set_ops(INTS, ITEMS), max_size=30))
def test_int_sets_match_cpython(rt, start, ops):
    live0 = rt.k_live.value
    assert run_ops_rt(rt, start, ops) == jsonable(run_ops_py(start, ops))
    assert rt.k_live.value == live0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5000), max_size=2000), st.integers(2, 9), st.integers(0, 1000))
def test_big_int_sets_order(rt, items, every, seed):
    """Growth past many resizes, with deletions leaving dummies and pops (the finger)."""
    r = random.Random(seed)
    ops: list = []
    for i, x in enumerate(items):
        ops.append(("add", x))
        if i % every == 0:
            ops.append(("discard", r.choice(items)))
        if i % (every * 7) == 0:
            ops.append(("pop",))
    ops.append(("isub", items[::3]))
    ops.append(("ixor", items[::5]))
    expect = jsonable(run_ops_py([], ops))
    got = run_ops_rt(rt, [], ops)
    assert got[-3:] == expect[-3:]
    assert got == expect


WORDS = ["", "a", "b", "c", "ab", "ba", "kaa", "héllo", "日本", "x1", "x2", "x3", "y" * 20, "z", "q", "w"]


def random_str_ops(r: random.Random, n: int) -> list:
    def items():
        return [r.choice(WORDS) if r.random() < 0.8 else r.randint(-5, 30) for _ in range(r.randint(0, 8))]
    names1 = ["add", "add", "add", "discard", "remove", "contains"]
    names0 = ["pop", "clear", "len", "copy", "self_ops"]
    names_items = ["update", "update_dict", "ior", "iand", "isub", "ixor", "intersection_update",
                   "difference_update", "symmetric_difference_update", "or", "and", "sub", "xor", "rsub", "union",
                   "intersection", "difference", "difference_dict", "symmetric_difference", "issubset",
                   "issuperset", "isdisjoint"]
    ops = []
    for _ in range(n):
        k = r.random()
        if k < 0.55:
            ops.append([r.choice(names1), r.choice(WORDS) if r.random() < 0.8 else r.randint(-5, 30)])
        elif k < 0.65:
            ops.append([r.choice(names0)])
        elif k < 0.95:
            ops.append([r.choice(names_items), items()])
        else:
            ops.append(["cmp", items(), r.choice(sorted(OPS))])
    return ops


def test_str_sets_match_cpython(rt, live):
    """Sets of strs (and ints): order against CPython run with PYTHONHASHSEED=0."""
    r = random.Random(2024)
    cases = [[[r.choice(WORDS) for _ in range(r.randint(0, 12))], random_str_ops(r, r.randint(1, 40))]
             for _ in range(300)]
    cases.append([WORDS * 3, [["add", w + "!"] for w in WORDS] + [["pop"]] * 5 + [["isub", WORDS[::2]]]])
    code = PY_EXECUTOR + "\nimport json, sys\n" \
        "print(json.dumps([run_ops(s, [tuple(o) for o in ops]) for s, ops in json.load(sys.stdin)]))"
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(cases), capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"}, check=True)
    expect = json.loads(out.stdout)
    for (start, ops), exp in zip(cases, expect):
        assert run_ops_rt(rt, start, [tuple(o) for o in ops]) == exp, (start, ops)


def test_messages(rt, live):
    s = rt.k_set_new()
    assert outcome(lambda: rt.take(rt.k_set_pop(s))) == outcome(lambda: set().pop())
    k = rt.from_py("k")
    assert outcome(lambda: rt.ok(rt.k_set_remove(s, k))) == outcome(lambda: set().remove("k"))
    lst = rt.from_py([1])
    assert outcome(lambda: rt.ok(rt.k_set_add(s, lst))) == outcome(lambda: set().add([1]))
    assert outcome(lambda: rt.take(rt.k_set_or(s, lst))) == outcome(lambda: set() | [1])
    assert outcome(lambda: rt.take(rt.k_set_sub(s, lst))) == outcome(lambda: set() - [1])
    for o in (s, k, lst):
        rt.decref(o)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-50, 50), max_size=10))
def test_repr(rt, items):
    s = rt.from_py(items)
    v = rt.check(rt.k_set_from_iter(s))
    assert rt.repr(v) == repr(set(items))
    rt.decref(v)
    rt.decref(s)


def test_changed_during_iteration(rt, live):
    s = rt.from_py({1, 2})
    it = rt.k_iter(s)
    rt.decref(rt.k_next(it))
    rt.ok(rt.k_set_add(s, rt.from_py(3)))
    py = {1, 2}
    with pytest.raises(RuntimeError) as pe:
        for _ in py:
            py.add(3)
    with pytest.raises(RTError) as e:
        rt.check(rt.k_next(it))
    assert e.value.args == ("RuntimeError", pe.value.args[0])
    rt.decref(it)
    rt.decref(s)
