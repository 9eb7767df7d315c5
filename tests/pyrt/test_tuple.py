"""tuple (kaa/pyrt/tuple.c) against CPython: hash, repr, comparisons, sequence operations."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from .test_list import OPS, RT, I64_MAX, outcome, none_or_small


@pytest.fixture(scope="module")
def rt(pyrt) -> RT:
    return RT(pyrt)



SCALARS = st.one_of(st.integers(-2**63, 2**63 - 1), st.booleans())   # hash(None) is its address in 3.11
NESTED = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4).map(tuple), max_leaves=10)


@settings(max_examples=400, deadline=None)
@given(st.lists(NESTED, max_size=6).map(tuple))
def test_hash_ints(rt, t):
    """hash() of tuples of ints, bools and nested tuples: exactly CPython 3.11's."""
    v = rt.from_py(t)
    assert rt.check(rt.k_tuple_hash(v), -1) == hash(t)
    assert rt.check(rt.k_hash(v), -1) == hash(t)
    rt.decref(v)


def cpython_hashes(values: list) -> list[int]:
    """hash() of each value in a CPython run with PYTHONHASHSEED=0 (str hashes are seeded)."""
    code = "import json,sys\nvals=json.load(sys.stdin)\n" \
           "def conv(x): return tuple(conv(y) for y in x) if isinstance(x, list) else x\n" \
           "print(json.dumps([hash(conv(v)) for v in vals]))"
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(values), capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"}, check=True)
    return json.loads(out.stdout)


def test_hash_strs(rt, live):
    """Tuples holding strs, against CPython with PYTHONHASHSEED=0 (the runtime's str hash)."""
    import random
    r = random.Random(5)
    words = ["", "a", "ab", "héllo", "日本", "x" * 40, "kaa"]
    values = []
    for _ in range(200):
        values.append(tuple(r.choice(words) if r.random() < 0.6 else r.randint(-9, 9) for _ in range(r.randint(0, 5))))
    values.append(("a", ("b", ("c",))))
    to_json = lambda x: [to_json(y) for y in x] if isinstance(x, tuple) else x
    expect = cpython_hashes([to_json(v) for v in values])
    for t, h in zip(values, expect):
        v = rt.from_py(t)
        assert rt.check(rt.k_tuple_hash(v), -1) == h, t
        rt.decref(v)


def test_hash_unhashable(rt, live):
    v = rt.from_py((1, [2]))
    assert outcome(lambda: rt.check(rt.k_tuple_hash(v), -1)) == outcome(hash, (1, [2]))
    rt.decref(v)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.one_of(st.integers(-100, 100), st.text(max_size=3), st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=3).map(tuple), st.lists(inner, max_size=2)),
                    max_leaves=10))
def test_repr(rt, x):
    v = rt.from_py(x)
    assert rt.repr(v) == repr(x)
    rt.decref(v)


ITEMS = st.lists(st.integers(-3, 3), max_size=6).map(tuple)


@settings(max_examples=300, deadline=None)
@given(ITEMS, ITEMS, st.sampled_from(sorted(OPS)))
def test_richcmp(rt, a, b, op):
    va, vb = rt.from_py(a), rt.from_py(b)
    expect = {"<": a < b, "<=": a <= b, "==": a == b, "!=": a != b, ">": a > b, ">=": a >= b}[op]
    assert rt.check(rt.k_tuple_richcmp(va, vb, OPS[op]), -1) == expect
    assert rt.check(rt.lib.k_richcmp(va, vb, OPS[op]), -1) == expect
    rt.decref(va)
    rt.decref(vb)


@settings(max_examples=300, deadline=None)
@given(ITEMS, st.integers(-8, 8), none_or_small(-9, 9), none_or_small(-9, 9), none_or_small(-3, 3),
       st.integers(-3, 3), st.integers(-2, 3), st.integers(-8, 8), st.integers(-8, 8))
def test_sequence_ops(rt, t, i, start, stop, step, x, n, lo, hi):
    v, vx = rt.from_py(t), rt.from_py(x)
    s, e, p = (rt.from_py(b) for b in (start, stop, step))
    assert outcome(lambda: rt.take(rt.k_tuple_getitem(v, i))) == outcome(lambda: t[i])
    assert outcome(lambda: rt.take(rt.k_tuple_slice(v, s, e, p))) == outcome(lambda: t[start:stop:step])
    assert rt.take(rt.k_tuple_repeat(v, n)) == t * n
    assert rt.take(rt.k_tuple_concat(v, v)) == t + t
    assert bool(rt.check(rt.k_tuple_contains(v, vx), -1)) == (x in t)
    assert rt.check(rt.k_tuple_count(v, vx), -1) == t.count(x)
    assert outcome(lambda: rt.check(rt.k_tuple_index(v, vx, lo, hi), -1)) == outcome(lambda: t.index(x, lo, hi))
    assert rt.py_iter(v) == list(t)
    assert rt.check(rt.k_len(v), -1) == len(t)
    for o in (v, vx, s, e, p):
        rt.decref(o)


def test_messages_and_from_iter(rt, live):
    t = rt.from_py((1, 2))
    lst = rt.from_py([1, 2])
    assert outcome(lambda: rt.take(rt.k_tuple_concat(t, lst))) == outcome(lambda: (1, 2) + [1, 2])
    assert outcome(lambda: rt.check(rt.k_tuple_index(t, rt.from_py(5), 0, I64_MAX), -1)) == \
        outcome(lambda: (1, 2).index(5))
    assert rt.take(rt.k_tuple_from_iter(lst)) == (1, 2)
    s = rt.from_py("héllo")
    assert rt.take(rt.k_tuple_from_iter(s)) == tuple("héllo")
    assert rt.repr(rt.k_tuple_new(0)) == "()"
    for o in (t, lst, s):
        rt.decref(o)
