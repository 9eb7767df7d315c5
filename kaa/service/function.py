"""The state of one function being lowered to C: values, temporaries, references, errors.

Reference counting (see kaa/pyrt/object.h): every kval a C expression yields is either
*owned* (a new reference, always held in a temporary or a local) or *borrowed* (a
local, a parameter, a literal, a static). Locals and temporaries of object type start
at 0; a statement's temporaries are released when it ends (set back to 0), so the
function's exit, normal or by exception, can release everything with k_xdecref.
Parameters are borrowed; a parameter the body assigns is copied into an owned local.

Errors: a call that can raise is followed by a test that jumps to an error label of the
statement; the label records the frame in the traceback and goes on to the innermost
handler (an except, a finally, a with) or to the function's error exit. A handler
releases the temporaries of the statement that failed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from kaa.compiler.errors import Reporter
from kaa.service import types as T
from kaa.service.symbols import FuncInfo, ModuleInfo


@dataclass
class Val:
    """A lowered expression: C code, its static type, and whether it holds a new reference."""
    code: str
    type: T.Type
    owned: bool = False


@dataclass
class Var:
    name: str
    type: T.Type
    cname: str
    is_global: bool = False
    cell: bool = False          # captured by a nested function: lives in a KCell


@dataclass
class Frame:
    """An enclosing construct that a jump out of it must unwind: try/except/finally, loops."""
    kind: str                          # "loop", "except", "finally", "handler"
    error_label: str = ""              # where errors inside it go
    break_label: str = ""
    continue_label: str = ""
    held_temps: list[str] = field(default_factory=list)     # loop iterables etc., released at break
    finally_body: list[ast.stmt] = field(default_factory=list)
    handled: str = ""                  # except handler: the C variable holding the caught exception
    exhausted: str = ""                # for/while ... else: where the loop goes when it runs out


class FunctionState:
    """Temporaries, labels and output lines of one C function."""

    def __init__(self, mod: ModuleInfo, report: Reporter, func: FuncInfo | None, cname: str):
        self.mod = mod
        self.report = report
        self.func = func
        self.cname = cname
        self.lines: list[str] = []
        self.decls: dict[str, str] = {}          # C local name -> C type
        self.free: dict[str, list[str]] = {}      # released temporaries by C type
        self.stmt_temps: list[str] = []           # owned temporaries of the current statement
        self.scalar_temps: list[tuple[str, str]] = []   # its other temporaries (back to the pool at its end)
        self.counter = 0
        self.frames: list[Frame] = []
        self.error_blocks: dict[tuple[int, str], str] = {}
        self.node: ast.AST | None = None          # the statement being lowered
        self.indent = 1

    # ---- output ----

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)

    def label(self, name: str) -> None:
        self.lines.append(f"{name}:;")

    def new_label(self, hint: str) -> str:
        self.counter += 1
        return f"L{self.counter}_{hint}"

    # ---- temporaries ----

    def temp(self, ctype: str = "kval", owned: bool = True) -> str:
        """A C variable for this statement. Owned kval temporaries are released when it ends."""
        if ctype == "kval" and not owned:
            ctype = "kval_b"        # a borrowed kval: never a name an error path releases
        pool = self.free.setdefault(ctype, [])
        if pool:
            name = pool.pop()
        else:
            self.counter += 1
            name = f"t{self.counter}"
            self.decls[name] = ctype
        if ctype == "kval" and owned:
            self.stmt_temps.append(name)
        else:
            self.scalar_temps.append((name, ctype))
        return name

    def begin_statement(self, node: ast.AST) -> None:
        self.node = node
        self.stmt_temps = []
        self.scalar_temps = []

    def end_statement(self) -> None:
        self.release(self.stmt_temps)
        for name, ctype in self.scalar_temps:
            self.free.setdefault(ctype, []).append(name)
        self.stmt_temps = []
        self.scalar_temps = []

    def release(self, temps: list[str]) -> None:
        for t in temps:
            self.emit(f"k_xdecref({t}); {t} = 0;")
            self.free.setdefault("kval", []).append(t)

    def hold(self) -> list[str]:
        """Take the statement's temporaries out of its release (a loop header's iterable)."""
        held, self.stmt_temps = self.stmt_temps, []
        return held

    def local(self, name: str, ctype: str) -> str:
        self.decls[name] = ctype
        return name

    # ---- values and references ----

    def owned(self, v: Val) -> str:
        """C code for a new reference to v's value (kval types), or the value itself."""
        if not v.type.is_object or v.owned:
            return v.code
        return f"k_newref({v.code})"

    def into_temp(self, code: str, t: T.Type, check: str | None = None) -> Val:
        """Store an owned kval result in a temporary; `check` tests it for an error (e.g. '!{}').
        For a float or bool t the value is unboxed (the box is released with the statement)."""
        tmp = self.temp("kval")
        self.emit(f"{tmp} = {code};")
        if check is not None:
            self.check(check.format(tmp))
        if not t.is_object:
            return self.unbox(Val(tmp, T.OBJECT, True), t)
        return Val(tmp, t, True)

    def box(self, v: Val) -> Val:
        """v as a kval (floats boxed, bools as k_True/k_False)."""
        if v.type == T.FLOAT:
            return self.into_temp(f"k_float_box({v.code})", T.OBJECT)
        if v.type == T.BOOL:
            return Val(f"k_bool({v.code})", T.OBJECT)
        if v.type in T.NATIVE_INTS:
            return self.into_temp(f"k_int_from_i64({v.code})", T.OBJECT)
        return v

    def unbox(self, v: Val, t: T.Type) -> Val:
        """A kval known to hold a t, as t's representation (borrowed stays borrowed)."""
        if t == T.FLOAT:
            return Val(f"k_float_unbox({v.code})", T.FLOAT)
        if t == T.BOOL:
            return Val(f"({v.code} == k_True)", T.BOOL)
        if t in T.NATIVE_INTS:
            return self.coerce(Val(v.code, T.INT), t, None)
        return Val(v.code, t, v.owned)

    def coerce(self, v: Val, target: T.Type, where: ast.AST | None) -> Val:
        """v converted to `target`'s representation; a compile error when it does not fit."""
        src = v.type
        if src == target or target == T.NORETURN:
            return v
        if src == T.NORETURN:
            return Val(f"({target.c_type})0", target)
        if target == T.FLOAT and src == T.INT:
            if v.code.startswith("k_int_small(") and v.code.endswith("LL)"):
                return Val(f"{float(int(v.code[12:-3])).hex()}", T.FLOAT)      # a literal: exact at compile time
            # a small int converts in one instruction (correctly rounded, as CPython's); a big one may overflow
            d = self.temp("double")
            self.emit(f"if (K_IS_SMALL({v.code})) {d} = (double)((i64){v.code} >> 1); "
                      f"else {{ {d} = k_int_to_double({v.code}); if (k_exc) goto {self.error_block()}; }}")
            return Val(d, T.FLOAT)
        if target == T.FLOAT and src == T.BOOL:
            return Val(f"(double)({v.code})", T.FLOAT)
        if target == T.INT and src == T.BOOL:
            return Val(f"k_int_from_i64({v.code})", T.INT)
        if target in T.NATIVE_INTS and src == T.BOOL:
            return Val(f"({target.c_type})({v.code})", target)
        if src in T.NATIVE_INTS and target == T.INT:
            return self.into_temp(f"k_int_from_i64({v.code})", T.INT)
        if src in T.NATIVE_INTS and target == T.FLOAT:
            return Val(f"(double)({v.code})", T.FLOAT)
        if target in T.NATIVE_INTS and src == T.INT:
            return self.int_to_native(v, T.NATIVE_INTS[target], where)
        if src == T.ANY and target not in (T.ANY, T.OBJECT):
            return self.from_any(v, target)
        if not T.subtype(src, target):
            raise self.report.error(where, f"expected {target}, got {src}",
                                    f"pass a value of type {target} (convert it explicitly if needed)")
        if not target.is_object:
            return v
        if isinstance(target, T.OptionalT) and target.inner in (T.FLOAT, T.BOOL, T.INT) and src == T.INT \
                and target.inner == T.FLOAT:
            return self.box(self.coerce(v, T.FLOAT, where))
        if src.is_object:
            return Val(v.code, target, v.owned)
        return Val(self.box(v).code, target, v.type == T.FLOAT)

    def int_to_native(self, v: Val, kind: T.NativeInt, where: ast.AST | None) -> Val:
        """An int as a native integer, range-checked as mypyc's: a literal at compile time,
        a value with ValueError (mypyc's exception and message, not the OverflowError its
        documentation names)."""
        t, lo, hi = kind.type, kind.lo, kind.hi
        if v.code.startswith("k_int_small(") and v.code.endswith("LL)"):          # a literal
            n = int(v.code[12:-3])
            if not lo <= n <= hi:
                raise self.report.error(where, f'Value {n} is out of range for "{t}"', f"{t} holds {lo}..{hi}")
            return Val(v.code[12:-1], t)
        out = self.temp(t.c_type)
        small = f"K_IS_SMALL({v.code})"
        if kind.bits < 63:              # (a small int always fits 64 bits)
            small += f" && (u64)(((i64){v.code} >> 1) - ({lo}LL)) <= {hi - lo}ULL"
        self.emit(f"if ({small}) {out} = ({t.c_type})((i64){v.code} >> 1); "
                  f"else {{ {out} = ({t.c_type})k_int_to_native({v.code}, {kind.c_lo}, {kind.c_hi}, \"{t}\"); "
                  f"if (k_exc) goto {self.error_block()}; }}")
        return Val(out, t)

    def from_any(self, v: Val, target: T.Type) -> Val:
        """A dynamic value used as a target: checked at run time (TypeError as mypyc's), as
        typed code relies on the representation. Element types are not checked (list[int]
        checks for a list), nor callables and iterators."""
        if target == T.FLOAT:
            d = self.temp("double")
            self.check(f"!k_expect_double({v.code}, &{d})")
            return Val(d, T.FLOAT)
        if target == T.BOOL:
            self.check(f"!k_expect({v.code}, &k_bool_type, \"bool\", 0)")
            return Val(f"({v.code} == k_True)", T.BOOL)
        if target == T.INT or target in T.NATIVE_INTS:
            i = self.temp("kval", owned=False)
            self.emit(f"{i} = k_expect_int({v.code});")
            self.check(f"!{i}")
            return self.coerce(Val(i, T.INT), target, None)
        inner = target.inner if isinstance(target, T.OptionalT) else target
        none_ok = int(isinstance(target, T.OptionalT))
        if inner == T.FLOAT:
            return self.into_temp(f"k_expect_float_box({v.code}, {none_ok})", target, "!{}")
        ktype = runtime_type(inner)
        if ktype is not None:
            self.check(f"!k_expect({v.code}, &{ktype[0]}, {c_string(ktype[1])}, {none_ok})")
        return Val(v.code, target, v.owned)

    def into_temp_scalar(self, code: str, t: T.Type, check: str | None) -> Val:
        tmp = self.temp(t.c_type)
        self.emit(f"{tmp} = {code};")
        if check is not None:
            self.check(check.format(tmp))
        return Val(tmp, t)

    # ---- errors ----

    def error_target(self) -> str:
        for f in reversed(self.frames):
            if f.error_label:
                return f.error_label
        return "L_error"

    def check(self, cond: str) -> None:
        """If cond holds (an error happened), record this frame and go to the handler."""
        self.emit(f"if (__builtin_expect(({cond}) != 0, 0)) goto {self.error_block()};")

    def error_block(self) -> str:
        line = getattr(self.node, "lineno", 0) or 0
        key = (line, self.error_target())
        if key not in self.error_blocks:
            self.counter += 1
            self.error_blocks[key] = f"E{self.counter}"
        return self.error_blocks[key]

    def emit_error_blocks(self, file_c: str, func_name: str) -> None:
        for (line, target), name in self.error_blocks.items():
            src = self.mod.source_lines[line - 1].strip() if 0 < line <= len(self.mod.source_lines) else ""
            self.lines.append(f"{name}: k_traceback_add({file_c}, {line}, {c_string(func_name)}, "
                              f"{c_string(src)}); goto {target};")


BUILTIN_KTYPES = {T.INT: "k_int_type", T.STR: "k_str_type", T.BYTES: "k_bytes_type", T.BOOL: "k_bool_type",
                  T.BYTEARRAY: "k_bytearray_type", T.NONE: "k_none_type", T.RANGE: "k_range_type"}
CONTAINER_KTYPES = {T.ListT: "list", T.DictT: "dict", T.SetT: "set", T.TupleT: "tuple"}


def runtime_type(t: T.Type) -> tuple[str, str] | None:
    """The KType (C name) whose instances have static type t, and its name; None when
    instances of t are not told by one type (callables, iterators, Any)."""
    if t in BUILTIN_KTYPES:
        return BUILTIN_KTYPES[t], t.name
    if type(t) in CONTAINER_KTYPES:
        name = CONTAINER_KTYPES[type(t)]
        return f"k_{name}_type", name
    if isinstance(t, T.ClassT):
        return t.info.type_cname, t.info.name
    if isinstance(t, T.NativeT):
        return t.cname, t.name
    return None


def c_string(s: str) -> str:
    """A C string literal for s (its UTF-8 bytes, escaped)."""
    return c_bytes(s.encode("utf-8", "surrogatepass"))


def c_bytes(b: bytes) -> str:
    """A C string literal holding exactly the bytes b (octal escapes: no hex run-on, no trigraphs)."""
    out = []
    for x in b:
        c = chr(x)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= x < 127 and c != "?":
            out.append(c)
        else:
            out.append(f"\\{x:03o}")
    return '"' + "".join(out) + '"'
