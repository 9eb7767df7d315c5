"""What a service module declares: its functions, classes and globals, with their types.

declare.py fills these from the module's AST before any body is lowered, so a body may
call a function or use a class defined further down, as Python allows at run time.
Every symbol keeps the AST node it came from (for error positions) and the C name it
is emitted under.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from kaa.service import types as T


@dataclass
class Param:
    name: str
    type: T.Type
    default: ast.expr | None = None
    kw_only: bool = False


@dataclass
class FuncInfo:
    name: str                       # Python name ("move", "__init__", "<lambda>")
    cname: str                      # C function name
    params: list[Param]             # without self for methods
    ret: T.Type
    node: ast.FunctionDef | ast.Lambda | None
    owner: "ClassInfo | None" = None
    kind: str = "function"          # function, method, staticmethod, classmethod, property
    qualname: str = ""              # for tracebacks: "f", "Point.move" prints as "move"
    slot: int = -1                  # vtable slot of a method that subclasses override
    is_generator: bool = False
    abstract: bool = False          # @abstractmethod
    cache_size: int | None = None   # @functools.lru_cache(maxsize) / @cache: -1 unbounded, None: not cached
    defaults_cnames: dict[str, str] = field(default_factory=dict)   # non-constant defaults, evaluated once

    @property
    def is_method(self) -> bool:
        return self.kind in ("method", "property")


@dataclass
class ClassInfo:
    name: str
    cname: str                      # C struct and type prefix
    module: str                     # "__main__" for the program's own module
    node: ast.ClassDef | None
    base: "ClassInfo | None"
    builtin_type: str | None = None  # "k_ValueError_type" for built-in exception classes
    fields: dict[str, T.Type] = field(default_factory=dict)         # own fields only
    field_defaults: dict[str, ast.expr] = field(default_factory=dict)
    field_factories: dict[str, ast.expr] = field(default_factory=dict)
    methods: dict[str, FuncInfo] = field(default_factory=dict)
    constants: dict[str, tuple[T.Type, str]] = field(default_factory=dict)   # class-level names: type, C global
    dataclass: bool = False
    order: bool = False
    eq: bool = True
    frozen: bool = False
    namedtuple: bool = False        # typing.NamedTuple: instances are tuples (KTuple) of the fields
    protocol: bool = False          # typing.Protocol: checked by mypy; its methods are placeholders
    enum_kind: str | None = None    # "Enum", "IntEnum" or "StrEnum" for an enum class
    enum_members: list[tuple[str, ast.expr]] = field(default_factory=list)   # name, value (auto() included)
    subclasses: list["ClassInfo"] = field(default_factory=list)
    vtable: list[FuncInfo] = field(default_factory=list)
    pending_fields: set[str] = field(default_factory=set)     # fields typed by their first assignment

    def __post_init__(self) -> None:
        self.instance = T.ClassT(self.name, self)
        self.type_obj = T.TypeObjT(f"type[{self.name}]", self)

    @property
    def type_cname(self) -> str:
        return self.builtin_type or f"{self.cname}_type"

    @property
    def is_exception(self) -> bool:
        c: ClassInfo | None = self
        while c is not None:
            if c.builtin_type is not None:
                return True
            c = c.base
        return False

    def is_subclass_of(self, other: "ClassInfo") -> bool:
        c: ClassInfo | None = self
        while c is not None:
            if c is other:
                return True
            c = c.base
        return False

    def common_base(self, other: "ClassInfo") -> "ClassInfo | None":
        c: ClassInfo | None = self
        while c is not None:
            if other.is_subclass_of(c):
                return c
            c = c.base
        return None

    def all_fields(self) -> dict[str, T.Type]:
        out = self.base.all_fields() if self.base is not None else {}
        out.update(self.fields)
        return out

    def tuple_type(self) -> T.TupleT:
        """A NamedTuple class's instances as the tuples they are."""
        return T.TupleT("tuple", tuple(self.all_fields().values()))

    def abstract_methods(self) -> list[str]:
        """The @abstractmethod methods no class from here up overrides (sorted, as CPython's message)."""
        names: set[str] = set()
        c: ClassInfo | None = self
        while c is not None:
            names |= {n for n, m in c.methods.items() if m.abstract}
            c = c.base
        return sorted(n for n in names if self.lookup_method(n).abstract)   # type: ignore[union-attr]

    def lookup_method(self, name: str) -> FuncInfo | None:
        c: ClassInfo | None = self
        while c is not None:
            if name in c.methods:
                return c.methods[name]
            c = c.base
        return None

    def lookup_constant(self, name: str) -> tuple[T.Type, str] | None:
        c: ClassInfo | None = self
        while c is not None:
            if name in c.constants:
                return c.constants[name]
            c = c.base
        return None

    def overridden(self, name: str) -> bool:
        """Some subclass redefines method `name`: calls on this class dispatch through the vtable."""
        return any(name in s.methods or s.overridden(name) for s in self.subclasses)


@dataclass
class GlobalVar:
    name: str
    type: T.Type
    cname: str
    node: ast.AST | None = None


@dataclass
class ModuleInfo:
    name: str                       # "__main__" for the program
    path: str                       # as given (tracebacks print it)
    tree: ast.Module
    source_lines: list[str]
    prefix: str                     # C name prefix
    functions: dict[str, FuncInfo] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    globals: dict[str, GlobalVar] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)      # local name -> module ("sys")
    typevars: set[str] = field(default_factory=set)            # T = TypeVar("T"): erased to Any
    imported: set[str] = field(default_factory=set)            # names bound from the program's other modules
    module_aliases: set[str] = field(default_factory=set)      # `import models`: its names are "models.x"

    def own_classes(self) -> list[ClassInfo]:
        """The classes this module defines (mod.classes also holds those it imports)."""
        return [c for n, c in self.classes.items() if n not in self.imported]

    def own_functions(self) -> list[FuncInfo]:
        return [f for n, f in self.functions.items() if n not in self.imported]
