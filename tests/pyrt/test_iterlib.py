"""heapq, bisect, itertools and functools.reduce (kaa/pyrt/heapq_bisect.c, itertools.c)
against CPython's modules.

Heaps: random operation sequences run on a CPython list (with heapq) and on a runtime
list side by side; the list's order after each step and each result or exception must
agree, which holds only if the sifts are CPython's exactly. bisect: positions on random
sorted lists with random lo/hi. The iterators: their items (or the exception where they
stop) for random inputs and arguments; groupby with random interleavings of the outer and
the group iterators, as they share one input.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import heapq
import itertools
import math

import pytest
from hypothesis import given, settings, strategies as st

from .test_list import I64, K, RT, RTError

FUNC = ctypes.CFUNCTYPE(K, K, ctypes.POINTER(K), I64)
C_INT = ctypes.c_int

SIGNATURES = {
    "k_heapq_heappush": (C_INT, [K, K]), "k_heapq_heappop": (K, [K]), "k_heapq_heapify": (C_INT, [K]),
    "k_heapq_heapreplace": (K, [K, K]), "k_heapq_heappushpop": (K, [K, K]),
    "k_heapq_nsmallest": (K, [I64, K, K]), "k_heapq_nlargest": (K, [I64, K, K]),
    "k_bisect_left": (I64, [K, K, I64, K, K]), "k_bisect_right": (I64, [K, K, I64, K, K]),
    "k_bisect_insort_left": (C_INT, [K, K, I64, K, K]), "k_bisect_insort_right": (C_INT, [K, K, I64, K, K]),
    "k_itertools_count": (K, [K, K]), "k_itertools_chain": (K, [K] * 6), "k_itertools_islice": (K, [K, K, K, K]),
    "k_itertools_product": (K, [K] * 6 + [I64]), "k_itertools_permutations": (K, [K, K]),
    "k_itertools_combinations": (K, [K, I64]), "k_itertools_combinations_with_replacement": (K, [K, I64]),
    "k_itertools_groupby": (K, [K, K]), "k_itertools_accumulate": (K, [K, K, K]),
    "k_itertools_zip_longest": (K, [K] * 7), "k_itertools_pairwise": (K, [K]), "k_itertools_cycle": (K, [K]),
    "k_itertools_repeat": (K, [K, K]), "k_itertools_takewhile": (K, [K, K]), "k_itertools_dropwhile": (K, [K, K]),
    "k_itertools_filterfalse": (K, [K, K]), "k_itertools_compress": (K, [K, K]),
    "k_functools_reduce": (K, [K, K, K]),
}


class LibRT(RT):
    def __init__(self, lib: ctypes.CDLL) -> None:
        super().__init__(lib)
        for name, (res, args) in SIGNATURES.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args

    def func(self, fn) -> int:
        """A KFunc kval calling fn(*python values) -> python value (kept alive by self)."""
        def call(self_, args, nargs):
            try:
                return self.from_py(fn(*(self.py(args[i]) for i in range(nargs))))
            except Exception as e:      # the runtime sees it as a ValueError
                self.lib.k_raise_str(ctypes.addressof(ctypes.c_char.in_dll(self.lib, "k_ValueError_type")),
                                     str(e).encode())
                return 0
        cb = FUNC(call)
        fn_type = ctypes.addressof(ctypes.c_char.in_dll(self.lib, "k_function_type"))
        obj = (ctypes.c_uint64 * 3)(1 << 60, fn_type, ctypes.cast(cb, ctypes.c_void_p).value)
        self._keep += [cb, obj]
        return ctypes.addressof(obj)

    def items(self, it: int, limit: int = 10_000) -> list:
        """Up to limit items of a runtime iterator (a new reference, released), then the
        exception it stopped with, as ("raise", type, message), if any."""
        self.check(it)
        out: list = []
        try:
            while len(out) < limit:
                x = self.lib.k_next(it)
                if not x:
                    self.check(None, None)
                    break
                out.append(self.py(x))
                self.decref(x)
        except RTError as e:
            out.append(("raise", e.args[0], e.args[1]))
        self.decref(it)
        return out


@pytest.fixture(scope="module")
def rt(pyrt) -> LibRT:
    lib = pyrt
    lib.k_raise_str.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.k_raise_str.restype = None
    for name in ("k_int_lshift_slow", "k_int_neg_slow"):
        getattr(lib, name).restype = K
        getattr(lib, name).argtypes = [K] * (2 if "shift" in name else 1)
    return LibRT(lib)


def py_items(it, limit: int = 10_000) -> list:
    """CPython's side of LibRT.items."""
    out: list = []
    try:
        for x in it:
            out.append(x)
            if len(out) == limit:
                break
    except Exception as e:
        out.append(("raise", type(e).__name__, e.args[0] if len(e.args) == 1 else e.args))
    return out


def run(rt: LibRT, fn, *args):
    """fn(*args) on the runtime: ("ok", Python value of the result) or ("raise", type, message)."""
    try:
        return ("ok", rt.take(fn(*args)))
    except RTError as e:
        return ("raise", e.args[0], e.args[1])


def run_py(fn, *args):
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raise", type(e).__name__, e.args[0] if len(e.args) == 1 else e.args)


def same(a, b) -> bool:
    """Equal, NaN included (repr tells a NaN and its position)."""
    return repr(a) == repr(b)


@pytest.fixture(autouse=True)
def no_leaks(rt: LibRT):
    start = rt.k_live.value
    yield
    assert rt.k_live.value == start, "leaked runtime objects"


# ---- heapq ----

NUMBERS = st.one_of(st.integers(-6, 6), st.integers(-6, 6), st.floats(-6, 6, allow_nan=False), st.just(math.nan))
ITEMS = st.one_of(NUMBERS, st.just("s"))            # a str in a heap of numbers: TypeError mid-sift
HEAP_OPS = st.one_of(
    st.tuples(st.just("heappush"), ITEMS),
    st.tuples(st.just("heappop")),
    st.tuples(st.just("heapreplace"), ITEMS),
    st.tuples(st.just("heappushpop"), ITEMS),
    st.tuples(st.just("heapify")),
)


def heap_op_rt(rt: LibRT, heap: int, op: tuple):
    name, *a = op
    fn = getattr(rt.lib, f"k_heapq_{name}")
    args = [rt.from_py(x) for x in a]
    try:
        r = fn(heap, *args)
        if name in ("heappush", "heapify"):
            rt.check(r, -1)
            return ("ok", None)
        return ("ok", rt.take(r))
    except RTError as e:
        return ("raise", e.args[0], e.args[1])
    finally:
        for v in args:
            rt.decref(v)


@settings(max_examples=400, deadline=None)
@given(st.lists(NUMBERS, max_size=10), st.lists(HEAP_OPS, max_size=30))
def test_heap_operations(rt, start, ops):
    ref = list(start)
    heap = rt.from_py(start)
    for op in ops:
        expect = run_py(getattr(heapq, op[0]), ref, *op[1:])
        got = heap_op_rt(rt, heap, op)
        assert same(got, expect), op
        assert same(rt.py(heap), ref), op
    rt.decref(heap)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-50, 50), max_size=60))
def test_heap_pop_order(rt, items):
    """Pushing everything, then popping everything: sorted order, the heap CPython's throughout."""
    ref: list[int] = []
    heap = rt.from_py([])
    for x in items:
        heapq.heappush(ref, x)
        v = rt.from_py(x)
        rt.check(rt.lib.k_heapq_heappush(heap, v), -1)
        assert rt.py(heap) == ref
    popped = [rt.take(rt.lib.k_heapq_heappop(heap)) for _ in items]
    assert popped == sorted(items)
    rt.decref(heap)


KEYS = {None: None, "neg": lambda x: -x, "mod3": lambda x: x % 3, "fail": lambda x: 1 // (x - 3)}


@settings(max_examples=400, deadline=None)
@given(st.integers(-2, 12), st.lists(st.integers(-8, 8), max_size=14), st.sampled_from(sorted(KEYS, key=str)),
       st.booleans(), st.booleans())
def test_nsmallest_nlargest(rt, n, items, key, largest, as_iterator):
    name = "nlargest" if largest else "nsmallest"
    fn = KEYS[key]
    expect = run_py(lambda: getattr(heapq, name)(n, iter(items) if as_iterator else items, key=fn))
    if expect[0] == "raise":
        expect = ("raise", "ValueError", "integer division or modulo by zero")    # as the callback reports it
    lst = rt.from_py(items)
    src = rt.lib.k_iter(lst) if as_iterator else rt.incref(lst)
    got = run(rt, getattr(rt.lib, f"k_heapq_{name}"), n, src, rt.func(fn) if fn else 0)
    rt.decref(src)
    rt.decref(lst)
    assert got == expect


# ---- bisect ----

@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=12).map(sorted), st.integers(-6, 6), st.integers(-2, 14),
       st.one_of(st.none(), st.integers(-3, 15), st.just(2**70), st.just(-2**70)), st.booleans(), st.booleans())
def test_bisect_positions(rt, a, x, lo, hi, right, keyed):
    name = "bisect_right" if right else "bisect_left"
    key = (lambda v: v * 2) if keyed else None      # monotonic, so a stays sorted by key
    bounds = {} if hi is None else {"hi": hi}
    expect = run_py(lambda: getattr(bisect, name)(a, x, lo, key=key, **bounds))
    lst, xv, hv = rt.from_py(a), rt.from_py(x), from_int(rt, hi)
    try:
        got = ("ok", rt.check(getattr(rt.lib, f"k_{name}")(lst, xv, lo, hv, rt.func(key) if key else 0), -1))
    except RTError as e:
        got = ("raise", e.args[0], e.args[1])
    for v in (lst, hv):
        rt.decref(v)
    assert got == expect


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=12).map(sorted), st.lists(st.integers(-6, 6), max_size=6),
       st.integers(-1, 4), st.booleans(), st.booleans())
def test_insort(rt, a, xs, lo, right, keyed):
    name = "insort_right" if right else "insort_left"
    key = (lambda v: -v) if keyed else None
    ref = sorted(a, key=key)
    lst = rt.from_py(ref)
    for x in xs:
        expect = run_py(lambda: getattr(bisect, name)(ref, x, lo, key=key))
        xv = rt.from_py(x)
        try:
            rt.check(getattr(rt.lib, f"k_bisect_{name}")(lst, xv, lo, rt.none, rt.func(key) if key else 0), -1)
            got = ("ok", None)
        except RTError as e:
            got = ("raise", e.args[0], e.args[1])
        assert got == expect
        assert rt.py(lst) == ref
    rt.decref(lst)


# ---- combinatorics ----

SMALL = st.lists(st.integers(0, 3), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), max_size=3), min_size=1, max_size=3), st.integers(-1, 2))
def test_product(rt, pools, repeat):
    expect = run_py(lambda: list(itertools.product(*pools, repeat=repeat)))
    args = [rt.from_py(p) for p in pools] + [0] * (6 - len(pools))
    try:
        got = ("ok", rt.items(rt.check(rt.lib.k_itertools_product(*args, repeat))))
    except RTError as e:
        got = ("raise", e.args[0], e.args[1])
    for v in args:
        rt.decref(v)
    assert got == expect


@settings(max_examples=300, deadline=None)
@given(SMALL, st.one_of(st.none(), st.integers(-1, 6)), st.sampled_from(["permutations", "combinations",
                                                                         "combinations_with_replacement"]))
def test_permutations_combinations(rt, pool, r, name):
    if name != "permutations" and r is None:
        r = len(pool)
    expect = run_py(lambda: list(getattr(itertools, name)(pool, r)))
    src = rt.from_py(pool)
    fn = getattr(rt.lib, f"k_itertools_{name}")
    rv = rt.from_py(r) if name == "permutations" else r
    try:
        got = ("ok", rt.items(rt.check(fn(src, rv))))
    except RTError as e:
        got = ("raise", e.args[0], e.args[1])
    rt.decref(src)
    assert got == expect


# ---- islice, chain, count, zip_longest, accumulate, pairwise, cycle, repeat ----

INDEX = st.one_of(st.none(), st.integers(-3, 12), st.just(2**70), st.just(-2**70))


def from_int(rt: LibRT, x: int | None) -> int:
    """A runtime int beyond the i64 range too (x = +-2**70), or None."""
    if x is None or abs(x) < 2**62:
        return rt.from_py(x)
    big = rt.lib.k_int_lshift_slow(rt.from_py(1), rt.from_py(70))
    if x > 0:
        return big
    neg = rt.lib.k_int_neg_slow(big)
    rt.decref(big)
    return neg


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 12), st.lists(INDEX, min_size=1, max_size=3))
def test_islice(rt, n, args):
    expect = run_py(lambda: py_items(itertools.islice(iter(range(n)), *args)))
    lst = rt.from_py(list(range(n)))
    vals = [from_int(rt, a) for a in args]
    src = rt.lib.k_iter(lst)
    call = vals + [rt.none] * (3 - len(vals)) if len(vals) > 1 else [vals[0], 0, rt.none]
    try:
        got = ("ok", rt.items(rt.check(rt.lib.k_itertools_islice(src, *call))))
    except RTError as e:
        got = ("raise", e.args[0], e.args[1])
    for v in [src, lst] + vals:
        rt.decref(v)
    assert got == expect


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), max_size=4), min_size=1, max_size=6), st.integers(0, 3))
def test_chain_zip_longest(rt, lists, fill):
    args = [rt.from_py(x) for x in lists] + [0] * (6 - len(lists))
    assert rt.items(rt.lib.k_itertools_chain(*args)) == list(itertools.chain(*lists))
    fv = rt.from_py(fill)
    assert rt.items(rt.lib.k_itertools_zip_longest(*args, fv)) == \
        list(itertools.zip_longest(*lists, fillvalue=fill))
    for v in args:
        rt.decref(v)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-9, 9), max_size=8), st.one_of(st.none(), st.integers(-5, 5)),
       st.sampled_from([None, "max", "sub"]))
def test_accumulate(rt, items, initial, func):
    fn = {None: None, "max": max, "sub": lambda a, b: a - b}[func]
    expect = list(itertools.accumulate(items, fn, initial=initial))
    src, iv = rt.from_py(items), rt.from_py(initial)
    assert rt.items(rt.lib.k_itertools_accumulate(src, rt.func(fn) if fn else 0, iv)) == expect
    rt.decref(src)


def test_accumulate_types(rt):
    """The default function is +, whatever the items: floats, strs, lists."""
    for items in ([1, 2.5, 3], ["a", "b", "c"], [[1], [2, 3]], [1, "a"]):
        src = rt.from_py(items)
        assert rt.items(rt.lib.k_itertools_accumulate(src, 0, rt.none)) == py_items(itertools.accumulate(items))
        rt.decref(src)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.integers(-5, 5), st.floats(-5, 5)), st.one_of(st.integers(-3, 3), st.floats(-3, 3)))
def test_count(rt, start, step):
    s, d = rt.from_py(start), rt.from_py(step)
    got = rt.items(rt.lib.k_itertools_count(s, d), limit=6)
    assert same(got, list(itertools.islice(itertools.count(start, step), 6)))
    rt.decref(s)
    rt.decref(d)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=5), st.one_of(st.none(), st.integers(-2, 4)))
def test_pairwise_cycle_repeat(rt, items, times):
    src = rt.from_py(items)
    assert rt.items(rt.lib.k_itertools_pairwise(src)) == list(itertools.pairwise(items))
    assert rt.items(rt.lib.k_itertools_cycle(src), limit=12) == list(itertools.islice(itertools.cycle(items), 12))
    tv = rt.from_py(times)
    rep = itertools.repeat(items, times) if times is not None else itertools.repeat(items)
    assert rt.items(rt.lib.k_itertools_repeat(src, tv), limit=7) == list(itertools.islice(rep, 7))
    rt.decref(src)


PREDICATES = {"small": lambda x: x < 3, "even": lambda x: x % 2 == 0, "id": lambda x: x}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=8), st.sampled_from(sorted(PREDICATES)),
       st.lists(st.integers(0, 1), max_size=8))
def test_predicates(rt, items, pred, selectors):
    fn = PREDICATES[pred]
    src, sel = rt.from_py(items), rt.from_py(selectors)
    for name in ("takewhile", "dropwhile", "filterfalse"):
        got = rt.items(getattr(rt.lib, f"k_itertools_{name}")(rt.func(fn), src))
        assert got == list(getattr(itertools, name)(fn, items)), name
    assert rt.items(rt.lib.k_itertools_filterfalse(rt.none, src)) == list(itertools.filterfalse(None, items))
    assert rt.items(rt.lib.k_itertools_compress(src, sel)) == list(itertools.compress(items, selectors))
    rt.decref(src)
    rt.decref(sel)


# ---- groupby: the groups share the input ----

@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 2), max_size=10), st.booleans(),
       st.lists(st.one_of(st.just(-1), st.integers(0, 4)), max_size=25))
def test_groupby_interleaved(rt, items, keyed, steps):
    """Each step advances the groupby (-1) or the k-th group handed out so far."""
    key = (lambda x: x // 2) if keyed else None
    outer = itertools.groupby(items, key)
    groups: list = []
    expect = []
    for s in steps:
        it = outer if s < 0 or s >= len(groups) else groups[s]
        x = next(it, "end")
        if it is outer and x != "end":
            groups.append(x[1])
            x = x[0]
        expect.append(x)
    src = rt.from_py(items)
    gb = rt.check(rt.lib.k_itertools_groupby(src, rt.func(key) if key else 0))
    rgroups: list[int] = []
    got = []
    for s in steps:
        it = gb if s < 0 or s >= len(rgroups) else rgroups[s]
        v = rt.lib.k_next(it)
        rt.check(None, None)
        if not v:
            got.append("end")
            continue
        if it == gb:
            pair = v
            rgroups.append(rt.incref(ctypes.c_uint64.from_address(pair + 32).value))
            got.append(rt.py(ctypes.c_uint64.from_address(pair + 24).value))
        else:
            got.append(rt.py(v))
        rt.decref(v)
    for g in rgroups:
        rt.decref(g)
    rt.decref(gb)
    rt.decref(src)
    assert got == expect


# ---- functools.reduce ----

@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-9, 9), max_size=6), st.one_of(st.none(), st.integers(-5, 5)))
def test_reduce(rt, items, initial):
    fn = lambda a, b: a * 2 - b     # noqa: E731 (order-sensitive)
    args = (items,) if initial is None else (items, initial)
    expect = run_py(functools.reduce, fn, *args)
    src = rt.from_py(items)
    iv = rt.from_py(initial) if initial is not None else 0
    got = run(rt, rt.lib.k_functools_reduce, rt.func(fn), src, iv)
    rt.decref(src)
    assert got == expect
