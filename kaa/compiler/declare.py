"""Frontend: find the modules a program reaches, parse them, and declare what they define.

A Program is built in three steps, each over every module before the next starts, so
that declarations may refer to each other in any order:

1. load: parse the root modules and, following their imports, every module they reach
   (beside the program first, then in the Kaa tree that holds `kernel/`);
2. declare: give every top-level name a symbol (Func, Global, Const, struct or enum type,
   module reference), rejecting top-level statements outside the language;
3. resolve: evaluate enum members and Final constants, then struct fields, function
   signatures and global types.

Function bodies are checked afterwards by check.py.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from kaa.compiler import types as T
from kaa.compiler.errors import CompileError, Reporter

KAA_ROOT = Path(__file__).resolve().parent.parent.parent   # holds kaa/ and kernel/
DECORATORS = {"struct", "inline", "noinline", "interrupt", "naked", "export", "extern", "section"}


@dataclass(eq=False)
class Func:
    module: "Module"
    name: str
    node: ast.FunctionDef
    cname: str
    struct: T.StructType | None = None            # set for methods
    params: list[tuple[str, T.Type]] = field(default_factory=list)
    ret: T.Type = T.VOID
    attrs: dict[str, object] = field(default_factory=dict)   # decorator name -> argument
    locals: dict[str, T.Type] = field(default_factory=dict)  # filled by the checker
    calls: list[tuple["Func", ast.Call]] = field(default_factory=list)   # direct calls, by the checker
    uses_f64: bool = False                        # its C handles doubles (set by the checker)

    @property
    def fn_type(self) -> T.FnType:
        return T.FnType(tuple(t for _, t in self.params), self.ret)


@dataclass(eq=False)
class Global:
    module: "Module"
    name: str
    node: ast.AnnAssign
    cname: str
    type: T.Type = T.VOID


@dataclass(eq=False)
class Const:
    module: "Module"
    name: str
    node: ast.AST
    type: T.Type | None = None            # None: untyped, takes its context's type
    value: int | None = None
    resolving: bool = False


@dataclass(eq=False)
class ModuleRef:
    module: "Module"


@dataclass(eq=False)
class PackageRef:
    """`a` after `import a.b`: only good for reaching `a.b`."""

    prefix: str


@dataclass(eq=False)
class Module:
    name: str                  # dotted path, e.g. kernel.lib.fmt
    path: Path
    display: str               # the path as errors show it
    tree: ast.Module
    report: Reporter
    source: str                # the decoded text (f-string checks look at it)
    symbols: dict[str, object] = field(default_factory=dict)     # own definitions
    imported: dict[str, object] = field(default_factory=dict)    # names brought in
    imports: list[tuple[ast.stmt, str]] = field(default_factory=list)
    funcs: list[Func] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    structs: list[T.StructType] = field(default_factory=list)

    cprefix: str = ""          # the module's C name prefix, unique in its program

    def lookup(self, name: str) -> object | None:
        return self.symbols.get(name) or self.imported.get(name)


class Program:
    """All modules of one build, in load order (the program's own module first)."""

    def __init__(self, roots: list[Path], search: list[Path] | None = None):
        self.search = search or [roots[0].parent, KAA_ROOT]
        self.modules: dict[str, Module] = {}
        self.cnames: dict[str, str] = {}
        self.main = self._load(roots[0], _module_name(roots[0], self.search))
        for extra in roots[1:]:
            self._load(extra, _module_name(extra, self.search))
        for mod in list(self.modules.values()):
            self._declare(mod)
        for mod in self.modules.values():
            self._bind_imports(mod)
        from kaa.compiler.resolve import Resolver
        Resolver(self).run()

    # ---- step 1: load -------------------------------------------------------------
    def _load(self, path: Path, name: str) -> Module:
        if name in self.modules:
            return self.modules[name]
        display = _display_path(path)
        if not path.is_file():
            raise CompileError(display, 1, 1, "not a Kaa module (a .py file)", "pass the path of a .py file")
        source = _read_source(path, display)
        try:
            tree = ast.parse(source, filename=display)
        except SyntaxError as e:
            raise CompileError(display, e.lineno or 1, e.offset or 1,
                               f"syntax error: {e.msg}", "Kaa modules are valid Python syntax")
        mod = Module(name, path, display, tree, Reporter(display), source)
        mod.cprefix = self._cprefix(name)
        self.modules[name] = mod
        for stmt in tree.body:
            for target in _imported_modules(stmt):
                if target == "kaa.lang" or (target == "__future__" and _future_annotations(stmt)):
                    continue
                found = self._find(target)
                if found is None:
                    raise mod.report.error(stmt, f"unknown module '{target}'",
                                           "modules are found beside the program and in the Kaa tree (kernel/...)")
                mod.imports.append((stmt, target))
                self._load(found, target)
        return mod

    def _cprefix(self, name: str) -> str:
        """A C identifier for the module: its path with non-identifier characters as _,
        numbered when two modules would otherwise share it (a_b and a.b)."""
        base = re.sub(r"\W", "_", name.replace(".", "_"), flags=re.ASCII)
        if base[0].isdigit():
            base = "m" + base
        taken = {m.cprefix for m in self.modules.values()}
        prefix, n = base, 2
        while prefix in taken:
            prefix, n = f"{base}{n}", n + 1
        return prefix

    def _find(self, dotted: str) -> Path | None:
        rel = Path(*dotted.split("."))
        for base in self.search:
            if (base / rel).with_suffix(".py").is_file():
                return (base / rel).with_suffix(".py")
        return None

    def is_package(self, dotted: str) -> bool:
        return any((base / Path(*dotted.split("."))).is_dir() for base in self.search)

    # ---- step 2: declare ----------------------------------------------------------
    def cname(self, mod: Module, name: str, node: ast.AST) -> str:
        cname = f"{mod.cprefix}__{name}"
        owner = self.cnames.setdefault(cname, f"{mod.name}.{name}")
        if owner != f"{mod.name}.{name}":
            raise mod.report.error(node, f"'{name}' clashes in C with '{owner}'", "rename one of them")
        return cname

    def _declare(self, mod: Module) -> None:
        for i, stmt in enumerate(mod.tree.body):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continue
            if i == 0 and _is_docstring(stmt):
                continue
            if isinstance(stmt, ast.FunctionDef):
                self._define(mod, stmt.name, stmt, Func(mod, stmt.name, stmt, self.cname(mod, stmt.name, stmt)))
            elif isinstance(stmt, ast.ClassDef):
                self._declare_class(mod, stmt)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if _is_final(stmt.annotation):
                    if stmt.value is None:
                        raise mod.report.error(stmt, f"Final constant '{name}' needs a value",
                                               f"e.g. {name}: Final = 4")
                    self._define(mod, name, stmt, Const(mod, name, stmt))
                else:
                    g = Global(mod, name, stmt, self.cname(mod, name, stmt))
                    self._define(mod, name, stmt, g)
                    mod.globals.append(g)
            elif _is_docstring(stmt):
                continue
            else:
                raise self._top_level_error(mod, stmt)
        mod.funcs = [s for s in mod.symbols.values() if isinstance(s, Func)]

    def _define(self, mod: Module, name: str, node: ast.AST, sym: object) -> None:
        if name in mod.symbols:
            raise mod.report.error(node, f"'{name}' is defined twice in this module",
                                   "rename one of them: a module-level name is defined once")
        mod.symbols[name] = sym

    def _declare_class(self, mod: Module, node: ast.ClassDef) -> None:
        bases = [ast.unparse(b) for b in node.bases]
        if bases == ["IntEnum"]:
            if node.decorator_list:
                raise mod.report.error(node.decorator_list[0], "an IntEnum takes no decorators",
                                       "remove it: class Color(IntEnum) needs nothing more")
            self._define(mod, node.name, node, T.EnumType(f"{mod.name}.{node.name}", {}, T.I32))
            return
        if node.bases or node.keywords:
            raise mod.report.error(node, "class inheritance is not supported",
                                   "use @struct classes (composition) or an IntEnum")
        packed = None
        for d in node.decorator_list:
            if isinstance(d, ast.Name) and d.id == "struct":
                packed = False
            elif (isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "struct"
                  and not d.args and all(k.arg == "packed" for k in d.keywords)):
                packed = bool(d.keywords) and _const_bool(mod, d.keywords[0].value)
            else:
                raise mod.report.error(d, f"unsupported class decorator '{ast.unparse(d)}'",
                                       "classes are @struct, @struct(packed=True) or IntEnum subclasses")
        if packed is None:
            raise mod.report.error(node, f"class '{node.name}' needs @struct",
                                   "Kaa classes are @struct (C structs) or IntEnum subclasses")
        st = T.StructType(f"{mod.name}.{node.name}", self.cname(mod, node.name, node), node,
                          mod.display, packed)
        self._define(mod, node.name, node, st)
        mod.structs.append(st)

    def _top_level_error(self, mod: Module, stmt: ast.stmt) -> CompileError:
        if isinstance(stmt, ast.Assign):
            return mod.report.error(stmt, "module-level names need a type annotation",
                                    "write 'name: u32 = 0' for a global or 'NAME: Final = 4' for a constant")
        if isinstance(stmt, ast.AsyncFunctionDef):
            return mod.report.error(stmt, "async functions are not supported",
                                    "use threads from the kernel's scheduler")
        return mod.report.error(stmt, f"'{type(stmt).__name__}' statement is not allowed at module level",
                                "a module holds imports, functions, @struct/IntEnum classes, globals and Final constants")

    def _bind_imports(self, mod: Module) -> None:
        for stmt, target in mod.imports:
            other = self.modules[target]
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.name != target:
                        continue
                    if alias.asname:
                        mod.imported[alias.asname] = ModuleRef(other)
                    else:
                        head = target.split(".")[0]
                        mod.imported[head] = ModuleRef(other) if head == target else PackageRef(head)
            else:
                for alias in stmt.names:
                    if alias.name == "*":
                        raise mod.report.error(stmt, "'import *' is only for kaa.lang",
                                               f"import names one by one: from {target} import name")
                    sym = other.symbols.get(alias.name)
                    if sym is None:
                        from kaa.compiler.resolve import close_match
                        raise mod.report.error(stmt, f"module '{target}' has no '{alias.name}'",
                                               close_match(alias.name, list(other.symbols),
                                                           f"import a name {other.display} defines at its top level"))
                    mod.imported[alias.asname or alias.name] = sym


def _read_source(path: Path, display: str) -> str:
    """The module's text, decoded as Python does (a coding: line, a BOM, else UTF-8);
    an undecodable byte is reported where it is."""
    data = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as e:
        raise CompileError(display, 1, 1, f"cannot decode the file: {e}", "save it as UTF-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[start:e.start].decode(encoding, errors="replace")) + 1
        raise CompileError(display, line, col, f"cannot decode the file: byte 0x{data[e.start]:02x} is not "
                           f"valid {encoding}", "save it as UTF-8 (or declare its encoding: # coding: latin-1)")
    return text.replace("\r\n", "\n").replace("\r", "\n")     # universal newlines, as tokenize.open


def _imported_modules(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Import):
        return [a.name for a in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        if stmt.level:
            return ["." * stmt.level + (stmt.module or "")]
        return [stmt.module or ""]
    return []


def _future_annotations(stmt: ast.stmt) -> bool:
    """`from __future__ import annotations` lets CPython import self-referencing structs."""
    return isinstance(stmt, ast.ImportFrom) and [a.name for a in stmt.names] == ["annotations"]


def _module_name(path: Path, search: list[Path]) -> str:
    for base in search:
        try:
            rel = path.resolve().relative_to(base.resolve())
        except ValueError:
            continue
        return ".".join(rel.with_suffix("").parts)
    return path.stem


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _is_final(ann: ast.expr) -> bool:
    if isinstance(ann, ast.Subscript):
        ann = ann.value
    return isinstance(ann, ast.Name) and ann.id == "Final"


def _const_bool(mod: Module, node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    raise mod.report.error(node, "expected True or False", "e.g. @struct(packed=True)")
