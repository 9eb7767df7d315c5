"""The types of Kaa Python and how each one is spelled in C.

Types are immutable values compared by structure (dataclasses with eq/hash), except
structs and enums, which are nominal: one object per declaration. `UNTYPED_INT` marks a
compile-time integer (a literal, an enum member, a `Final` constant or an expression of
them) that has not yet met a context; it takes the type its use needs (see
check.Checker.coerce), `f64` included when the value is exactly a double.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field


class Type:
    """Base of all types. `c` is the C spelling (a typedef name where one is needed)."""

    @property
    def c(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.name()

    def name(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, eq=True)
class IntType(Type):
    bits: int
    signed: bool

    def name(self) -> str:
        return f"{'i' if self.signed else 'u'}{self.bits}"

    @property
    def c(self) -> str:
        return f"{'i' if self.signed else 'u'}{self.bits}"

    @property
    def min(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    def holds(self, other: IntType) -> bool:
        """Whether every value of `other` is a value of self (lossless widening)."""
        return self.min <= other.min and other.max <= self.max


I8, I16, I32, I64 = (IntType(b, True) for b in (8, 16, 32, 64))
U8, U16, U32, U64 = (IntType(b, False) for b in (8, 16, 32, 64))
INT_TYPES = {t.name(): t for t in (I8, I16, I32, I64, U8, U16, U32, U64)}
INT_TYPES.update(int=I64, usize=U64, isize=I64)


@dataclass(frozen=True)
class FloatType(Type):
    """f64: an IEEE 754 double (C double), computed with SSE."""

    def name(self) -> str:
        return "f64"

    @property
    def c(self) -> str:
        return "double"


@dataclass(frozen=True)
class BoolType(Type):
    def name(self) -> str:
        return "bool"

    @property
    def c(self) -> str:
        return "bool"


@dataclass(frozen=True)
class VoidType(Type):
    def name(self) -> str:
        return "None"

    @property
    def c(self) -> str:
        return "void"


@dataclass(frozen=True)
class UntypedInt(Type):
    """A constant integer that has not met a context yet."""

    def name(self) -> str:
        return "int constant"

    @property
    def c(self) -> str:
        return "i64"


@dataclass(frozen=True)
class NullType(Type):
    def name(self) -> str:
        return "None"

    @property
    def c(self) -> str:
        return "void *"


@dataclass(frozen=True)
class StrType(Type):
    def name(self) -> str:
        return "Str"

    @property
    def c(self) -> str:
        return "kaa_str"


@dataclass(frozen=True)
class PtrType(Type):
    target: Type

    def name(self) -> str:
        return f"Ptr[{self.target.name()}]"

    @property
    def c(self) -> str:
        if isinstance(self.target, VoidType):
            return "void *"
        return f"{self.target.c} *"


@dataclass(frozen=True)
class ArrayType(Type):
    elem: Type
    length: int

    def name(self) -> str:
        return f"Array[{self.elem.name()}, {self.length}]"

    @property
    def c(self) -> str:
        return f"kaa_arr_{mangle_type(self)}_{self.length}"


@dataclass(frozen=True)
class SliceType(Type):
    elem: Type

    def name(self) -> str:
        if self.elem == U8:
            return "Bytes"
        return f"Slice[{self.elem.name()}]"

    @property
    def c(self) -> str:
        return "kaa_slice_u8" if self.elem == U8 else f"kaa_slice_{mangle_type(self)}"


@dataclass(frozen=True)
class FnType(Type):
    params: tuple[Type, ...]
    ret: Type

    def name(self) -> str:
        return f"Fn[[{', '.join(p.name() for p in self.params)}], {self.ret.name()}]"

    @property
    def c(self) -> str:
        return f"kaa_{mangle_type(self)}"


@dataclass(eq=False)
class StructType(Type):
    """A @struct class. Nominal: identity is the declaration."""

    qualname: str                      # module path + "." + class name
    cname: str
    node: ast.ClassDef | None
    path: str
    packed: bool = False
    fields: dict[str, Type] = field(default_factory=dict)
    methods: dict[str, object] = field(default_factory=dict)   # name -> check.Func

    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def c(self) -> str:
        return self.cname

    def __hash__(self) -> int:
        return id(self)


@dataclass(eq=False)
class EnumType(Type):
    """An IntEnum class: named constants over an integer storage type."""

    qualname: str
    members: dict[str, int]
    storage: IntType

    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def c(self) -> str:
        return self.storage.c

    def __hash__(self) -> int:
        return id(self)


BOOL, VOID, UNTYPED, NULL, STR = BoolType(), VoidType(), UntypedInt(), NullType(), StrType()
BYTES = SliceType(U8)
F64 = FloatType()


def holds_f64(t: Type) -> bool:
    """Whether a value of type t carries a double (itself, or by value in a struct or
    array): C code that handles one needs SSE registers."""
    if isinstance(t, FloatType):
        return True
    if isinstance(t, ArrayType):
        return holds_f64(t.elem)
    if isinstance(t, StructType):
        return any(holds_f64(f) for f in t.fields.values())
    return False


def mangle_type(t: Type) -> str:
    """A C identifier fragment naming `t`, for typedefs of derived types.

    Readable, and made unambiguous by a short hash of the type's full description
    (struct and enum names included), so no two types share a typedef."""
    return f"{_readable(t)}_{_type_hash(t)}"


def _readable(t: Type) -> str:
    if isinstance(t, PtrType):
        return "p" + _readable(t.target)
    if isinstance(t, (ArrayType, SliceType)):
        return _readable(t.elem)
    if isinstance(t, FnType):
        return "fn"
    if isinstance(t, (StructType, EnumType)):
        return t.name()
    if isinstance(t, VoidType):
        return "void"
    return t.c


def _describe(t: Type) -> str:
    if isinstance(t, (StructType, EnumType)):
        return t.qualname
    if isinstance(t, PtrType):
        return f"Ptr[{_describe(t.target)}]"
    if isinstance(t, ArrayType):
        return f"Array[{_describe(t.elem)},{t.length}]"
    if isinstance(t, SliceType):
        return f"Slice[{_describe(t.elem)}]"
    if isinstance(t, FnType):
        return f"Fn[[{','.join(_describe(p) for p in t.params)}],{_describe(t.ret)}]"
    return t.name()


def _type_hash(t: Type) -> str:
    return hashlib.sha1(_describe(t).encode()).hexdigest()[:6]


def size_of(t: Type) -> int:
    """A lower bound of sizeof(t) in C (no padding): enough to refuse absurd arrays."""
    if isinstance(t, (IntType, EnumType)):
        return (t.bits if isinstance(t, IntType) else t.storage.bits) // 8
    if isinstance(t, BoolType):
        return 1
    if isinstance(t, FloatType):
        return 8
    if isinstance(t, (StrType, SliceType)):
        return 16
    if isinstance(t, ArrayType):
        return t.length * size_of(t.elem)
    if isinstance(t, StructType):
        return sum(size_of(f) for f in t.fields.values())
    return 8


def as_int(t: Type) -> IntType | None:
    """The integer type behind `t` (enums included), or None."""
    if isinstance(t, IntType):
        return t
    if isinstance(t, EnumType):
        return t.storage
    return None


def common_int(a: IntType, b: IntType) -> IntType | None:
    """The smallest integer type that holds both (None: u64 with a signed type)."""
    if a.holds(b):
        return a
    if b.holds(a):
        return b
    for t in (I16, I32, I64):
        if t.holds(a) and t.holds(b):
            return t
    return None


def int_type_for(value: int) -> IntType | None:
    """The default type of an untyped constant with no context: int, else u64."""
    if I64.min <= value <= I64.max:
        return I64
    if 0 <= value <= U64.max:
        return U64
    return None


def fitting_type(value: int, like: IntType) -> IntType | None:
    """The smallest integer type that holds `value`, of like's signedness if one does."""
    fits = [t for t in (I8, U8, I16, U16, I32, U32, I64, U64) if t.min <= value <= t.max]
    same = [t for t in fits if t.signed == like.signed]
    return (same or fits or [None])[0]
