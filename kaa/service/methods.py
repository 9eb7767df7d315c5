"""Methods of the built-in types: which runtime function each call lowers to.

A MethodSpec names the C function, its parameters (Python name, static type, and the C
default when omitted) and how its result reports errors (`conv`):
  obj     kval, 0 when raised                 status  int 0 / -1 raised; the result is None
  tri     int 1 / 0 / -1 raised -> bool        bool    bool, cannot raise
  neg1    i64, -1 raised -> int               neg2    i64, -2 raised (find) -> int
  i64     i64, cannot raise -> int            void    nothing, cannot raise -> None
  double  double, raised when k_exc is set -> float
  found   int 1 / 0 / -1 raised -> None (set.discard)
Types that depend on the receiver (list[T].pop returns T) are functions of it.
The receiver is always the first C argument. I64 parameters take a Python int that
must fit in 64 bits (OverflowError otherwise, as CPython's "Py_ssize_t" arguments).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Union

from kaa.service import types as T

I64 = T.Prim("i64", "i64")          # a C i64 argument converted from a Python int
CBOOL = T.Prim("cbool", "bool")     # a C bool argument
CDOUBLE = T.Prim("cdouble", "double")   # a C double argument (an int or a float)
ANY = T.OBJECT

TypeFn = Union[T.Type, Callable[[T.Type], T.Type]]


@dataclass
class P:
    name: str
    type: TypeFn
    default: str | None = None


@dataclass
class MethodSpec:
    cfunc: str
    params: list[P] = field(default_factory=list)
    ret: TypeFn = T.NONE
    conv: str = "obj"
    typed_by: int = 0           # a module function's TypeFns see this argument's type (0: the first)
    utf8: str = ""              # a C function giving `f(...).encode()` as bytes at once (json.dumps)


def _elem(t: T.Type) -> T.Type:
    return T.iter_elem(t) or ANY


def _key(t: T.Type) -> T.Type:
    return t.key if isinstance(t, T.DictT) else ANY


def _value(t: T.Type) -> T.Type:
    return t.value if isinstance(t, T.DictT) else ANY


def _opt_value(t: T.Type) -> T.Type:
    return T.optional(_value(t))


def _same(t: T.Type) -> T.Type:
    return t


def _items(t: T.Type) -> T.Type:
    return T.IteratorT("iterator", T.TupleT("tuple", (_key(t), _value(t))))


def _iter_of(fn: Callable[[T.Type], T.Type]) -> Callable[[T.Type], T.Type]:
    return lambda t: T.IteratorT("iterator", fn(t))


def _iterable_elem(t: T.Type) -> T.Type:
    return T.IteratorT("iterator", _elem(t))


OPT_STR = T.optional(T.STR)
START_END = [P("start", T.optional(T.INT), "k_None"), P("end", T.optional(T.INT), "k_None")]
LIST_OF_STR = T.ListT("list", T.STR)
STR_PAIR3 = T.TupleT("tuple", (T.STR, T.STR, T.STR))

STR_METHODS: dict[str, MethodSpec] = {
    "split": MethodSpec("k_str_split", [P("sep", OPT_STR, "k_None"), P("maxsplit", I64, "-1")], LIST_OF_STR),
    "rsplit": MethodSpec("k_str_rsplit", [P("sep", OPT_STR, "k_None"), P("maxsplit", I64, "-1")], LIST_OF_STR),
    "join": MethodSpec("k_str_join", [P("iterable", T.IteratorT("iterator", T.STR))], T.STR),
    "strip": MethodSpec("k_str_strip", [P("chars", OPT_STR, "k_None")], T.STR),
    "lstrip": MethodSpec("k_str_lstrip", [P("chars", OPT_STR, "k_None")], T.STR),
    "rstrip": MethodSpec("k_str_rstrip", [P("chars", OPT_STR, "k_None")], T.STR),
    "lower": MethodSpec("k_str_lower", [], T.STR),
    "upper": MethodSpec("k_str_upper", [], T.STR),
    "capitalize": MethodSpec("k_str_capitalize", [], T.STR),
    "title": MethodSpec("k_str_title", [], T.STR),
    "swapcase": MethodSpec("k_str_swapcase", [], T.STR),
    "casefold": MethodSpec("k_str_casefold", [], T.STR),
    "startswith": MethodSpec("k_str_startswith", [P("prefix", ANY)] + START_END, T.BOOL, "tri"),
    "endswith": MethodSpec("k_str_endswith", [P("suffix", ANY)] + START_END, T.BOOL, "tri"),
    "find": MethodSpec("k_str_find", [P("sub", T.STR)] + START_END, T.INT, "neg2"),
    "rfind": MethodSpec("k_str_rfind", [P("sub", T.STR)] + START_END, T.INT, "neg2"),
    "index": MethodSpec("k_str_index", [P("sub", T.STR)] + START_END, T.INT, "neg1"),
    "rindex": MethodSpec("k_str_rindex", [P("sub", T.STR)] + START_END, T.INT, "neg1"),
    "count": MethodSpec("k_str_count", [P("sub", T.STR)] + START_END, T.INT, "neg1"),
    "replace": MethodSpec("k_str_replace", [P("old", T.STR), P("new", T.STR), P("count", I64, "-1")], T.STR),
    "splitlines": MethodSpec("k_str_splitlines", [P("keepends", CBOOL, "0")], LIST_OF_STR),
    "partition": MethodSpec("k_str_partition", [P("sep", T.STR)], STR_PAIR3),
    "rpartition": MethodSpec("k_str_rpartition", [P("sep", T.STR)], STR_PAIR3),
    "zfill": MethodSpec("k_str_zfill", [P("width", I64)], T.STR),
    "ljust": MethodSpec("k_str_ljust", [P("width", I64), P("fillchar", OPT_STR, "k_None")], T.STR),
    "rjust": MethodSpec("k_str_rjust", [P("width", I64), P("fillchar", OPT_STR, "k_None")], T.STR),
    "center": MethodSpec("k_str_center", [P("width", I64), P("fillchar", OPT_STR, "k_None")], T.STR),
    "expandtabs": MethodSpec("k_str_expandtabs", [P("tabsize", I64, "8")], T.STR),
    "removeprefix": MethodSpec("k_str_removeprefix", [P("prefix", T.STR)], T.STR),
    "removesuffix": MethodSpec("k_str_removesuffix", [P("suffix", T.STR)], T.STR),
    "encode": MethodSpec("k_str_encode", [P("encoding", OPT_STR, "k_None"), P("errors", OPT_STR, "k_None")], T.BYTES),
}
for _pred in ("isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isdecimal", "isnumeric",
              "isidentifier", "isprintable", "istitle", "isascii"):
    STR_METHODS[_pred] = MethodSpec(f"k_str_{_pred}", [], T.BOOL, "bool")

LIST_METHODS: dict[str, MethodSpec] = {
    "append": MethodSpec("k_list_append_fast", [P("item", _elem)], T.NONE, "status"),
    "extend": MethodSpec("k_list_extend", [P("iterable", _iterable_elem)], T.NONE, "status"),
    "insert": MethodSpec("k_list_insert", [P("index", I64), P("item", _elem)], T.NONE, "status"),
    "pop": MethodSpec("k_list_pop", [P("index", I64, "-1")], _elem),
    "remove": MethodSpec("k_list_remove", [P("item", _elem)], T.NONE, "status"),
    "index": MethodSpec("k_list_index", [P("item", _elem), P("start", I64, "0"),
                                         P("stop", I64, "INT64_MAX")], T.INT, "neg1"),
    "count": MethodSpec("k_list_count", [P("item", _elem)], T.INT, "neg1"),
    "reverse": MethodSpec("k_list_reverse", [], T.NONE, "void"),
    "copy": MethodSpec("k_list_copy", [], _same),
    "clear": MethodSpec("k_list_clear", [], T.NONE, "void"),
    # sort(key=..., reverse=...) is lowered by calls.py (the key is a callable)
}

DICT_METHODS: dict[str, MethodSpec] = {
    "get": MethodSpec("k_dict_get", [P("key", _key), P("default", _opt_value, "k_None")], _opt_value),
    "setdefault": MethodSpec("k_dict_setdefault", [P("key", _key), P("default", _value)], _value),
    "pop": MethodSpec("k_dict_pop", [P("key", _key), P("default", _value, "0")], _value),
    "popitem": MethodSpec("k_dict_popitem", [], lambda t: T.TupleT("tuple", (_key(t), _value(t)))),
    "update": MethodSpec("k_dict_update", [P("other", ANY)], T.NONE, "status"),
    "copy": MethodSpec("k_dict_copy", [], _same),
    "clear": MethodSpec("k_dict_clear", [], T.NONE, "void"),
    "keys": MethodSpec("k_dict_keys", [], _iter_of(_key)),
    "values": MethodSpec("k_dict_values", [], _iter_of(_value)),
    "items": MethodSpec("k_dict_items", [], _items),
}

SET_METHODS: dict[str, MethodSpec] = {
    "add": MethodSpec("k_set_add", [P("item", _elem)], T.NONE, "status"),
    "discard": MethodSpec("k_set_discard", [P("item", _elem)], T.NONE, "found"),
    "remove": MethodSpec("k_set_remove", [P("item", _elem)], T.NONE, "status"),
    "pop": MethodSpec("k_set_pop", [], _elem),
    "copy": MethodSpec("k_set_copy", [], _same),
    "clear": MethodSpec("k_set_clear", [], T.NONE, "void"),
    "union": MethodSpec("k_set_union", [P("other", _iterable_elem)], _same),
    "intersection": MethodSpec("k_set_intersection", [P("other", _iterable_elem)], _same),
    "difference": MethodSpec("k_set_difference", [P("other", _iterable_elem)], _same),
    "symmetric_difference": MethodSpec("k_set_symmetric_difference", [P("other", _iterable_elem)], _same),
    "update": MethodSpec("k_set_update", [P("other", _iterable_elem)], T.NONE, "status"),
    "intersection_update": MethodSpec("k_set_intersection_update", [P("other", _iterable_elem)], T.NONE, "status"),
    "difference_update": MethodSpec("k_set_difference_update", [P("other", _iterable_elem)], T.NONE, "status"),
    "issubset": MethodSpec("k_set_issubset", [P("other", _iterable_elem)], T.BOOL, "tri"),
    "issuperset": MethodSpec("k_set_issuperset", [P("other", _iterable_elem)], T.BOOL, "tri"),
    "isdisjoint": MethodSpec("k_set_isdisjoint", [P("other", _iterable_elem)], T.BOOL, "tri"),
}

TUPLE_METHODS: dict[str, MethodSpec] = {
    "count": MethodSpec("k_tuple_count", [P("item", _elem)], T.INT, "neg1"),
    "index": MethodSpec("k_tuple_index", [P("item", _elem), P("start", I64, "0"), P("stop", I64, "INT64_MAX")],
                        T.INT, "neg1"),
}

BYTES_METHODS: dict[str, MethodSpec] = {
    "decode": MethodSpec("k_bytes_decode", [P("encoding", OPT_STR, "k_None"), P("errors", OPT_STR, "k_None")], T.STR),
    "hex": MethodSpec("k_bytes_hex", [], T.STR),
    "find": MethodSpec("k_bytes_find", [P("sub", ANY)] + START_END, T.INT, "neg2"),
    "rfind": MethodSpec("k_bytes_rfind", [P("sub", ANY)] + START_END, T.INT, "neg2"),
    "index": MethodSpec("k_bytes_index", [P("sub", ANY)] + START_END, T.INT, "neg1"),
    "count": MethodSpec("k_bytes_count", [P("sub", ANY)] + START_END, T.INT, "neg1"),
    "startswith": MethodSpec("k_bytes_startswith", [P("prefix", ANY)] + START_END, T.BOOL, "tri"),
    "endswith": MethodSpec("k_bytes_endswith", [P("suffix", ANY)] + START_END, T.BOOL, "tri"),
    "split": MethodSpec("k_bytes_split", [P("sep", T.optional(T.BYTES), "k_None"), P("maxsplit", I64, "-1")],
                        T.ListT("list", T.BYTES)),
    "join": MethodSpec("k_bytes_join", [P("iterable", T.IteratorT("iterator", T.BYTES))], T.BYTES),
    "strip": MethodSpec("k_bytes_strip", [P("chars", T.optional(T.BYTES), "k_None")], T.BYTES),
    "lstrip": MethodSpec("k_bytes_lstrip", [P("chars", T.optional(T.BYTES), "k_None")], T.BYTES),
    "rstrip": MethodSpec("k_bytes_rstrip", [P("chars", T.optional(T.BYTES), "k_None")], T.BYTES),
    "replace": MethodSpec("k_bytes_replace", [P("old", T.BYTES), P("new", T.BYTES), P("count", I64, "-1")], T.BYTES),
}

BYTEARRAY_METHODS: dict[str, MethodSpec] = {
    "append": MethodSpec("k_bytearray_append", [P("item", T.INT)], T.NONE, "status"),
    "extend": MethodSpec("k_bytearray_extend", [P("iterable", T.IteratorT("iterator", T.INT))], T.NONE, "status"),
    "decode": MethodSpec("k_bytearray_decode", [P("encoding", OPT_STR, "k_None"), P("errors", OPT_STR, "k_None")],
                         T.STR),
}

# collections' dicts are dicts: the dict's methods (and runtime functions) apply, copy()
# keeps the kind (kaa/pyrt/collections.c).
_SAME_KIND_COPY = MethodSpec("k_collections_copy", [], _same)
DEFAULTDICT_METHODS: dict[str, MethodSpec] = {**DICT_METHODS, "copy": _SAME_KIND_COPY}

COUNTER_METHODS: dict[str, MethodSpec] = {
    **DICT_METHODS,
    "copy": _SAME_KIND_COPY,
    "most_common": MethodSpec("k_counter_most_common", [P("n", T.optional(T.INT), "k_None")],
                              lambda t: T.ListT("list", T.TupleT("tuple", (_key(t), T.INT)))),
    "update": MethodSpec("k_counter_update", [P("iterable", ANY, "k_None")], T.NONE, "status"),
    "subtract": MethodSpec("k_counter_subtract", [P("iterable", ANY, "k_None")], T.NONE, "status"),
    "elements": MethodSpec("k_counter_elements", [], _iter_of(_key)),
    "total": MethodSpec("k_counter_total", [], T.INT),
}

ORDEREDDICT_METHODS: dict[str, MethodSpec] = {
    **DICT_METHODS,
    "copy": _SAME_KIND_COPY,
    "move_to_end": MethodSpec("k_dict_move_to_end", [P("key", _key), P("last", CBOOL, "1")], T.NONE, "status"),
    "popitem": MethodSpec("k_ordereddict_popitem", [P("last", CBOOL, "1")],
                          lambda t: T.TupleT("tuple", (_key(t), _value(t)))),
    "keys": MethodSpec("k_odict_keys", [], _iter_of(_key)),
    "values": MethodSpec("k_odict_values", [], _iter_of(_value)),
    "items": MethodSpec("k_odict_items", [], _items),
}

DEQUE_METHODS: dict[str, MethodSpec] = {
    "append": MethodSpec("k_deque_append", [P("x", _elem)], T.NONE, "status"),
    "appendleft": MethodSpec("k_deque_appendleft", [P("x", _elem)], T.NONE, "status"),
    "pop": MethodSpec("k_deque_pop", [], _elem),
    "popleft": MethodSpec("k_deque_popleft", [], _elem),
    "extend": MethodSpec("k_deque_extend", [P("iterable", _iterable_elem)], T.NONE, "status"),
    "extendleft": MethodSpec("k_deque_extendleft", [P("iterable", _iterable_elem)], T.NONE, "status"),
    "rotate": MethodSpec("k_deque_rotate", [P("n", I64, "1")], T.NONE, "void"),
    "clear": MethodSpec("k_deque_clear", [], T.NONE, "void"),
    "reverse": MethodSpec("k_deque_reverse", [], T.NONE, "void"),
    "copy": MethodSpec("k_deque_copy", [], _same),
    "count": MethodSpec("k_deque_count", [P("x", _elem)], T.INT, "neg1"),
    "index": MethodSpec("k_deque_index", [P("x", _elem), P("start", I64, "0"), P("stop", I64, "INT64_MAX")],
                        T.INT, "neg1"),
    "remove": MethodSpec("k_deque_remove", [P("value", _elem)], T.NONE, "status"),
    "insert": MethodSpec("k_deque_insert", [P("i", I64), P("x", _elem)], T.NONE, "status"),
}

# array.array[int] / [float] (kaa/pyrt/array.c): items arrive boxed, the runtime converts
# them for the type code; frombytes takes bytes, a bytearray or a b/B array.
ARRAY_METHODS: dict[str, MethodSpec] = {
    "append": MethodSpec("k_array_append", [P("v", _elem)], T.NONE, "status"),
    "extend": MethodSpec("k_array_extend", [P("bb", _iterable_elem)], T.NONE, "status"),
    "insert": MethodSpec("k_array_insert", [P("i", I64), P("v", _elem)], T.NONE, "status"),
    "pop": MethodSpec("k_array_pop", [P("i", I64, "-1")], _elem),
    "remove": MethodSpec("k_array_remove", [P("v", _elem)], T.NONE, "status"),
    "index": MethodSpec("k_array_index", [P("v", _elem), P("start", I64, "0"), P("stop", I64, "INT64_MAX")],
                        T.INT, "neg1"),
    "count": MethodSpec("k_array_count", [P("v", _elem)], T.INT, "neg1"),
    "reverse": MethodSpec("k_array_reverse", [], T.NONE, "void"),
    "byteswap": MethodSpec("k_array_byteswap", [], T.NONE, "void"),
    "tolist": MethodSpec("k_array_tolist", [], lambda t: T.ListT("list", _elem(t))),
    "tobytes": MethodSpec("k_array_tobytes", [], T.BYTES),
    "frombytes": MethodSpec("k_array_frombytes", [P("buffer", ANY)], T.NONE, "status"),
    "fromlist": MethodSpec("k_array_fromlist", [P("list", lambda t: T.ListT("list", _elem(t)))], T.NONE, "status"),
}


def methods_of(t: T.Type) -> dict[str, MethodSpec] | None:
    if t == T.STR:
        return STR_METHODS
    if isinstance(t, T.ListT):
        return LIST_METHODS
    if isinstance(t, T.DequeT):
        return DEQUE_METHODS
    if isinstance(t, T.ArrayT):
        return ARRAY_METHODS
    if isinstance(t, T.CounterT):
        return COUNTER_METHODS
    if isinstance(t, T.DefaultDictT):
        return DEFAULTDICT_METHODS
    if isinstance(t, T.OrderedDictT):
        return ORDEREDDICT_METHODS
    if isinstance(t, T.DictT):
        return DICT_METHODS
    if isinstance(t, T.SetT):
        return SET_METHODS
    if isinstance(t, T.TupleT):
        return TUPLE_METHODS
    if t == T.BYTES:
        return BYTES_METHODS
    if t == T.BYTEARRAY:
        return BYTEARRAY_METHODS
    from kaa.service.modules import native_methods
    return native_methods(t)


def dynamic_receivers() -> list[tuple[T.Type, dict[str, MethodSpec]]]:
    """The built-in types a method call on a dynamic value may find, as the static type
    the call is then lowered for (items dynamic)."""
    return [(T.DictT("dict", T.ANY, T.ANY), DICT_METHODS), (T.ListT("list", T.ANY), LIST_METHODS),
            (T.STR, STR_METHODS), (T.SetT("set", T.ANY), SET_METHODS), (T.TupleT("tuple", (), T.ANY), TUPLE_METHODS),
            (T.BYTES, BYTES_METHODS), (T.BYTEARRAY, BYTEARRAY_METHODS)]


def resolve(fn: TypeFn, recv: T.Type) -> T.Type:
    return fn(recv) if callable(fn) and not isinstance(fn, T.Type) else fn   # type: ignore[return-value]
