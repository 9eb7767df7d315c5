"""heapq, bisect, itertools, functools.reduce and string's constants (kaa/pyrt/heapq_bisect.c,
itertools.c, string_module.c).

Types follow the call's first argument (a module function's TypeFns see its static type):
heappop(list[T]) -> T, islice(Iterable[T], ...) -> Iterator[T], permutations(Iterable[T])
-> Iterator[tuple[T, ...]]. Where the first argument does not say (nlargest's n, key
functions' results, groupby's keys) the type is Any. reduce's first argument is the
function: a def (or a Callable variable) gives exact types; a lambda cannot be typed there.
Functions taking several iterables (chain, product, zip_longest) take up to K_ITER_MAX
(itertools.h), all of the first one's item type; the ones not given are passed as 0.
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.methods import I64, MethodSpec, P
from kaa.service.modules import Module

ITER_MAX = 6                        # K_ITER_MAX in kaa/pyrt/itertools.h
OPT_INT = T.optional(T.INT)
NO_FUNC = "0"                       # an absent key= / func=: the C functions take 0


def _elem(t: T.Type) -> T.Type:
    e = T.iter_elem(t)
    return T.ANY if e in (None, T.NORETURN) else e       # [] says nothing of its items


def _iterator(elem: T.Type) -> T.Type:
    return T.IteratorT("iterator", elem)


def _items(t: T.Type) -> T.Type:
    """An iterable of the first argument's items (a parameter), or an iterator of them (a result)."""
    return _iterator(_elem(t))


def _list(t: T.Type) -> T.Type:
    return T.ListT("list", _elem(t))


def _sequence(t: T.Type) -> T.Type:
    return t if isinstance(t, (T.ListT, T.TupleT)) else _list(t)


def _tuples(t: T.Type) -> T.Type:
    return _iterator(T.TupleT("tuple", (), var=_elem(t)))


def _key(t: T.Type) -> T.Type:
    return T.CallableT("callable", (_elem(t),), T.ANY)


def _number(t: T.Type) -> T.Type:
    return T.FLOAT if t == T.FLOAT else T.INT


def _more_iterables(first: str) -> list[P]:
    """`first`, then the optional further iterables, all of the first one's item type."""
    return [P(first, _items)] + [P(f"{first}{i}", _items, "0") for i in range(2, ITER_MAX + 1)]


def _reducer(t: T.Type) -> T.CallableT:
    """reduce's function: Callable[[A, B], R] as given, or Any-typed when it is not a callable."""
    if isinstance(t, T.CallableT) and len(t.params) == 2:
        return t
    return T.CallableT("callable", (T.ANY, T.ANY), T.ANY)


def _comparer(t: T.Type) -> T.CallableT:
    """cmp_to_key's function: Callable[[A, A], int] as given, or Any-typed."""
    if isinstance(t, T.CallableT) and len(t.params) == 2:
        return T.CallableT("callable", t.params, T.INT)
    return T.CallableT("callable", (T.ANY, T.ANY), T.INT)


HEAP_ITEM = [P("heap", _list), P("item", _elem)]
BISECT_TAIL = [P("lo", I64, "0"), P("hi", OPT_INT, "k_None"), P("key", _key, NO_FUNC)]


def _bisect(cfunc: str) -> MethodSpec:
    # x is Any: with key= it is a key, not an item
    return MethodSpec(cfunc, [P("a", _sequence), P("x", T.ANY)] + BISECT_TAIL, T.INT, "neg1")


def _insort(cfunc: str) -> MethodSpec:
    return MethodSpec(cfunc, [P("a", _list), P("x", _elem)] + BISECT_TAIL, T.NONE, "status")


def _nbest(cfunc: str) -> MethodSpec:
    # typed by the iterable (the second argument): list[T] out, key: Callable[[T], Any]
    return MethodSpec(cfunc, [P("n", I64), P("iterable", _items),
                              P("key", lambda t: T.CallableT("callable", (_elem(t),), T.ANY), NO_FUNC)],
                      lambda t: T.ListT("list", _elem(t)), typed_by=1)


def _while(cfunc: str) -> MethodSpec:
    # typed by the iterable, so a lambda predicate gets the item type
    return MethodSpec(cfunc, [P("predicate", lambda t: T.optional(T.CallableT("callable", (_elem(t),), T.ANY))),
                              P("iterable", _items)], _items, typed_by=1)


def _combinatoric(cfunc: str, r: P) -> MethodSpec:
    return MethodSpec(cfunc, [P("iterable", _items), r], _tuples)


HEAPQ = Module("heapq", header="heapq_bisect.h", functions={
    "heappush": MethodSpec("k_heapq_heappush", HEAP_ITEM, T.NONE, "status"),
    "heappop": MethodSpec("k_heapq_heappop", [P("heap", _list)], _elem),
    "heapify": MethodSpec("k_heapq_heapify", [P("heap", _list)], T.NONE, "status"),
    "heapreplace": MethodSpec("k_heapq_heapreplace", HEAP_ITEM, _elem),
    "heappushpop": MethodSpec("k_heapq_heappushpop", HEAP_ITEM, _elem),
    "nsmallest": _nbest("k_heapq_nsmallest"),
    "nlargest": _nbest("k_heapq_nlargest"),
})

BISECT = Module("bisect", header="heapq_bisect.h", functions={
    "bisect_left": _bisect("k_bisect_left"),
    "bisect_right": _bisect("k_bisect_right"),
    "bisect": _bisect("k_bisect_right"),
    "insort_left": _insort("k_bisect_insort_left"),
    "insort_right": _insort("k_bisect_insort_right"),
    "insort": _insort("k_bisect_insort_right"),
})

ITERTOOLS = Module("itertools", header="itertools.h", functions={
    "count": MethodSpec("k_itertools_count", [P("start", _number, "k_int_small(0)"),
                                              P("step", _number, "k_int_small(1)")],
                        lambda t: _iterator(_number(t))),
    "chain": MethodSpec("k_itertools_chain", _more_iterables("iterable"), _items),
    # islice(it, stop) binds stop to `start`; the C function reads it so when stop is absent
    "islice": MethodSpec("k_itertools_islice", [P("iterable", _items), P("start", OPT_INT), P("stop", OPT_INT, "0"),
                                                P("step", OPT_INT, "k_None")], _items),
    "product": MethodSpec("k_itertools_product", _more_iterables("iterable") + [P("repeat", I64, "1")], _tuples),
    "permutations": _combinatoric("k_itertools_permutations", P("r", OPT_INT, "k_None")),
    "combinations": _combinatoric("k_itertools_combinations", P("r", I64)),
    "combinations_with_replacement": _combinatoric("k_itertools_combinations_with_replacement", P("r", I64)),
    "groupby": MethodSpec("k_itertools_groupby", [P("iterable", _items), P("key", _key, NO_FUNC)],
                          lambda t: _iterator(T.TupleT("tuple", (T.ANY, _items(t))))),
    "accumulate": MethodSpec("k_itertools_accumulate",
                             [P("iterable", _items), P("func", lambda t: T.CallableT("callable", (_elem(t),) * 2,
                                                                                     _elem(t)), NO_FUNC),
                              P("initial", lambda t: T.optional(_elem(t)), "k_None")], _items),
    "zip_longest": MethodSpec("k_itertools_zip_longest",
                              _more_iterables("iterable") + [P("fillvalue", lambda t: T.optional(_elem(t)), "k_None")],
                              lambda t: _iterator(T.TupleT("tuple", (), var=T.optional(_elem(t))))),
    "pairwise": MethodSpec("k_itertools_pairwise", [P("iterable", _items)],
                           lambda t: _iterator(T.TupleT("tuple", (_elem(t), _elem(t))))),
    "cycle": MethodSpec("k_itertools_cycle", [P("iterable", _items)], _items),
    "repeat": MethodSpec("k_itertools_repeat", [P("object", lambda t: t), P("times", OPT_INT, "k_None")], _iterator),
    "takewhile": _while("k_itertools_takewhile"),
    "dropwhile": _while("k_itertools_dropwhile"),
    "filterfalse": _while("k_itertools_filterfalse"),
    "compress": MethodSpec("k_itertools_compress", [P("data", _items), P("selectors", _iterator(T.ANY))], _items),
})

FUNCTOOLS = Module("functools", header="itertools.h", functions={
    "reduce": MethodSpec("k_functools_reduce", [P("function", _reducer),
                                                P("iterable", lambda t: _iterator(_reducer(t).params[1])),
                                                P("initial", lambda t: _reducer(t).params[0], "0")],
                         lambda t: _reducer(t).ret),
    "cmp_to_key": MethodSpec("k_functools_cmp_to_key", [P("mycmp", _comparer)],
                             lambda t: T.CallableT("callable", (_comparer(t).params[0],), T.ANY)),
})

STRING = Module("string", header="string_module.h", constants={
    name: (f"K_VAL(&k_string_{name}.s)", T.STR)
    for name in ("ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
                 "punctuation", "printable", "whitespace")
})

MODULES = [HEAPQ, BISECT, ITERTOOLS, FUNCTOOLS, STRING]
