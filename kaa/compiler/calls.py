"""Checking calls: functions, methods, function pointers, casts, constructors, builtins.

A call's callee decides its kind (stored as node.kind for the emitter):
  call       a module function               f(x), mod.f(x)
  method     a struct method                 p.shift(1, 2) (node.self_addr: take &p)
  fnptr      a value of type Fn[[...], R]    handler(x)
  intcast    u8(x), i64(x), Color(x)
  f64toint   i64(x) of an f64: truncates toward zero, panics out of the type's range (or NaN)
  tof64      f64(n): an integer or a bool as a double (rounded to nearest)
  tobool     bool(x)
  init       Point(x=1), Writer(buf=p, cap=n), Slice[T](ptr=p, len=n)
  intrinsic  outb(...), rdtsc(), ...         (the table in check.INTRINSICS)
  write      w.write(text) on a Writer
  and one kind per builtin (print, panic, len, addr, cast, sizeof, new, ...).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from kaa.compiler import types as T
from kaa.compiler.declare import Func
from kaa.compiler.errors import CompileError
from kaa.compiler.resolve import ModuleRef, PackageRef

if TYPE_CHECKING:
    from kaa.compiler.check import Checker


def check_call(c: "Checker", e: ast.Call, want: T.Type | None) -> T.Type:
    from kaa.compiler.check import CONTEXT_ONLY, INTRINSICS, SPECIAL_CALLS
    f = e.func
    if isinstance(f, ast.Name) and c._builtin_name(f.id):
        if f.id in CONTEXT_ONLY:
            raise c.report.error(e, *CONTEXT_ONLY[f.id])
        if f.id in T.INT_TYPES:
            return _int_cast(c, e, T.INT_TYPES[f.id])
        if f.id in INTRINSICS:
            params, ret = INTRINSICS[f.id]
            _no_keywords(c, e)
            _args(c, e, params, f.id, f"{f.id}({', '.join(map(str, params))}) -> {ret}")
            e.kind = "intrinsic"  # type: ignore[attr-defined]
            return ret
        if f.id in SPECIAL_CALLS:
            return BUILTINS[f.id](c, e)
    if _names_type(c, f):
        t = c.scope.type_of(f)
        if isinstance(t, (T.SliceType, T.StrType)):
            elem = t.elem if isinstance(t, T.SliceType) else T.U8
            return _init(c, e, t, {"ptr": T.PtrType(elem), "len": None})
        raise c.report.error(f, f"{t} cannot be called",
                             "build a view with Slice[T](ptr=p, len=n); convert with cast(Ptr[T], x)")
    if isinstance(f, (ast.Name, ast.Attribute)) and not _rooted_in_local(c, f):
        static = c.scope.static(f)
        if isinstance(static, T.StructType):
            return _init(c, e, static, static.fields)
        if isinstance(static, T.EnumType):
            return _int_cast(c, e, static)
        if isinstance(static, Func):
            if "interrupt" in static.attrs:
                raise c.report.error(e, f"an @interrupt function cannot be called: '{static.name}' is entered "
                                        "by the CPU through the IDT",
                                     "move the work into a plain function and call that from the handler too")
            _no_keywords(c, e)
            _args(c, e, tuple(t for _, t in static.params), static.name, signature(static))
            e.kind, e.sym = "call", static  # type: ignore[attr-defined]
            c.func.calls.append((static, e))
            return static.ret
        if isinstance(static, (ModuleRef, PackageRef)):
            raise c.report.error(f, f"'{ast.unparse(f)}' is a module, not a function",
                                 f"call a function it defines: {ast.unparse(f)}.name(...)")
    if isinstance(f, ast.Attribute):
        bt = c.expr(f.value)
        st = bt.target if isinstance(bt, T.PtrType) else bt
        if isinstance(st, T.StructType) and (f.attr in st.methods or _is_writer_write(st, f.attr)):
            return _method(c, e, f, bt, st)
        if st == T.STR and f.attr == "bytes":
            _args(c, e, (), "bytes", "s.bytes() -> Bytes")
            e.kind = "str_bytes"  # type: ignore[attr-defined]
            return T.BYTES
    t = c.expr(f)
    if isinstance(t, T.FnType):
        _no_keywords(c, e)
        _args(c, e, t.params, ast.unparse(f), f"{ast.unparse(f)}: {t}")
        e.kind = "fnptr"  # type: ignore[attr-defined]
        return t.ret
    raise c.report.error(f, f"'{ast.unparse(f)}' is not a function (it is a {t})",
                         "call a function, a method, or a value of type Fn[[...], R]")


def _names_type(c: "Checker", f: ast.expr) -> bool:
    """Whether a callee spells a type (Slice[u8](...), Bytes(...)) rather than a value
    that happens to be indexed (table[0](x))."""
    if isinstance(f, ast.Subscript):
        f = f.value
        return isinstance(f, ast.Name) and f.id in GENERIC_TYPES and c._builtin_name(f.id)
    return isinstance(f, ast.Name) and f.id in ("Bytes", "Str") and c._builtin_name(f.id)


GENERIC_TYPES = ("Slice", "Ptr", "Array", "Fn")


def _rooted_in_local(c: "Checker", f: ast.expr) -> bool:
    while isinstance(f, ast.Attribute):
        f = f.value
    return isinstance(f, ast.Name) and f.id in c.locals


def _method(c: "Checker", e: ast.Call, f: ast.Attribute, bt: T.Type, st: T.StructType) -> T.Type:
    if _is_writer_write(st, f.attr):
        _no_keywords(c, e)
        if len(e.args) != 1:
            raise c.report.error(e, "write takes one argument: a Str, an integer, Bytes or an f-string",
                                 "call w.write(...) once per value, or join them in one f-string")
        c.text_arg(e.args[0])
        e.kind = "write"  # type: ignore[attr-defined]
    else:
        m = st.methods[f.attr]
        assert isinstance(m, Func)
        _no_keywords(c, e)
        _args(c, e, tuple(t for _, t in m.params[1:]), f"{st.name()}.{f.attr}", signature(m))
        e.kind, e.sym = "method", m  # type: ignore[attr-defined]
        c.func.calls.append((m, e))
    if isinstance(bt, T.StructType):
        if not c.is_lvalue(f.value):
            raise c.report.error(f.value, "a method needs a struct stored in a variable",
                                 "assign the value to a local first")
        e.self_addr = True  # type: ignore[attr-defined]
    else:
        e.self_addr = False  # type: ignore[attr-defined]
    return T.VOID if e.kind == "write" else e.sym.ret  # type: ignore[attr-defined]


def _is_writer_write(st: T.StructType, attr: str) -> bool:
    return attr == "write" and st.qualname == "kernel.lib.fmt.Writer"


def _no_keywords(c: "Checker", e: ast.Call) -> None:
    if e.keywords:
        raise c.report.error(e.keywords[0], "keyword arguments are only for @struct initialisation",
                             "pass arguments by position")


def _args(c: "Checker", e: ast.Call, params: tuple[T.Type, ...], name: str, sig: str) -> None:
    """Check the arguments against params; errors show the callee's signature `sig`."""
    if len(e.args) != len(params):
        raise c.report.error(e, f"'{name}' takes {len(params)} argument{'s' if len(params) != 1 else ''}, "
                                f"got {len(e.args)}", f"its signature: {sig}")
    for i, (a, p) in enumerate(zip(e.args, params), start=1):
        if isinstance(a, ast.Starred):
            raise c.report.error(a, "'*' unpacking is not supported", "pass arguments one by one")
        try:
            c.expr(a, p)
            c.coerce(a, p)
        except CompileError as err:
            if (err.line, err.col) == (a.lineno, a.col_offset + 1):      # about the argument itself
                err.hint = f"{sig} takes {p} as argument {i}" + (f"; {err.hint}" if err.hint else "")
            raise


def signature(f: Func) -> str:
    """A function's signature as declared, for error notes (a method's without self)."""
    params = f.params[1:] if f.struct is not None else f.params
    return f"{f.name}({', '.join(f'{n}: {t}' for n, t in params)}) -> {f.ret}"


def _int_cast(c: "Checker", e: ast.Call, target: T.Type) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, f"{target}(x) takes one argument", f"convert one value at a time: {target}(x)")
    a = e.args[0]
    t = c.expr(a, target)
    if t == T.UNTYPED:
        ti = T.as_int(target)
        assert ti is not None
        e.const = a.const & ((1 << ti.bits) - 1)  # type: ignore[attr-defined]
        if ti.signed and e.const > ti.max:  # type: ignore[attr-defined]
            e.const -= 1 << ti.bits  # type: ignore[attr-defined]
        c.coerce(a, T.I64 if a.const < 1 << 63 else T.U64)  # type: ignore[attr-defined]
    elif t == T.F64 and not isinstance(target, T.EnumType):
        e.kind = "f64toint"  # type: ignore[attr-defined]
        return target
    elif not (T.as_int(t) or t == T.BOOL):
        hint = "use cast(usize, p) for a pointer's address" if isinstance(t, T.PtrType) else \
            f"{target}(x) converts integers, enums and bools"
        if t == T.F64:
            hint = f"convert to an integer first: {target}(i64(x))"
        raise c.report.error(a, f"cannot convert {t} to {target}", hint)
    e.kind = "intcast"  # type: ignore[attr-defined]
    return target


def _to_f64(c: "Checker", e: ast.Call) -> T.Type:
    """f64(x): an integer (rounded to the nearest double) or a bool; an f64 unchanged."""
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, "f64(x) takes one argument", "convert one value at a time: f64(x)")
    a = e.args[0]
    t = c.expr(a)
    c.finalize(a)
    t = a.ty  # type: ignore[attr-defined]
    if not (T.as_int(t) or t == T.BOOL or t == T.F64):
        raise c.report.error(a, f"cannot convert {t} to f64",
                             "f64(x) converts integers and bools; from_bits(u) reinterprets a u64's bits")
    e.kind = "tof64"  # type: ignore[attr-defined]
    return T.F64


def _init(c: "Checker", e: ast.Call, t: T.Type, fields: dict[str, T.Type | None]) -> T.Type:
    """Keyword initialisation; a field typed None (a view's len) takes any integer."""
    if e.args:
        raise c.report.error(e.args[0], f"initialise {t} with keywords", f"write {t}(field=value, ...)")
    seen: set[str] = set()
    for kw in e.keywords:
        if kw.arg is None:
            raise c.report.error(kw, "'**' unpacking is not supported", f"name each field: {t}(field=value, ...)")
        if kw.arg not in fields:
            raise c.report.error(kw, f"{t} has no field '{kw.arg}'", f"its fields are: {', '.join(fields)}")
        if kw.arg in seen:
            raise c.report.error(kw, f"field '{kw.arg}' is given twice", "give each field once")
        seen.add(kw.arg)
        ft = fields[kw.arg]
        c.expr(kw.value, ft)
        if ft is None:
            c.finalize(kw.value)
            if T.as_int(kw.value.ty) is None:  # type: ignore[attr-defined]
                raise c.report.error(kw.value, f"a length is an integer, not {kw.value.ty}",  # type: ignore
                                     "len=n takes an integer, e.g. len(other)")
        else:
            c.coerce(kw.value, ft)
    e.kind = "init"  # type: ignore[attr-defined]
    return t


def _one_type_arg(c: "Checker", e: ast.Call, name: str, extra: int = 0) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1 + extra:
        raise c.report.error(e, f"{name} takes {1 + extra} argument{'s' if extra else ''}",
                             f"write {name}({'T, n' if extra else 'T'}) with a type T")
    t = c.scope.type_of(e.args[0])
    if t == T.VOID:
        raise c.report.error(e.args[0], f"{name} needs a type other than None", f"e.g. {name}(u64)")
    e.kaa_type = t  # type: ignore[attr-defined]
    e.kind = name  # type: ignore[attr-defined]
    return t


def _print(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    for a in e.args:
        c.text_arg(a)
    e.kind = "print"  # type: ignore[attr-defined]
    return T.VOID


def _panic(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, "panic takes one message: panic(\"...\") or panic(f\"...\")",
                             "put the values in one f-string: panic(f\"bad {x}\")")
    c.text_arg(e.args[0])
    e.kind = "panic"  # type: ignore[attr-defined]
    return T.VOID


def _len(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, "len takes one argument", "len(x) of an Array, a Slice or a Str")
    t = c.expr(e.args[0])
    e.kind = "len"  # type: ignore[attr-defined]
    if isinstance(t, T.ArrayType):
        e.const = t.length  # type: ignore[attr-defined]
        return T.UNTYPED
    if isinstance(t, (T.SliceType, T.StrType)):
        return T.I64
    raise c.report.error(e.args[0], f"len() takes an Array, a Slice or a Str, not {t}",
                         "a Ptr has no length: keep it beside the pointer, or make a Slice with p[0:n]")


def _addr(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, "addr takes one argument", "addr(x) of a variable, a field or an element")
    t = c.expr(e.args[0])
    if not c.is_lvalue(e.args[0]):
        raise c.report.error(e.args[0], "addr() needs a variable, a field or an element",
                             "assign the value to a local first, then take addr(local)")
    e.kind = "addr"  # type: ignore[attr-defined]
    return T.PtrType(t)


def _cast(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 2:
        raise c.report.error(e, "cast takes a type and a value: cast(Ptr[T], x)",
                             "e.g. cast(Ptr[u8], address) or cast(u64, p)")
    to = c.scope.type_of(e.args[0])
    e.args[1].kaa_address_only = not isinstance(to, T.FnType)  # type: ignore[attr-defined]
    t = c.expr(e.args[1])
    c.finalize(e.args[1])
    t = e.args[1].ty  # type: ignore[attr-defined]
    scalar = (T.PtrType, T.FnType, T.IntType, T.EnumType, T.NullType)
    if not (isinstance(to, scalar) and isinstance(t, scalar)):
        hint = "cast converts between pointers and integers"
        if T.F64 in (t, to):
            hint = "f64(n) converts an integer, i64(x) an f64; bits(x) and from_bits(u) reinterpret the bits"
        raise c.report.error(e, f"cannot cast {t} to {to}", hint)
    e.kind, e.kaa_type = "cast", to  # type: ignore[attr-defined]
    return to


def _sizeof(c: "Checker", e: ast.Call) -> T.Type:
    _one_type_arg(c, e, "sizeof")
    return T.U64


def _new(c: "Checker", e: ast.Call) -> T.Type:
    return T.PtrType(_one_type_arg(c, e, e.func.id))  # type: ignore[attr-defined]


def _new_array(c: "Checker", e: ast.Call) -> T.Type:
    t = _one_type_arg(c, e, "new_array", extra=1)
    c.expr(e.args[1])
    c._index_type(e.args[1])
    return T.SliceType(t)


def _free(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, "free takes one argument", "free(p) of one Ptr or Slice from new/new_array")
    t = c.expr(e.args[0])
    if not isinstance(t, (T.PtrType, T.SliceType)):
        raise c.report.error(e.args[0], f"free() takes a Ptr or a Slice from new/new_array, not {t}",
                             "free what new, try_new or new_array returned; other values need no freeing")
    e.kind = "free"  # type: ignore[attr-defined]
    return T.VOID


def _cpuid(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    _args(c, e, (T.U32, T.U32), "cpuid", "cpuid(leaf: u32, subleaf: u32) -> CpuidResult")
    e.kind = "cpuid"  # type: ignore[attr-defined]
    result = c.program.modules["kernel.lib.rt"].symbols["CpuidResult"]
    assert isinstance(result, T.StructType)
    return result


def _atomic(c: "Checker", e: ast.Call) -> T.Type:
    name = e.func.id  # type: ignore[attr-defined]
    _no_keywords(c, e)
    arity = {"atomic_load": 1, "atomic_store": 2, "atomic_add": 2, "atomic_cas": 3}[name]
    if len(e.args) != arity:
        raise c.report.error(e, f"{name} takes {arity} argument{'s' if arity > 1 else ''}", f"write {ATOMIC_FORMS[name]}")
    p = c.expr(e.args[0])
    scalar = isinstance(p, T.PtrType) and (T.as_int(p.target) or p.target == T.BOOL or isinstance(p.target, T.PtrType))
    if not scalar or (name == "atomic_add" and not T.as_int(p.target)):  # type: ignore[union-attr]
        kinds = "an integer" if name == "atomic_add" else "an integer, a bool or a pointer"
        raise c.report.error(e.args[0], f"{name} takes a pointer to {kinds}, not {p}",
                             "pass addr(x) of a variable or field of that type")
    for a in e.args[1:]:
        c.expr(a, p.target)
        c.coerce(a, p.target)
    e.kind = "atomic"  # type: ignore[attr-defined]
    return {"atomic_load": p.target, "atomic_store": T.VOID, "atomic_add": p.target, "atomic_cas": T.BOOL}[name]


def _asm(c: "Checker", e: ast.Call) -> T.Type:
    if not (e.args and isinstance(e.args[0], ast.Constant) and isinstance(e.args[0].value, str)) or len(e.args) > 1:
        raise c.report.error(e, "asm takes a template string, then out=[...], ins=[...], clobbers=[...]",
                             ASM_FORM)
    spec: dict[str, list] = {"out": [], "ins": [], "clobbers": []}
    for kw in e.keywords:
        if kw.arg not in spec or not isinstance(kw.value, ast.List):
            raise c.report.error(kw, "asm keywords are out=[(\"=r\", x)], ins=[(\"r\", y)], clobbers=[\"memory\"]",
                                 ASM_FORM)
        for item in kw.value.elts:
            spec[kw.arg].append(_asm_operand(c, item, kw.arg))
    e.kaa_asm = spec  # type: ignore[attr-defined]
    e.kind = "asm"  # type: ignore[attr-defined]
    return T.VOID


def _asm_operand(c: "Checker", item: ast.expr, which: str) -> object:
    if which == "clobbers":
        if isinstance(item, ast.Constant) and isinstance(item.value, str) and re.fullmatch(r"[a-z0-9]+", item.value):
            return item.value
        raise c.report.error(item, "a clobber is a string such as \"memory\"", "e.g. clobbers=[\"memory\", \"cc\"]")
    if not (isinstance(item, ast.Tuple) and len(item.elts) == 2 and isinstance(item.elts[0], ast.Constant)
            and isinstance(item.elts[0].value, str)):
        raise c.report.error(item, "an asm operand is (\"constraint\", value)", "e.g. ins=[(\"r\", x)], out=[(\"=a\", y)]")
    if not re.fullmatch(r"[=+&%a-zA-Z0-9,*#?!]+", item.elts[0].value):
        raise c.report.error(item.elts[0], f"'{item.elts[0].value}' is not an asm constraint", "e.g. \"r\", \"=a\", \"+D\"")
    value = item.elts[1]
    c.expr(value)
    c.finalize(value)
    if which == "out" and not c.is_lvalue(value):
        raise c.report.error(value, "an asm output must be a variable, a field or an element",
                             "write the result into a local: out=[(\"=r\", x)]")
    return (item.elts[0].value, value)


def _bool(c: "Checker", e: ast.Call) -> T.Type:
    _no_keywords(c, e)
    if len(e.args) != 1:
        raise c.report.error(e, "bool takes one argument", "bool(x) tests one value (the same as x != 0)")
    c.cond(e.args[0])
    e.kind = "tobool"  # type: ignore[attr-defined]
    return T.BOOL


ATOMIC_FORMS = {"atomic_load": "atomic_load(p)", "atomic_store": "atomic_store(p, value)",
                "atomic_add": "atomic_add(p, n)", "atomic_cas": "atomic_cas(p, expected, new)"}
ASM_FORM = 'e.g. asm("outb %0, %1", ins=[("a", value), ("Nd", port)], clobbers=["memory"])'

BUILTINS = {
    "print": _print, "panic": _panic, "len": _len, "addr": _addr, "cast": _cast, "sizeof": _sizeof,
    "new": _new, "try_new": _new, "new_array": _new_array, "free": _free, "cpuid": _cpuid,
    "atomic_load": _atomic, "atomic_store": _atomic, "atomic_add": _atomic, "atomic_cas": _atomic,
    "asm": _asm, "bool": _bool, "f64": _to_f64,
}
