"""Static types of the service level, and how each is represented in C.

A value of a static type lives in C as one of three representations:
  - `double` for float, `bool` for bool (unboxed: no object, no reference count);
  - `kval` for everything else (int included: a tagged small int or a big-int object;
    see kaa/pyrt/object.h). kvals are reference counted.
Containers, Optional[...] and generic runtime calls need every value as a kval:
`boxing` turns a double into a KFloat and a bool into k_True/k_False; unboxing reverses it.
Types are immutable and compared by value (dataclasses with frozen=True).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kaa.service.symbols import ClassInfo


@dataclass(frozen=True)
class Type:
    name: str

    @property
    def c_type(self) -> str:
        return "kval"

    @property
    def is_object(self) -> bool:
        """A reference-counted kval."""
        return self.c_type == "kval"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Prim(Type):
    """int, float, bool, str, bytes, bytearray, None, object."""
    ctype: str = "kval"

    @property
    def c_type(self) -> str:
        return self.ctype


INT = Prim("int")
I64 = Prim("i64", "i64")            # mypy_extensions' native integers (as mypyc's): fixed width, wrap around
I32 = Prim("i32", "i32")
I16 = Prim("i16", "i16")
U8 = Prim("u8", "u8")
FLOAT = Prim("float", "double")
BOOL = Prim("bool", "bool")
STR = Prim("str")
BYTES = Prim("bytes")
BYTEARRAY = Prim("bytearray")
NONE = Prim("None")
OBJECT = Prim("object")
ANY = Prim("Any")                   # typing.Any: a kval whose operations dispatch at run time
NORETURN = Prim("NoReturn")


@dataclass(frozen=True)
class NativeInt:
    """A mypy_extensions native integer type: its C representation's width and sign. Its
    values are computed in C's i64 and cut back to the type (wrapping, as mypyc's)."""
    type: Prim
    bits: int
    signed: bool

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1 if self.signed else self.bits)) - 1

    @property
    def c_lo(self) -> str:
        return "INT64_MIN" if self.bits == 64 else f"{self.lo}LL"     # (-2**63 has no C literal)

    @property
    def c_hi(self) -> str:
        return f"{self.hi}LL"


NATIVE_INTS = {k.type: k for k in (NativeInt(I64, 64, True), NativeInt(I32, 32, True), NativeInt(I16, 16, True),
                                   NativeInt(U8, 8, False))}


@dataclass(frozen=True)
class ListT(Type):
    elem: Type = OBJECT

    def __str__(self) -> str:
        return f"list[{self.elem}]"


@dataclass(frozen=True)
class SetT(Type):
    elem: Type = OBJECT

    def __str__(self) -> str:
        return f"set[{self.elem}]"


@dataclass(frozen=True)
class DictT(Type):
    key: Type = OBJECT
    value: Type = OBJECT

    def __str__(self) -> str:
        return f"dict[{self.key}, {self.value}]"


@dataclass(frozen=True)
class TupleT(Type):
    """tuple[A, B] (items) or tuple[T, ...] (var=T)."""
    items: tuple[Type, ...] = ()
    var: Type | None = None

    def __str__(self) -> str:
        if self.var is not None:
            return f"tuple[{self.var}, ...]"
        return f"tuple[{', '.join(map(str, self.items))}]" if self.items else "tuple[()]"

    def elem(self) -> Type:
        """The type of an arbitrary item (for iteration and indexing by a variable)."""
        if self.var is not None:
            return self.var
        return join_all(list(self.items)) if self.items else OBJECT


@dataclass(frozen=True)
class OptionalT(Type):
    inner: Type = OBJECT

    def __str__(self) -> str:
        return f"{self.inner} | None"


@dataclass(frozen=True)
class CallableT(Type):
    params: tuple[Type, ...] = ()
    ret: Type = NONE

    def __str__(self) -> str:
        return f"Callable[[{', '.join(map(str, self.params))}], {self.ret}]"


@dataclass(frozen=True)
class IteratorT(Type):
    """Iterator[T] / Iterable[T] / Generator[T, None, None]: iterated through k_iter/k_next."""
    elem: Type = OBJECT

    def __str__(self) -> str:
        return f"Iterator[{self.elem}]"


@dataclass(frozen=True)
class SequenceT(IteratorT):
    """Sequence[T]: a list, tuple, str, bytes or range seen through len(), indexing and
    iteration (dispatched at run time)."""

    def __str__(self) -> str:
        return f"Sequence[{self.elem}]"


@dataclass(frozen=True)
class NativeT(Type):
    """An object of a type a standard module's runtime defines (hashlib's hash objects,
    random.Random): `cname` is its KType; its methods are in the module's table
    (kaa/service/modules/)."""
    module: str = ""
    cname: str = ""
    elem: "Type | None" = None      # iterable (its KType's iter/next slots) with items of this type: files

    def __str__(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class RangeT(Type):
    def __str__(self) -> str:
        return "range"


RANGE = RangeT("range")


@dataclass(frozen=True, eq=False)
class ClassT(Type):
    """An instance of a class of the program (or a built-in exception class)."""
    info: "ClassInfo" = field(default=None, compare=False)   # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClassT) and other.info is self.info

    def __hash__(self) -> int:
        return hash(("class", id(self.info)))

    def __str__(self) -> str:
        return self.info.name


@dataclass(frozen=True, eq=False)
class TypeObjT(Type):
    """A class itself used as a value (Point in `Point(1, 2)`, `isinstance(x, Point)`)."""
    info: "ClassInfo" = field(default=None, compare=False)   # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypeObjT) and other.info is self.info

    def __hash__(self) -> int:
        return hash(("type", id(self.info)))


def is_numeric(t: Type) -> bool:
    return t in (INT, FLOAT, BOOL) or t in NATIVE_INTS


def boxed(t: Type) -> bool:
    """Whether values of t are kvals already."""
    return t.c_type == "kval"


def subtype(a: Type, b: Type) -> bool:
    """a can be used where b is expected (no conversion beyond boxing; from Any, a check
    at run time)."""
    if a == b or b in (OBJECT, ANY) or a == ANY:
        return True
    if isinstance(a, (ListT, SetT)) and type(a) is type(b) and a.elem == NORETURN:
        return True                     # [] and set() fit any list/set type
    if isinstance(a, DictT) and isinstance(b, DictT):
        return dict_fits(a, b)
    if a == NORETURN:
        return True
    if isinstance(b, OptionalT):
        return a == NONE or subtype(a, b.inner) or (isinstance(a, OptionalT) and subtype(a.inner, b.inner))
    if a == BOOL and (b in (INT, FLOAT) or b in NATIVE_INTS) or a == INT and b == FLOAT:  # mypy's promotions
        return True
    if a in NATIVE_INTS and b in (INT, FLOAT) or a == INT and b in NATIVE_INTS:   # native ints and int mix
        return True
    if isinstance(a, ClassT) and isinstance(b, ClassT):
        return a.info.is_subclass_of(b.info)
    if isinstance(a, ClassT) and a.info.namedtuple and isinstance(b, TupleT):
        return subtype(a.info.tuple_type(), b)
    if isinstance(b, DequeT):
        return isinstance(a, DequeT) and a.elem in (NORETURN, b.elem)
    if isinstance(b, ArrayT):
        return a == b                       # invariant, as typeshed's array[_T]
    if isinstance(b, SequenceT) and not isinstance(a, (ListT, TupleT, SequenceT, RangeT)) and a not in (STR, BYTES):
        return False
    if isinstance(b, IteratorT):
        if isinstance(a, TupleT) and not a.items and a.var is None:
            return True                     # () fits any iterable
        e = iter_elem(a)
        return e is not None and subtype(e, b.elem)
    if isinstance(a, TupleT) and isinstance(b, TupleT):
        if b.var is not None:
            return all(subtype(x, b.var) for x in a.items) if a.var is None else subtype(a.var, b.var)
        return a.var is None and len(a.items) == len(b.items) and all(map(subtype, a.items, b.items))
    if isinstance(a, CallableT) and isinstance(b, CallableT):
        return len(a.params) == len(b.params) and subtype(a.ret, b.ret) and all(map(subtype, b.params, a.params))
    return False


def iter_elem(t: Type) -> Type | None:
    """The element type of iterating over t, or None when t is not iterable."""
    if isinstance(t, (ListT, SetT, IteratorT)):
        return t.elem
    if isinstance(t, NativeT) and t.elem is not None:
        return t.elem
    if isinstance(t, DictT):
        return t.key
    if isinstance(t, TupleT):
        return t.elem()
    if t in (STR,):
        return STR
    if t == ANY:
        return ANY
    if t in (BYTES, BYTEARRAY):
        return INT
    if isinstance(t, RangeT):
        return INT
    if isinstance(t, TypeObjT) and t.info.enum_kind is not None:     # for c in Color
        return t.info.instance
    if isinstance(t, ClassT) and t.info.namedtuple:
        return t.info.tuple_type().elem()
    if isinstance(t, ClassT):
        m = t.info.lookup_method("__iter__")
        if m is not None and isinstance(m.ret, IteratorT):
            return m.ret.elem
        if m is not None and isinstance(m.ret, ClassT):
            nxt = m.ret.info.lookup_method("__next__")
            if nxt is not None:
                return nxt.ret
    return None


def join(a: Type, b: Type) -> Type | None:
    """The least type both a and b fit (for `x if c else y`, list displays, ...)."""
    if ANY in (a, b):
        return ANY
    if subtype(a, b):
        return b
    if subtype(b, a):
        return a
    if a == NONE:
        return OptionalT("optional", b)
    if b == NONE:
        return OptionalT("optional", a)
    if isinstance(a, ClassT) and isinstance(b, ClassT):
        base = a.info.common_base(b.info)
        if base is not None:
            return base.instance
    if {a, b} == {INT, FLOAT}:
        return FLOAT
    return None


def join_all(types: list[Type]) -> Type:
    out = types[0]
    for t in types[1:]:
        j = join(out, t)
        out = j if j is not None else OBJECT
    return out


def optional(t: Type) -> Type:
    return t if isinstance(t, OptionalT) or t == NONE else OptionalT("optional", t)


# ---- collections ----

@dataclass(frozen=True)
class DefaultDictT(DictT):
    """collections.defaultdict[K, V]: a dict (every dict operation applies) whose missing
    keys get their factory's value (kaa/pyrt/collections.c)."""

    def __str__(self) -> str:
        return f"defaultdict[{self.key}, {self.value}]"


@dataclass(frozen=True)
class CounterT(DictT):
    """collections.Counter[K]: a dict[K, int] whose missing keys read as 0."""
    value: Type = INT

    def __str__(self) -> str:
        return f"Counter[{self.key}]"


@dataclass(frozen=True)
class OrderedDictT(DictT):
    """collections.OrderedDict[K, V]: a dict with move_to_end and an order-sensitive ==."""

    def __str__(self) -> str:
        return f"OrderedDict[{self.key}, {self.value}]"


@dataclass(frozen=True)
class DequeT(IteratorT):
    """collections.deque[T]: iterated through k_iter/k_next as the other IteratorTs (it is a
    Sequence[T]); indexed and mutated by kaa/pyrt/deque.c's functions."""

    def __str__(self) -> str:
        return f"deque[{self.elem}]"


@dataclass(frozen=True)
class ArrayT(IteratorT):
    """array.array[int] (type codes b B h H i I l L q Q) or array.array[float] (f d): numbers
    stored as C values (kaa/pyrt/array.c), iterated through k_iter/k_next as the other
    IteratorTs; the type code is known only at run time."""

    def __str__(self) -> str:
        return f"array[{self.elem}]"


def dict_fits(a: DictT, b: DictT) -> bool:
    """A dict of kind a where one of kind b is expected: a Counter[K] is a dict[K, int] (each
    kind is a dict with the same types), and an empty one ({}, Counter(), defaultdict(list))
    fits any of its kind whose values its own values (the factory's) fit as they are: the
    runtime stores the factory's value unconverted, so no int for a float."""
    if type(a) is not type(b) and type(b) is not DictT:
        return False
    if a.key == NORETURN:
        return a.value in (NORETURN, b.value) or (not is_numeric(a.value) and subtype(a.value, b.value))
    return a.key == b.key and a.value == b.value
