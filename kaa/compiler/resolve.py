"""Resolve declarations: annotations to types, constants to values, signatures.

`Scope` looks names up the way a function body does (locals are the checker's), and
`type_of_annotation` / `const_value` turn expressions into types and compile-time
integers. The Resolver runs them over every module-level declaration: enums and Final
constants first (array lengths need them), then struct fields, then function
signatures and global types.
"""

from __future__ import annotations

import ast
import difflib
import operator
import re
from typing import TYPE_CHECKING

from kaa.compiler import types as T
from kaa.compiler.declare import Const, Func, Global, Module, ModuleRef, PackageRef
from kaa.compiler.errors import CompileError

if TYPE_CHECKING:
    from kaa.compiler.declare import Program

BUILTIN_STRUCTS = ("Writer", "SpinLock", "CpuidResult", "InterruptFrame")
FMT_MODULE = "kernel.lib.fmt"        # defines Writer and the formatting print uses
RT_MODULE = "kernel.lib.rt"          # defines SpinLock, CpuidResult, InterruptFrame

CONST_BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}


# Operators outside Kaa, spelled as in the source, with what to write instead.
OTHER_OPS = {
    ast.Pow: ("**", "Kaa has no power operator: write the multiplication out (x * x) or a loop; "
                    "for a power of two write 1 << n"),
    ast.MatMult: ("@", "Kaa has no matrix operator: call a function that does the work"),
    ast.Div: ("/", "'/' is not defined on integers: use '//' (floor division) and '%' (remainder)"),
}


class Scope:
    """Name lookup from inside one module: its own names, its imports, the builtins."""

    def __init__(self, program: "Program", module: Module):
        self.program = program
        self.module = module
        self.report = module.report

    def lookup(self, name: str) -> object | None:
        sym = self.module.lookup(name)
        if sym is not None:
            return sym
        if name in BUILTIN_STRUCTS:
            home = self.program.modules.get(FMT_MODULE if name == "Writer" else RT_MODULE)
            return home.symbols.get(name) if home else None
        return None

    def attribute(self, base: object, node: ast.Attribute) -> object:
        """`base.attr` where base is a module or package reference or an enum."""
        if isinstance(base, ModuleRef):
            sym = base.module.lookup(node.attr)     # its own names and what it imported
            if sym is None:
                raise self.report.error(node, f"module '{base.module.name}' has no '{node.attr}'",
                                        close_match(node.attr, [*base.module.symbols, *base.module.imported],
                                                    f"names it defines are at its top level ({base.module.display})"))
            return sym
        if isinstance(base, PackageRef):
            dotted = f"{base.prefix}.{node.attr}"
            if dotted in self.program.modules:
                return ModuleRef(self.program.modules[dotted])
            if self.program.is_package(dotted):
                return PackageRef(dotted)
            raise self.report.error(node, f"unknown module '{dotted}'", "import it first")
        if isinstance(base, T.EnumType):
            if node.attr not in base.members:
                raise self.report.error(node, f"enum '{base.name()}' has no member '{node.attr}'",
                                        close_match(node.attr, list(base.members),
                                                    f"its members are: {', '.join(base.members) or 'none'}"))
            return EnumMember(base, node.attr)
        raise self.report.error(node, f"'{ast.unparse(node.value)}' has no attribute '{node.attr}'",
                                "attributes name a module's names, an enum's members or a struct's fields")

    def static(self, node: ast.expr) -> object | None:
        """The symbol a Name/Attribute chain names at module level, or None."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.static(node.value)
            if isinstance(base, (ModuleRef, PackageRef, T.EnumType)):
                return self.attribute(base, node)
        return None

    # ---- types --------------------------------------------------------------------
    def type_of(self, node: ast.expr | None, what: str = "type") -> T.Type:
        if node is None:
            raise self.report.error(node, f"missing {what} annotation", "annotate it, e.g. x: u32")
        if isinstance(node, ast.Constant) and node.value is None:
            return T.VOID
        if isinstance(node, ast.Name) and node.id in T.INT_TYPES:
            return T.INT_TYPES[node.id]
        if isinstance(node, ast.Name) and node.id in _SIMPLE_TYPES:
            return _SIMPLE_TYPES[node.id]
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return self._generic(node, node.value.id)
        sym = self.static(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if isinstance(sym, (T.StructType, T.EnumType)):
            return sym
        if isinstance(node, ast.Name) and node.id == "float":
            raise self.report.error(node, "'float' is not a kernel-level type", "write f64 (an IEEE 754 double)")
        raise self.report.error(node, f"'{ast.unparse(node)}' is not a type",
                                "types are i8..u64, int, usize, bool, f64, Str, Bytes, Ptr[T], Array[T, N], "
                                "Slice[T], Fn[[A], R], @struct and IntEnum classes")

    def _generic(self, node: ast.Subscript, head: str) -> T.Type:
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Ptr" and len(args) == 1:
            return T.PtrType(self.type_of(args[0]))
        if head == "Slice" and len(args) == 1:
            return T.SliceType(self._value_type(args[0]))
        if head == "Array" and len(args) == 2:
            n = self.const_value(args[1])
            if n is None or n <= 0:
                raise self.report.error(args[1], "an array length is a positive constant",
                                        "e.g. Array[u8, 64], or Array[u8, SIZE] with SIZE: Final = 64")
            t = T.ArrayType(self._value_type(args[0]), n)
            if T.size_of(t) > MAX_ARRAY_BYTES:
                raise self.report.error(node, f"{t} takes {T.size_of(t)} bytes; an Array holds at most 1 GiB",
                                        "use new_array(T, n) for large buffers")
            return t
        if head == "Fn" and len(args) == 2 and isinstance(args[0], ast.List):
            params = tuple(self._value_type(a) for a in args[0].elts)
            return T.FnType(params, self.type_of(args[1]))
        raise self.report.error(node, f"'{ast.unparse(node)}' is not a type",
                                "write Ptr[T], Slice[T], Array[T, N] or Fn[[A, B], R]")

    def _value_type(self, node: ast.expr) -> T.Type:
        t = self.type_of(node)
        if t == T.VOID:
            raise self.report.error(node, "None is not a value type here", "None is only a return type; Ptr[None] is an untyped pointer")
        return t

    # ---- constants ----------------------------------------------------------------
    def const_value(self, node: ast.expr) -> int | None:
        """The value of a compile-time integer expression, or None if it is not one."""
        if isinstance(node, ast.BinOp) and type(node.op) in OTHER_OPS:
            spelling, hint = OTHER_OPS[type(node.op)]
            raise self.report.error(node, f"operator '{spelling}' is not supported", hint)
        if isinstance(node, ast.Constant):
            v = node.value
            return v if isinstance(v, int) and not isinstance(v, bool) else None
        if isinstance(node, (ast.Name, ast.Attribute)):
            try:
                sym = self.static(node)
            except CompileError:
                return None
            return self.symbol_value(sym, node)
        if isinstance(node, (ast.UnaryOp, ast.BinOp)) and any(
                self._typed_const(n) for n in (getattr(node, "operand", None), getattr(node, "left", None),
                                               getattr(node, "right", None)) if n is not None):
            # A typed constant computes in its type at run time (X + X wraps in u8): folding
            # it here with unbounded integers would disagree, so it is no constant operand.
            return None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Invert, ast.UAdd)):
            v = self.const_value(node.operand)
            if v is None:
                return None
            return -v if isinstance(node.op, ast.USub) else (~v if isinstance(node.op, ast.Invert) else v)
        if isinstance(node, ast.BinOp) and type(node.op) in CONST_BINOPS:
            a, b = self.const_value(node.left), self.const_value(node.right)
            if a is None or b is None:
                return None
            if isinstance(node.op, (ast.FloorDiv, ast.Mod)) and b == 0:
                raise self.report.error(node, "division by zero in a constant expression",
                                        "check the constants it divides by")
            if isinstance(node.op, (ast.LShift, ast.RShift)) and not 0 <= b < 64:
                raise self.report.error(node, f"shift count {b} is out of range 0..63",
                                        "constants have at most 64 bits: shift by 0..63")
            return CONST_BINOPS[type(node.op)](a, b)
        return None

    def _typed_const(self, node: ast.expr) -> bool:
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return False
        try:
            sym = self.static(node)
        except CompileError:
            return False
        if isinstance(sym, Const) and sym.value is None:
            Resolver.resolve_const(self.program, sym)
        return isinstance(sym, Const) and sym.type is not None

    def symbol_value(self, sym: object, node: ast.AST) -> int | None:
        if isinstance(sym, EnumMember):
            return sym.enum.members[sym.member]
        if isinstance(sym, Const):
            if sym.value is None:
                Resolver.resolve_const(self.program, sym)
            return sym.value
        return None


MAX_ARRAY_BYTES = 1 << 30


class EnumMember:
    def __init__(self, enum: T.EnumType, member: str):
        self.enum = enum
        self.member = member


_SIMPLE_TYPES: dict[str, T.Type] = {"bool": T.BOOL, "f64": T.F64, "Str": T.STR, "Bytes": T.BYTES, "None": T.VOID}


class Resolver:
    def __init__(self, program: "Program"):
        self.program = program
        self.symbols: dict[str, Func] = {}      # exported and external C names

    def run(self) -> None:
        mods = list(self.program.modules.values())
        for mod in mods:
            for sym in mod.symbols.values():
                if isinstance(sym, T.EnumType):
                    self._resolve_enum(mod, sym)
        for mod in mods:
            for sym in mod.symbols.values():
                if isinstance(sym, Const):
                    self.resolve_const(self.program, sym)
        for mod in mods:
            for st in mod.structs:
                self._resolve_struct(mod, st)
        for mod in mods:
            scope = Scope(self.program, mod)
            for f in mod.funcs:
                self.resolve_signature(scope, f)
            for st in mod.structs:
                for m in st.methods.values():
                    self.resolve_signature(scope, m)
            for g in mod.globals:
                g.type = scope.type_of(g.node.annotation)
                if g.type == T.VOID:
                    raise mod.report.error(g.node, "a global cannot have type None", "None is only a return type; Ptr[None] is an untyped pointer")
        _check_struct_cycles(self.program)

    def _resolve_enum(self, mod: Module, enum: T.EnumType) -> None:
        scope = Scope(self.program, mod)
        node = next(s for s in mod.tree.body if isinstance(s, ast.ClassDef) and s.name == enum.name())
        for stmt in node.body:
            if _is_doc(stmt):
                continue
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
                raise mod.report.error(stmt, "an IntEnum body holds 'NAME = constant' lines only",
                                       "e.g. RED = 1; put functions at module level")
            v = scope.const_value(stmt.value)
            if v is None:
                raise mod.report.error(stmt.value, "an enum member needs a constant integer value",
                                       "a literal, another member or a Final constant: RED = 1")
            if stmt.targets[0].id in enum.members:
                raise mod.report.error(stmt, f"enum member '{stmt.targets[0].id}' is defined twice",
                                       "give each member its own name (two names may share a value)")
            enum.members[stmt.targets[0].id] = v
        values = enum.members.values() or [0]
        enum.storage = T.I32 if T.I32.min <= min(values) and max(values) <= T.I32.max else T.I64

    @staticmethod
    def resolve_const(program: "Program", c: Const) -> None:
        if c.value is not None:
            return
        scope = Scope(program, c.module)
        if c.resolving:
            raise c.module.report.error(c.node, f"constant '{c.name}' is defined in terms of itself",
                                        "give one of the constants in the cycle a literal value")
        c.resolving = True
        node = c.node
        assert isinstance(node, ast.AnnAssign) and node.value is not None
        if isinstance(node.annotation, ast.Subscript):
            c.type = scope.type_of(node.annotation.slice)
            if T.as_int(c.type) is None:
                raise c.module.report.error(node.annotation, "Final constants are integers",
                                            "for a string use a function returning a Str literal")
        v = scope.const_value(node.value)
        literal = node.value.operand if isinstance(node.value, ast.UnaryOp) else node.value
        if v is None and isinstance(literal, ast.Constant) and isinstance(literal.value, float):
            raise c.module.report.error(node.value, f"'{c.name}': Final constants are integers",
                                        f"an f64 constant is a global: {c.name}: f64 = {ast.unparse(node.value)}")
        if v is None:
            raise c.module.report.error(node.value, f"'{c.name}' must be a constant integer expression",
                                        "Final values are literals, enum members, other constants and operators "
                                        "on them; typed constants (Final[u8]) are used alone")
        t = T.as_int(c.type) if c.type else None
        if t and not t.min <= v <= t.max:
            from kaa.compiler.check import range_hint
            raise c.module.report.error(node.value, f"value {v} is out of range for {t} ({t.min}..{t.max})",
                                        range_hint(v, t))
        c.value = v
        c.resolving = False

    def _resolve_struct(self, mod: Module, st: T.StructType) -> None:
        scope = Scope(self.program, mod)
        assert st.node is not None
        for stmt in st.node.body:
            if _is_doc(stmt) or isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                if stmt.value is not None:
                    raise mod.report.error(stmt.value, "struct fields take no default value",
                                           "fields start zeroed; set them with Name(field=value)")
                ft = scope.type_of(stmt.annotation)
                if ft == T.VOID:
                    raise mod.report.error(stmt, "a field cannot have type None", "None is only a return type; Ptr[None] is an untyped pointer")
                st.fields[stmt.target.id] = ft
            elif isinstance(stmt, ast.FunctionDef):
                cname = self.program.cname(mod, f"{st.name()}__{stmt.name}", stmt)
                st.methods[stmt.name] = Func(mod, stmt.name, stmt, cname, struct=st)
            else:
                raise mod.report.error(stmt, "a @struct body holds field annotations and methods only",
                                       "fields are 'name: type' lines, methods are 'def m(self, ...)'; "
                                       "constants go at module level")

    def resolve_signature(self, scope: Scope, f: Func) -> None:
        node, report = f.node, scope.report
        f.attrs = _decorators(scope, f)
        if "export" in f.attrs:
            f.cname = str(f.attrs["export"])
        elif "extern" in f.attrs:
            f.cname = f.name
        a = node.args
        if a.vararg or a.kwarg:
            raise report.error(a.vararg or a.kwarg, "*args and **kwargs are not supported",
                               "pass a Slice[T] for a variable number of values")
        if a.defaults or a.kw_defaults:
            raise report.error((a.defaults or a.kw_defaults)[0], "default argument values are not supported",
                               "pass every argument explicitly")
        if a.kwonlyargs or a.posonlyargs:
            raise report.error(node, "keyword-only and positional-only parameters are not supported",
                               "declare plain parameters: def f(a: i32, b: i32)")
        if f.struct is not None and not a.args:
            raise report.error(node, f"method '{node.name}' needs 'self' as its first parameter",
                               f"write def {node.name}(self, ...); self is a Ptr to the struct")
        for i, arg in enumerate(a.args):
            if f.struct is not None and i == 0:
                if arg.arg != "self" or arg.annotation is not None:
                    raise report.error(arg, "a method's first parameter is 'self' (unannotated)",
                                       "write def m(self, ...): its type is always a Ptr to the struct")
                f.params.append(("self", T.PtrType(f.struct)))
                continue
            if arg.annotation is None:
                raise report.error(arg, f"parameter '{arg.arg}' needs a type annotation",
                                   f"e.g. {arg.arg}: i32 or {arg.arg}: Ptr[T]")
            pt = scope.type_of(arg.annotation)
            if isinstance(pt, (T.StructType, T.ArrayType)):
                raise report.error(arg.annotation, f"parameter '{arg.arg}' cannot take a {pt} by value: "
                                   f"use Ptr[{pt}]", "pass addr(x) at the call")
            if pt == T.VOID:
                raise report.error(arg.annotation, "a parameter cannot have type None", "None is only a return type; Ptr[None] is an untyped pointer")
            f.params.append((arg.arg, pt))
        if node.returns is None:
            raise report.error(node, f"function '{node.name}' needs a return annotation",
                               "write '-> None' when it returns nothing")
        f.ret = scope.type_of(node.returns)
        if isinstance(f.ret, T.ArrayType):
            raise report.error(node.returns, "functions cannot return an Array", "wrap it in a @struct")
        if "interrupt" in f.attrs:
            _check_interrupt(scope, f)
        if "export" in f.attrs or "extern" in f.attrs:
            self._register_symbol(scope, f)

    def _register_symbol(self, scope: Scope, f: Func) -> None:
        """An exported or external C name names one function, with one signature."""
        other = self.symbols.get(f.cname)
        if other is None:
            self.symbols[f.cname] = f
            return
        both_extern = "extern" in f.attrs and "extern" in other.attrs
        if both_extern and other.fn_type == f.fn_type:
            return
        where = f"{other.module.display}:{other.node.lineno}"
        if both_extern:
            raise scope.report.error(f.node, f"'{f.cname}' is declared with another signature at {where}",
                                     "declare one C symbol with one signature everywhere")
        if "export" in f.attrs and "export" in other.attrs:
            raise scope.report.error(f.node, f"symbol '{f.cname}' is already exported at {where}",
                                     "export each function under its own name")
        if other.fn_type != f.fn_type:
            raise scope.report.error(f.node, f"'{f.cname}' is defined with another signature at {where}",
                                     "give the @extern declaration the exported function's signature")


def _decorators(scope: Scope, f: Func) -> dict[str, object]:
    attrs: dict[str, object] = {}
    for d in f.node.decorator_list:
        name = d.func.id if isinstance(d, ast.Call) and isinstance(d.func, ast.Name) else (
            d.id if isinstance(d, ast.Name) else None)
        if name not in DECORATOR_ARGS or name == "struct":
            raise scope.report.error(d, f"unknown decorator '{ast.unparse(d)}'",
                                     "functions take @inline, @noinline, @interrupt, @naked, "
                                     "@export(\"symbol\"), @extern, @section(\".name\")")
        wants_arg = DECORATOR_ARGS[name]
        if wants_arg and not (isinstance(d, ast.Call) and len(d.args) == 1
                              and isinstance(d.args[0], ast.Constant) and isinstance(d.args[0].value, str)):
            raise scope.report.error(d, f"@{name} takes one string: @{name}(\"...\")",
                                     "e.g. @export(\"kaa_entry\") or @section(\".text.hot\")")
        if not wants_arg and isinstance(d, ast.Call):
            raise scope.report.error(d, f"@{name} takes no arguments", f"write @{name}")
        attrs[name] = d.args[0].value if wants_arg else True  # type: ignore[union-attr]
    for a, b in (("inline", "noinline"), ("inline", "extern"), ("naked", "inline"), ("extern", "export"),
                 ("interrupt", "inline")):
        if a in attrs and b in attrs:
            raise scope.report.error(f.node, f"a function cannot be both @{a} and @{b}", EXCLUSIVE[(a, b)])
    if "export" in attrs and not _c_symbol(str(attrs["export"])):
        raise scope.report.error(f.node.decorator_list[0], f"'{attrs['export']}' is not a C symbol name",
                                 "letters, digits and _, not starting with a digit, not a C keyword")
    if "extern" in attrs and not _c_symbol(f.name):
        raise scope.report.error(f.node, f"'{f.name}' cannot be an external C symbol", "rename the function")
    if "section" in attrs and not re.fullmatch(r"\.[A-Za-z0-9_.$]+", str(attrs["section"])):
        raise scope.report.error(f.node.decorator_list[0], f"'{attrs['section']}' is not a section name",
                                 "e.g. @section(\".text.hot\")")
    if "extern" in attrs:
        body = f.node.body
        if not (len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and body[0].value.value is Ellipsis):
            raise scope.report.error(f.node, "an @extern function's body is '...'",
                                     "it is defined in assembly or C: def name(x: u64) -> None: ...")
    return attrs


def _c_symbol(name: str) -> bool:
    from kaa.compiler.emit_c import C_KEYWORDS
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)) and (name not in C_KEYWORDS or name == "main")


def _check_interrupt(scope: Scope, f: Func) -> None:
    frame = scope.lookup("InterruptFrame")
    params = [t for _, t in f.params]
    if not (f.ret == T.VOID and params in ([T.PtrType(frame)], [T.PtrType(frame), T.U64])):  # type: ignore[arg-type]
        raise scope.report.error(f.node, "an @interrupt function is (frame: Ptr[InterruptFrame]) -> None, or "
                                         "(frame: Ptr[InterruptFrame], error_code: u64) -> None",
                                 "the CPU passes the frame (and an error code for some exceptions) and "
                                 "returns nothing")


EXCLUSIVE = {
    ("inline", "noinline"): "they contradict each other: keep one",
    ("inline", "extern"): "an @extern function has no body here to inline",
    ("naked", "inline"): "a @naked function is only ever called, never inlined",
    ("extern", "export"): "@extern declares a symbol defined elsewhere, @export names one defined here: keep one",
    ("interrupt", "inline"): "the CPU enters an @interrupt function; it is never inlined",
}


def close_match(name: str, known: list[str], otherwise: str) -> str:
    """A 'did you mean' note for a misspelt name, else `otherwise`."""
    close = difflib.get_close_matches(name, sorted(set(known)), n=1)
    return f"did you mean '{close[0]}'?" if close else otherwise


DECORATOR_ARGS = {"struct": False, "inline": False, "noinline": False, "interrupt": False,
                  "naked": False, "extern": False, "export": True, "section": True}


def _is_doc(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _check_struct_cycles(program: "Program") -> None:
    """A struct may not contain itself by value (only through a Ptr)."""
    state: dict[T.StructType, int] = {}

    def visit(st: T.StructType, via: ast.AST | None) -> None:
        if state.get(st) == 2:
            return
        if state.get(st) == 1:
            mod = program.modules[st.qualname.rsplit(".", 1)[0]]
            raise mod.report.error(st.node, f"struct '{st.name()}' contains itself", "hold it through a Ptr")
        state[st] = 1
        for ft in st.fields.values():
            while isinstance(ft, T.ArrayType):
                ft = ft.elem
            if isinstance(ft, T.StructType):
                visit(ft, st.node)
        state[st] = 2

    for mod in program.modules.values():
        for st in mod.structs:
            visit(st, None)
