"""Declare a service module: annotations to types, function signatures, class layouts.

Runs before any body is lowered. Classes get their fields from class-level annotations
and from the `self.x = ...` assignments of their methods (typed from the annotation,
the parameter assigned, or a literal: what mypy would infer without looking further),
their methods' signatures, vtable slots for methods a subclass overrides, and class
constants. Module-level functions get their signatures. Globals are typed as the
module's code is lowered (lower.py), in source order, as in CPython.
"""

from __future__ import annotations

import ast

from kaa.compiler.errors import CompileError, Reporter
from kaa.service import types as T
from kaa.service.symbols import ClassInfo, FuncInfo, ModuleInfo, Param

SIMPLE = {"int": T.INT, "float": T.FLOAT, "bool": T.BOOL, "str": T.STR, "bytes": T.BYTES,
          "bytearray": T.BYTEARRAY, "object": T.OBJECT, "None": T.NONE, "NoReturn": T.NORETURN,
          "Never": T.NORETURN, "Any": T.ANY, **{t.name: t for t in T.NATIVE_INTS}}
GENERIC_ALIASES = {"List": "list", "Dict": "dict", "Set": "set", "Tuple": "tuple", "FrozenSet": "set",
                   "Mapping": "dict", "MutableMapping": "dict", "MutableSequence": "list", "AbstractSet": "set",
                   "MutableSet": "set", "DefaultDict": "defaultdict", "Deque": "deque"}
COLLECTIONS_GENERICS = ("defaultdict", "Counter", "deque", "OrderedDict")      # collections' (and typing's)
ITERATOR_NAMES = {"Iterator", "Iterable", "Generator", "Sequence", "Collection"}

# Built-in exception classes a program can raise, catch and subclass.
BUILTIN_EXCEPTIONS = ["BaseException", "SystemExit", "Exception", "ArithmeticError", "ZeroDivisionError",
                      "OverflowError", "AssertionError", "AttributeError", "LookupError", "IndexError",
                      "KeyError", "MemoryError", "NameError", "UnboundLocalError", "RuntimeError",
                      "NotImplementedError", "RecursionError", "StopIteration", "TypeError", "ValueError",
                      "UnicodeError", "UnicodeDecodeError", "UnicodeEncodeError", "OSError", "BlockingIOError",
                      "ConnectionError", "BrokenPipeError", "ConnectionAbortedError", "ConnectionRefusedError",
                      "ConnectionResetError", "TimeoutError", "FileExistsError", "FileNotFoundError",
                      "IsADirectoryError", "NotADirectoryError", "PermissionError"]
_EXC_BASES = {"BaseException": None, "SystemExit": "BaseException", "Exception": "BaseException",
              "ArithmeticError": "Exception", "ZeroDivisionError": "ArithmeticError",
              "OverflowError": "ArithmeticError", "AssertionError": "Exception", "AttributeError": "Exception",
              "LookupError": "Exception", "IndexError": "LookupError", "KeyError": "LookupError",
              "MemoryError": "Exception", "NameError": "Exception", "UnboundLocalError": "NameError",
              "RuntimeError": "Exception", "NotImplementedError": "RuntimeError",
              "RecursionError": "RuntimeError", "StopIteration": "Exception", "TypeError": "Exception",
              "ValueError": "Exception", "UnicodeError": "ValueError", "UnicodeDecodeError": "UnicodeError",
              "UnicodeEncodeError": "UnicodeError", "OSError": "Exception", "BlockingIOError": "OSError",
              "ConnectionError": "OSError", "BrokenPipeError": "ConnectionError",
              "ConnectionAbortedError": "ConnectionError", "ConnectionRefusedError": "ConnectionError",
              "ConnectionResetError": "ConnectionError", "TimeoutError": "OSError",
              **{name: "OSError" for name in ("FileExistsError", "FileNotFoundError", "IsADirectoryError",
                                              "NotADirectoryError", "PermissionError")}}


def builtin_exception_classes() -> dict[str, ClassInfo]:
    out: dict[str, ClassInfo] = {}
    for name in BUILTIN_EXCEPTIONS:
        base = _EXC_BASES[name]
        out[name] = ClassInfo(name, name, "builtins", None, out[base] if base else None,
                              builtin_type=f"k_{name}_type")
    return out


BUILTIN_CLASSES = builtin_exception_classes()


def is_typevar(node: ast.stmt) -> bool:
    """T = TypeVar("T", ...) at module level."""
    return isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
        isinstance(node.value, ast.Call) and (getattr(node.value.func, "id", "") == "TypeVar" or
                                              getattr(node.value.func, "attr", "") == "TypeVar")


def generic_base(b: ast.expr) -> bool:
    """Generic[T] and Protocol (bases that only inform the type checker)."""
    if isinstance(b, ast.Subscript):
        b = b.value
    name = b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
    return name in ("Generic", "Protocol")


def dotted_name(node: ast.expr) -> str:
    """"a.b.c" for a chain of names, "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


class QualifiedNames(ast.NodeTransformer):
    """`models.Item` (alias "models") becomes the Name "models.Item"; `pkg.mod.f` for alias "pkg.mod"."""

    def __init__(self, alias: str, src: ModuleInfo, report: Reporter):
        self.alias, self.src, self.report = alias, src, report

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if dotted_name(node.value) != self.alias:
            return self.generic_visit(node)
        if not any(node.attr in t for t in (self.src.classes, self.src.functions, self.src.globals)):
            raise self.report.error(node, f"module '{self.src.name}' has no attribute '{node.attr}'",
                                    f"'{self.src.name}' ({self.src.path}) defines no class, function or global of that name")
        return ast.copy_location(ast.Name(id=f"{self.alias}.{node.attr}", ctx=node.ctx), node)


class Declarer:
    def __init__(self, mod: ModuleInfo, report: Reporter):
        self.mod = mod
        self.report = report
        for node in mod.tree.body:            # annotations may name imported types before the imports run
            if isinstance(node, ast.Import):
                for a in node.names:
                    mod.imports[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    mod.imports[a.asname or a.name] = f"{node.module}.{a.name}"

    def library_type(self, dotted: str) -> T.Type | None:
        """The type `json.JSONDecodeError` or `random.Random` names in a standard module."""
        from kaa.service.modules import registry
        dotted = {"typing.TextIO": "io.TextIOWrapper"}.get(dotted, dotted)    # what open() gives in text mode
        mod, _, attr = dotted.rpartition(".")
        m = registry().get(mod)
        if m is None:
            return None
        if attr in m.types:
            return m.types[attr].type
        if attr in m.exceptions:
            return m.exceptions[attr].instance
        return None

    # ---- annotations ----

    def type_of(self, node: ast.expr | None, what: str = "annotation") -> T.Type:
        if node is None:
            raise self.report.error(None, f"missing {what}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.type_of(ast.parse(node.value, mode="eval").body if node.value else None, what)
        if isinstance(node, ast.Constant) and node.value is None:
            return T.NONE
        if isinstance(node, ast.Name):
            if node.id in SIMPLE:
                return SIMPLE[node.id]
            if node.id in self.mod.typevars:
                return T.ANY                # type variables are erased to dynamic values, as mypyc erases them
            lib = self.library_type(self.mod.imports.get(node.id, ""))
            if lib is not None:
                return lib
            if node.id in self.mod.classes:
                return self.mod.classes[node.id].instance
            if node.id in BUILTIN_CLASSES:
                return BUILTIN_CLASSES[node.id].instance
            bare = {"list": T.ListT("list"), "dict": T.DictT("dict"), "set": T.SetT("set"),
                    "tuple": T.TupleT("tuple", (), T.OBJECT)}
            if node.id in bare or node.id in GENERIC_ALIASES or node.id in COLLECTIONS_GENERICS:
                raise self.report.error(node, f"'{node.id}' needs its element types here",
                                        f"write e.g. {GENERIC_ALIASES.get(node.id, node.id)}[int]")
            raise self.report.error(node, f"unknown type '{node.id}'",
                                    "types are int, float, bool, str, bytes, None, list[T], dict[K, V], set[T], "
                                    "tuple[...], Optional[T], Callable[[A], R], Iterator[T] and classes")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in self.mod.imports:
            lib = self.library_type(f"{self.mod.imports[node.value.id]}.{node.attr}")
            if lib is not None:
                return lib
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in (
                "typing", "t", "collections"):
            return self.type_of(ast.Name(node.attr, ctx=ast.Load(), lineno=node.lineno, col_offset=node.col_offset))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left, right = self.type_of(node.left), self.type_of(node.right)
            if right == T.NONE:
                return T.optional(left)
            if left == T.NONE:
                return T.optional(right)
            raise self.report.error(node, "unions other than 'T | None' are not supported",
                                    "use a common base class, or T | None")
        if isinstance(node, ast.Subscript):
            return self._generic(node)
        raise self.report.error(node, "this annotation is not a type the service level knows",
                                "write a type such as int, list[str] or a class name")

    def _generic(self, node: ast.Subscript) -> T.Type:
        base = node.value
        name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
        full = self.mod.imports.get(name, "")
        if full.startswith(("typing.", "collections.")):       # from typing import Counter as TCounter
            name = full.rpartition(".")[2]
        name = GENERIC_ALIASES.get(name, name)
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if name in self.mod.classes:                  # Stack[int]: a generic class (its type variables are dynamic)
            for a in args:
                self.type_of(a)
            return self.mod.classes[name].instance
        if name == "list" and len(args) == 1:
            return T.ListT("list", self.type_of(args[0]))
        if name == "set" and len(args) == 1:
            return T.SetT("set", self.type_of(args[0]))
        if name == "dict" and len(args) == 2:
            return T.DictT("dict", self.type_of(args[0]), self.type_of(args[1]))
        if name in ("defaultdict", "OrderedDict") and len(args) == 2:
            kind = T.DefaultDictT if name == "defaultdict" else T.OrderedDictT
            return kind(name, self.type_of(args[0]), self.type_of(args[1]))
        if name == "Counter" and len(args) == 1:
            return T.CounterT("Counter", self.type_of(args[0]))
        if name == "deque" and len(args) == 1:
            return T.DequeT("deque", self.type_of(args[0]))
        if len(args) == 1 and (full == "array.array" or isinstance(base, ast.Attribute) and base.attr == "array" and
                               self.mod.imports.get(getattr(base.value, "id", "")) == "array"):
            elem = self.type_of(args[0])            # array.array[int], or array[float] after from array import array
            if elem not in (T.INT, T.FLOAT):
                raise self.report.error(node, f"an array holds ints or floats, not {elem}",
                                        "array.array[int] or array.array[float]")
            return T.ArrayT("array", elem)
        if name == "tuple":
            if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
                return T.TupleT("tuple", (), self.type_of(args[0]))
            if len(args) == 1 and isinstance(args[0], ast.Tuple) and not args[0].elts:
                return T.TupleT("tuple", ())
            return T.TupleT("tuple", tuple(self.type_of(a) for a in args))
        if name == "Optional" and len(args) == 1:
            return T.optional(self.type_of(args[0]))
        if name == "Union":
            types = [self.type_of(a) for a in args]
            rest = [t for t in types if t != T.NONE]
            if len(rest) == 1 and len(types) == 2:
                return T.optional(rest[0])
            raise self.report.error(node, "unions other than Optional[T] are not supported",
                                    "use a common base class, or Optional[T]")
        if name == "Sequence":
            return T.SequenceT("sequence", self.type_of(args[0]))
        if name in ITERATOR_NAMES:
            return T.IteratorT("iterator", self.type_of(args[0]))
        if name == "Callable" and len(args) == 2 and isinstance(args[0], ast.List):
            return T.CallableT("callable", tuple(self.type_of(a) for a in args[0].elts), self.type_of(args[1]))
        if name == "type" and len(args) == 1:
            t = self.type_of(args[0])
            if isinstance(t, T.ClassT):
                return t.info.type_obj
        raise self.report.error(node, f"'{name}[...]' is not a type the service level knows",
                                "generic types are list[T], dict[K, V], set[T], tuple[...], Optional[T], "
                                "Callable[[A], R], Iterator[T] and collections' Counter[T], deque[T], "
                                "defaultdict[K, V] and OrderedDict[K, V]")

    # ---- module ----

    def bind_imports(self, modules: dict[str, ModuleInfo]) -> None:
        """`from models import Item, load`: the names another module of the program defines,
        bound here to that module's symbols (declared before this one: imports are acyclic)."""
        for node in self.mod.tree.body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in modules:
                        self._bind_module(a.asname or a.name, modules[a.name])
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            for a in node.names:
                local = a.asname or a.name
                if f"{node.module}.{a.name}" in modules:         # from pkg import submodule
                    self._bind_module(local, modules[f"{node.module}.{a.name}"])
                elif node.module in modules:
                    self._bind_name(node, local, a.name, modules[node.module])

    def _bind_name(self, node: ast.ImportFrom, local: str, name: str, src: ModuleInfo) -> None:
        self.mod.imports.pop(local, None)
        table = next((t for t in (src.classes, src.functions, src.globals) if name in t), None)
        if name in src.typevars:
            self.mod.typevars.add(local)
        elif table is None:
            raise self.report.error(node, f"cannot import name '{name}' from '{src.name}' ({src.path})",
                                    f"'{src.name}' defines no class, function or global of that name")
        elif local in self.mod.classes or local in self.mod.functions:
            raise self.report.error(node, f"'{local}' is imported twice", "import it under another name: from m import x as y")
        else:
            mine = self.mod.classes if table is src.classes else \
                self.mod.functions if table is src.functions else self.mod.globals
            mine[local] = table[name]                     # type: ignore[index]
            self.mod.imported.add(local)

    def _bind_module(self, alias: str, src: ModuleInfo) -> None:
        """`import models`: `models.Item` is bound as the name "models.Item" (no Python name
        has a dot), and the module's code is rewritten to use it."""
        self.mod.imports.pop(alias, None)
        self.mod.module_aliases.add(alias)
        for table, mine in ((src.classes, self.mod.classes), (src.functions, self.mod.functions),
                            (src.globals, self.mod.globals)):
            for name, sym in table.items():
                mine[f"{alias}.{name}"] = sym              # type: ignore[index]
                self.mod.imported.add(f"{alias}.{name}")
        QualifiedNames(alias, src, self.report).visit(self.mod.tree)

    def declare(self) -> None:
        body = self.mod.tree.body
        for node in body:
            if is_typevar(node):
                self.mod.typevars.add(node.targets[0].id)          # type: ignore[attr-defined]
        for node in body:
            if isinstance(node, ast.ClassDef):
                self._class_shell(node)
        for node in body:
            if isinstance(node, ast.ClassDef):
                self._class_body(node)
        for node in body:
            if isinstance(node, ast.FunctionDef):
                if node.name in self.mod.functions and node.name not in self.mod.imported:
                    raise self.report.error(node, f"function '{node.name}' is defined twice",
                                            "give the second definition another name")
                f = self.signature(node, None, f"{self.mod.prefix}_{node.name}")
                f.cache_size = self.function_decorators(node)
                self.mod.functions[node.name] = f
                self.mod.imported.discard(node.name)
        for info in self.mod.own_classes():
            self._fields_from_methods(info)

    def assign_slots(self) -> None:
        """Vtable slots for the hierarchies rooted in this module. Called once every module of
        the program is declared: a subclass in another module can override a method."""
        for info in self.mod.own_classes():
            if info.base is None or info.base.builtin_type is not None:
                self._assign_slots(info, [])

    def _class_shell(self, node: ast.ClassDef) -> None:
        base: ClassInfo | None = None
        protocol = any(generic_base(b) and "Protocol" in ast.unparse(b) for b in node.bases)
        node.bases = [b for b in node.bases if not generic_base(b)]
        if len(node.bases) > 1:
            raise self.report.error(node.bases[1], "a class has at most one base class",
                                    "use composition for the other base")
        if node.bases:
            b = node.bases[0]
            name = b.id if isinstance(b, ast.Name) else ""
            if isinstance(b, ast.Attribute) and isinstance(b.value, ast.Name) and \
                    self.mod.imports.get(b.value.id) == "abc":
                name = b.attr
            if name in self.mod.classes:
                base = self.mod.classes[name]
            elif name in BUILTIN_CLASSES:
                base = BUILTIN_CLASSES[name]
            elif name == "ABC" and self.mod.imports.get("ABC", "abc.ABC") == "abc.ABC":
                pass                                # abc.ABC: only marks abstract methods as such
            elif self.enum_base(b) is not None:
                pass
            elif name == "NamedTuple" and self.mod.imports.get("NamedTuple", "typing.NamedTuple") in (
                    "typing.NamedTuple", "typing_extensions.NamedTuple") or ast.unparse(b).endswith(".NamedTuple"):
                pass
            elif name != "object":
                raise self.report.error(b, f"unknown base class '{ast.unparse(b)}'",
                                        "the base must be a class defined earlier in this module or a built-in exception")
        info = ClassInfo(node.name, f"{self.mod.prefix}_{node.name}", self.mod.name, node, base)
        info.enum_kind = self.enum_base(node.bases[0]) if node.bases else None
        info.protocol = protocol
        info.namedtuple = bool(node.bases) and ast.unparse(node.bases[0]).split(".")[-1] == "NamedTuple"
        if info.namedtuple:
            info.dataclass = True           # fields from annotations, with defaults; repr as a dataclass's
            info.frozen = True
        if base is not None:
            base.subclasses.append(info)
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            dname = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if dname != "dataclass":
                raise self.report.error(dec, f"class decorator '{ast.unparse(dec)}' is not supported",
                                        "@dataclass (with eq= and order=) is")
            info.dataclass = True
            if isinstance(dec, ast.Call):
                for kw in dec.keywords:
                    if kw.arg in ("order", "eq", "frozen") and isinstance(kw.value, ast.Constant):
                        setattr(info, kw.arg, bool(kw.value.value))
                    else:
                        raise self.report.error(kw, f"@dataclass({kw.arg}=...) is not supported",
                                                "eq=, order= and frozen= (True or False) are")
        self.mod.classes[node.name] = info
        self.mod.imported.discard(node.name)          # a class defined here replaces an imported name

    def enum_base(self, b: ast.expr) -> str | None:
        """Enum, IntEnum or StrEnum when b names enum's class (enum.Enum or imported)."""
        if isinstance(b, ast.Attribute) and isinstance(b.value, ast.Name) and self.mod.imports.get(b.value.id) == "enum":
            name = b.attr
        elif isinstance(b, ast.Name) and self.mod.imports.get(b.id) == f"enum.{b.id}":
            name = b.id
        else:
            return None
        if name not in ("Enum", "IntEnum", "StrEnum"):
            raise self.report.error(b, f"enum.{name} is not supported", "Enum, IntEnum and StrEnum are")
        return name

    def _enum_members(self, info: ClassInfo, node: ast.ClassDef) -> None:
        """NAME = value (or auto()) lines: the members, class constants of the class's own
        type; each member has fields name and value (the members' common value type)."""
        types: list[T.Type] = []
        for item in node.body:
            if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
                name, v = item.targets[0].id, item.value
                auto = isinstance(v, ast.Call) and (getattr(v.func, "id", "") == "auto" or
                                                    getattr(v.func, "attr", "") == "auto")
                types.append((T.STR if info.enum_kind == "StrEnum" else T.INT) if auto else self._literal_type(v))
                info.enum_members.append((name, v))
                info.constants[name] = (info.instance, f"{info.cname}_{name}")
        if not info.enum_members:
            raise self.report.error(node, f"enum '{info.name}' has no members", "add NAME = value lines")
        value_t = T.join_all(types)
        if not value_t.is_object:
            raise self.report.error(node, f"enum values of type {value_t} are not supported",
                                    "use int, str or tuple values")
        want = {"IntEnum": T.INT, "StrEnum": T.STR}.get(info.enum_kind or "")
        if want is not None and value_t != want:
            raise self.report.error(node, f"the values of a {info.enum_kind} are {want}s", f"use {want} values")
        info.fields = {"name": T.STR, "value": value_t}

    def _class_body(self, node: ast.ClassDef) -> None:
        info = self.mod.classes[node.name]
        if info.enum_kind is not None:
            self._enum_members(info, node)
        for item in node.body:
            if info.enum_kind is not None and isinstance(item, ast.Assign):
                continue
            if isinstance(item, ast.FunctionDef):
                m = self.method(item, info)
                if m.kind == "setter":
                    m.cname = f"{info.cname}_{item.name}__set"
                    m.kind = "method"
                    info.methods[f"{item.name}.setter"] = m
                else:
                    info.methods[item.name] = m
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                self._class_annassign(info, item)
            elif isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
                name = item.targets[0].id
                info.constants[name] = (self._literal_type(item.value), f"{info.cname}_{name}")
            elif isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant):
                continue                                        # docstring
            elif isinstance(item, ast.Pass):
                continue
            else:
                raise self.report.error(item, "a class body holds methods, field annotations and constants",
                                        "move other statements into a method or the module")

    def _class_annassign(self, info: ClassInfo, item: ast.AnnAssign) -> None:
        assert isinstance(item.target, ast.Name)
        name = item.target.id
        ann = item.annotation
        if isinstance(ann, ast.Subscript) and getattr(ann.value, "id", "") in ("ClassVar", "Final"):
            info.constants[name] = (self.type_of(ann.slice), f"{info.cname}_{name}")
            return
        if isinstance(ann, ast.Name) and ann.id == "Final":
            if item.value is None:
                raise self.report.error(item, "a Final name needs a value", "NAME: Final = value")
            info.constants[name] = (self._literal_type(item.value), f"{info.cname}_{name}")
            return
        t = self.type_of(ann)
        if not info.dataclass and item.value is not None:
            info.constants[name] = (t, f"{info.cname}_{name}")
            return
        info.fields[name] = t
        if item.value is not None:
            v = item.value
            if isinstance(v, ast.Call) and getattr(v.func, "id", "") == "field":
                for kw in v.keywords:
                    if kw.arg == "default_factory":
                        info.field_factories[name] = kw.value
                    elif kw.arg == "default":
                        info.field_defaults[name] = kw.value
            else:
                info.field_defaults[name] = v

    def function_decorators(self, node: ast.FunctionDef) -> int | None:
        """A module function's decorators: functools.cache / lru_cache(maxsize=...) give its
        cache size (-1: unbounded); others are not supported."""
        size: int | None = None
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name not in ("cache", "lru_cache"):
                raise self.report.error(dec, f"function decorator '{ast.unparse(dec)}' is not supported",
                                        "@functools.cache and @functools.lru_cache(maxsize=...) are")
            size = -1 if name == "cache" else 128                      # lru_cache's default maxsize
            if isinstance(dec, ast.Call):
                args = list(dec.args) + [k.value for k in dec.keywords if k.arg == "maxsize"]
                if len(args) > 1 or any(k.arg not in ("maxsize", "typed") for k in dec.keywords):
                    raise self.report.error(dec, "lru_cache takes maxsize (and typed)", "@lru_cache(maxsize=256)")
                if args:
                    v = args[0]
                    if isinstance(v, ast.Constant) and v.value is None:
                        size = -1
                    elif isinstance(v, ast.Constant) and isinstance(v.value, int) and not isinstance(v.value, bool):
                        size = max(v.value, 0)
                    else:
                        raise self.report.error(v, "maxsize is an int literal or None", "@lru_cache(maxsize=None)")
        return size

    def _literal_type(self, v: ast.expr) -> T.Type:
        if isinstance(v, ast.Constant):
            for py, t in ((bool, T.BOOL), (int, T.INT), (float, T.FLOAT), (str, T.STR), (bytes, T.BYTES)):
                if isinstance(v.value, py):
                    return t
        if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.USub):
            return self._literal_type(v.operand)
        if isinstance(v, ast.Tuple):
            return T.TupleT("tuple", tuple(self._literal_type(e) for e in v.elts))
        raise self.report.error(v, "a class constant needs an annotation unless it is a literal",
                                "write NAME: T = value (with ClassVar[T] for a class-level value)")

    def signature(self, node: ast.FunctionDef, owner: ClassInfo | None, cname: str, skip_self: bool = False) -> FuncInfo:
        a = node.args
        if a.vararg or a.kwarg:
            raise self.report.error(a.vararg or a.kwarg, "*args and **kwargs are not supported",
                                    "name each parameter (lists and dicts can be passed as values)")
        if a.posonlyargs:
            raise self.report.error(node, "positional-only parameters (/) are not supported",
                                    "remove the '/'")
        args = list(a.args)
        defaults: list[ast.expr | None] = [None] * (len(args) - len(a.defaults)) + list(a.defaults)
        if skip_self:
            args, defaults = args[1:], defaults[1:]
        params = []
        for arg, d in zip(args, defaults):
            params.append(Param(arg.arg, self.type_of(arg.annotation, f"annotation for parameter '{arg.arg}'"), d))
        for arg, d in zip(a.kwonlyargs, a.kw_defaults):
            params.append(Param(arg.arg, self.type_of(arg.annotation, f"annotation for parameter '{arg.arg}'"), d, True))
        if node.returns is None and node.name != "__init__":
            raise self.report.error(node, f"function '{node.name}' needs a return annotation",
                                    "add '-> T' ('-> None' when it returns nothing)")
        ret = T.NONE if node.returns is None else self.type_of(node.returns)
        is_gen = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(node))
        if is_gen and not isinstance(ret, T.IteratorT):
            raise self.report.error(node.returns or node, "a generator's return type is Iterator[T]",
                                    "annotate it '-> Iterator[T]' (from typing or collections.abc)")
        return FuncInfo(node.name, cname, params, ret, node, owner, qualname=node.name, is_generator=is_gen)

    def method(self, node: ast.FunctionDef, info: ClassInfo) -> FuncInfo:
        kinds = [getattr(d, "id", None) or getattr(d, "attr", None) for d in node.decorator_list]
        kind = "method"
        for k in kinds:
            if k in ("staticmethod", "classmethod", "property"):
                kind = k
            elif k == "setter":
                kind = "setter"
            elif k != "abstractmethod":
                raise self.report.error(node, f"method decorator '{k}' is not supported",
                                        "@staticmethod, @classmethod, @property and @abstractmethod are")
        if kind != "staticmethod" and not node.args.args:
            raise self.report.error(node, f"method '{node.name}' needs a 'self' parameter",
                                    "add self (or mark it @staticmethod)")
        f = self.signature(node, info, f"{info.cname}_{node.name}", skip_self=kind != "staticmethod")
        f.kind = kind
        f.abstract = "abstractmethod" in kinds or info.protocol     # a Protocol's methods are placeholders
        return f

    def _fields_from_methods(self, info: ClassInfo) -> None:
        """self.x = ... in methods declares field x (first in __init__, then the others)."""
        methods = sorted(info.methods.values(), key=lambda m: m.name != "__init__")
        inherited = info.base.all_fields() if info.base is not None else {}
        for m in methods:
            if m.kind != "method" or not isinstance(m.node, ast.FunctionDef):
                continue
            params = {p.name: p.type for p in m.params}
            self_name = m.node.args.args[0].arg
            for n in ast.walk(m.node):
                target, ann, value = None, None, None
                if isinstance(n, ast.AnnAssign):
                    target, ann, value = n.target, n.annotation, n.value
                elif isinstance(n, ast.Assign) and len(n.targets) == 1:
                    target, value = n.targets[0], n.value
                if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        and target.value.id == self_name):
                    continue
                name = target.attr
                if name in info.fields or name in inherited or name in info.constants:
                    continue
                if self._property_named(info, name):
                    continue
                if ann is not None:
                    info.fields[name] = self.type_of(ann)
                else:
                    try:
                        info.fields[name] = self._infer_field(value, params, target)
                    except CompileError:
                        if m.name != "__init__":
                            raise
                        info.pending_fields.add(name)     # typed when __init__ is lowered

    def _property_named(self, info: ClassInfo, name: str) -> bool:
        m = info.lookup_method(name)
        return m is not None and m.kind == "property"

    def _infer_field(self, value: ast.expr | None, params: dict[str, T.Type], where: ast.AST) -> T.Type:
        if isinstance(value, ast.Name) and value.id in params:
            return params[value.id]
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            if value.func.id in self.mod.classes:
                return self.mod.classes[value.func.id].instance
            simple = {"int": T.INT, "float": T.FLOAT, "str": T.STR, "bool": T.BOOL}
            if value.func.id in simple:
                return simple[value.func.id]
        if isinstance(value, (ast.Constant, ast.UnaryOp, ast.Tuple)) and not (
                isinstance(value, ast.Constant) and value.value is None):
            try:
                return self._literal_type(value)
            except CompileError:
                pass
        raise self.report.error(where, "the type of this field cannot be inferred from its first assignment",
                                "annotate it: self.name: T = value")

    def _assign_slots(self, info: ClassInfo, inherited: list[FuncInfo]) -> None:
        """Methods some subclass overrides get vtable slots; a subclass's vtable extends its base's."""
        table = list(inherited)
        for name, m in info.methods.items():
            if m.kind not in ("method", "property", "classmethod"):
                continue
            prev = next((i for i, f in enumerate(table) if f.name == name), None)
            if prev is not None:
                m.slot = prev
                table[prev] = m
            elif info.overridden(name):
                m.slot = len(table)
                table.append(m)
        info.vtable = table
        for sub in info.subclasses:
            self._assign_slots(sub, table)


def _own_nodes(fn: ast.FunctionDef) -> list[ast.AST]:
    """The nodes of fn's body, not those of functions or lambdas nested in it."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(fn.body)
    while stack:
        n = stack.pop()
        out.append(n)
        for c in ast.iter_child_nodes(n):
            if not isinstance(c, (ast.FunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(c)
    return out
