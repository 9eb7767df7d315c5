"""C emitter: one translation unit per module plus one shared header.

The header (kaa_program.h) declares everything every module may reach: the derived
types (arrays, slices, function pointers) and structs in dependency order, prototypes
of every function, `extern` declarations of every global, and the bodies of @inline
functions. Module bodies are emitted first so that the header knows every type they
used.

Every C line is preceded by a `#line` directive naming its .py file and line, so gcc's
diagnostics and gdb point at Kaa Python. Locals are hoisted to the top of their
function and zeroed. Temporaries are named `_tN`; C identifiers that are keywords get a
trailing underscore.

A module whose C handles doubles (an f64 anywhere in its functions or globals, or a call
of an @inline function that does) starts with SSE_MARKER: the build compiles that file
with SSE registers and every other one with -mgeneral-regs-only, so code on interrupt
paths never touches a thread's floating-point registers.
"""

from __future__ import annotations

import ast
import math
from typing import Iterator

from kaa.compiler import types as T
from kaa.compiler.check import ARITH, COMPARE, FLOAT_ARITH, all_funcs
from kaa.compiler.declare import Func, Module, Program
from kaa.compiler.fstrings import Part
from kaa.compiler.resolve import FMT_MODULE

C_KEYWORDS = set("""auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void
volatile while bool true false main asm typeof alignas alignof noreturn static_assert thread_local
i8 i16 i32 i64 u8 u16 u32 u64 kaa_str unix linux i386 NULL""".split())


def cid(name: str) -> str:
    """The C spelling of a local, parameter or field name.

    Names that would collide with C (keywords, our typedefs, temporaries `_tN`, mangled
    globals `mod__name`, gcc's predefined macros) get the prefix `kaa_`, and so does
    every name that already starts with it: the mapping stays one-to-one."""
    if name in C_KEYWORDS or name.startswith(("kaa_", "_t", "__")) or "__" in name:
        return "kaa_" + name
    return name


def c_string(data: bytes) -> str:
    out = []
    for b in data:
        ch = chr(b)
        if 32 <= b < 127 and ch not in '"\\?':
            out.append(ch)
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


def int_literal(v: int, t: T.Type) -> str:
    ti = T.as_int(t) or T.I64
    if ti.signed:
        v = (v + (1 << 63)) % (1 << 64) - (1 << 63)
        text = "(-9223372036854775807LL - 1)" if v == -(1 << 63) else f"{v}LL"
    else:
        text = f"{v % (1 << 64)}ULL"
    return f"(({t.c}){text})"


SSE_MARKER = "/* kaa: sse */"          # kaa/build.py reads it: the first line of a file that uses SSE


def float_literal(v: float) -> str:
    """A C double constant of exactly v: Python's shortest repr, which gcc reads back
    correctly rounded to the same double."""
    if math.isnan(v):
        return "__builtin_nan(\"\")"
    if math.isinf(v):
        return "__builtin_inf()" if v > 0 else "(-__builtin_inf())"
    text = repr(v)
    return f"({text})" if text.startswith("-") else text


def f64_int_bounds(t: T.IntType) -> tuple[float, float]:
    """The doubles just outside what truncates into t: x converts when lo < x < hi."""
    lo = float(t.min - 1)
    if lo > t.min - 1:                       # rounded up (i64: -2**63 - 1 is no double)
        lo = math.nextafter(lo, -math.inf)
    return lo, float(t.max + 1)            # a power of two: exact


def uses_sse(f: Func, seen: set[int] | None = None) -> bool:
    """Whether f's C handles doubles, itself or through the @inline functions it calls."""
    seen = set() if seen is None else seen
    seen.add(id(f))
    return f.uses_f64 or any("inline" in g.attrs and id(g) not in seen and uses_sse(g, seen) for g, _ in f.calls)


def declarator(t: T.Type, name: str) -> str:
    return f"{t.c} {name}"


class Emitter:
    def __init__(self, program: Program, *, debug: bool, host: bool):
        self.program = program
        self.debug = debug
        self.host = host
        self.types: list[T.Type] = []          # derived types and structs used, first use first
        self.seen_types: set[T.Type] = set()
        fmt = program.modules[FMT_MODULE]
        self.writer: T.StructType = fmt.symbols["Writer"]  # type: ignore[assignment]
        self.inline_bodies: list[str] = []
        self.bytes_arrays: list[str] = []      # names of b"..." buffers, declared in the header

    # ---- whole program ------------------------------------------------------------
    def emit(self) -> dict[str, str]:
        """Map of file name -> C text: one .c per module and kaa_program.h."""
        files: dict[str, str] = {}
        for mod in self.program.modules.values():
            files[mod.cprefix + ".c"] = ModuleEmitter(self, mod).emit()
        files["kaa_program.h"] = self.header()
        return files

    def use(self, t: T.Type) -> str:
        """Note that C code uses `t`; return its C spelling."""
        if t not in self.seen_types:
            self.seen_types.add(t)
            self.types.append(t)
        return t.c

    def header(self) -> str:
        out = ["/* Generated by the Kaa compiler: types and prototypes of the whole program. */",
               "#pragma once", '#include "kaa_rt.h"', ""]
        for mod in self.program.modules.values():
            for st in mod.structs:
                self.use(st)
            for f in all_funcs(mod):
                for _, t in f.params:
                    self.use(t)
                self.use(f.ret)
            for g in mod.globals:
                self.use(g.type)
        structs = [t for t in self.types if isinstance(t, T.StructType)]
        out += [f"typedef struct {s.c} {s.c};" for s in structs]
        out += TypeOrder(self).definitions()
        out.append("")
        for mod in self.program.modules.values():
            out.append(f"extern const kaa_str kaa_file_{mod.cprefix};")
            for g in mod.globals:
                out.append(f"extern {declarator(g.type, g.cname)};")
        out += [f"extern u8 {name}[];" for name in self.bytes_arrays]
        for mod in self.program.modules.values():
            for f in all_funcs(mod):
                if "inline" not in f.attrs:
                    out.append(self.prototype(f) + ";")
        out += [p + ";" for p in self.inline_prototypes()]
        out += self.inline_bodies
        return "\n".join(out) + "\n"

    def inline_prototypes(self) -> Iterator[str]:
        for mod in self.program.modules.values():
            for f in all_funcs(mod):
                if "inline" in f.attrs:
                    yield self.prototype(f)

    def prototype(self, f: Func) -> str:
        attrs = []
        if "inline" in f.attrs:
            attrs.append("static inline __attribute__((always_inline))")
        if "noinline" in f.attrs:
            attrs.append("__attribute__((noinline, noipa))")   # noipa: calls stay real calls
        if "naked" in f.attrs:
            attrs.append("__attribute__((naked))")
        if "interrupt" in f.attrs and not self.host:   # general registers even in a module with f64
            attrs.append('__attribute__((interrupt, target("general-regs-only")))')
        if "section" in f.attrs:
            attrs.append(f'__attribute__((section("{f.attrs["section"]}")))')
        params = ", ".join(declarator(t, cid(n)) for n, t in f.params) or "void"
        return " ".join(attrs + [f"{f.ret.c} {f.cname}({params})"])


class TypeOrder:
    """Emits derived types and structs so each is defined before it is needed whole."""

    def __init__(self, em: Emitter):
        self.em = em
        self.done: set[T.Type] = set()
        self.out: list[str] = []

    def definitions(self) -> list[str]:
        i = 0
        while i < len(self.em.types):        # defining a type may note new ones
            self.define(self.em.types[i])
            i += 1
        return self.out

    def define(self, t: T.Type) -> None:
        if t in self.done or isinstance(t, (T.IntType, T.FloatType, T.BoolType, T.VoidType, T.StrType, T.EnumType,
                                           T.UntypedInt, T.NullType)):
            return
        if isinstance(t, T.PtrType):
            if not isinstance(t.target, T.StructType):
                self.define(t.target)
            return
        self.done.add(t)
        if isinstance(t, T.SliceType):
            self.declared(t.elem)
            self.out.append(f"typedef struct {{ {t.elem.c} *ptr; u64 len; }} {t.c};")
        elif isinstance(t, T.ArrayType):
            self.define(t.elem)
            self.out.append(f"typedef struct {{ {t.elem.c} v[{t.length}]; }} {t.c};")
        elif isinstance(t, T.FnType):
            for p in (*t.params, t.ret):
                self.declared(p)
            params = ", ".join(p.c for p in t.params) or "void"
            self.out.append(f"typedef {t.ret.c} (*{t.c})({params});")
        elif isinstance(t, T.StructType):
            for ft in t.fields.values():
                self.define(ft)
            fields = "".join(f" {declarator(ft, cid(n))};" for n, ft in t.fields.items())
            packed = " __attribute__((packed))" if t.packed else ""
            self.out.append(f"struct {t.c} {{{fields} }}{packed};")

    def declared(self, t: T.Type) -> None:
        """Make `t` nameable (a struct only needs its forward typedef)."""
        if not isinstance(t, T.StructType):
            self.define(t)


class ModuleEmitter:
    def __init__(self, em: Emitter, mod: Module):
        self.em = em
        self.mod = mod
        self.path = str(mod.path.resolve())
        self.file = f"kaa_file_{mod.cprefix}"
        self.lines: list[str] = []
        self.indent = 1
        self.temps = 0
        self.withs: list[tuple[list[str], int]] = []    # exit code, loop depth at entry
        self.loops = 0
        self.func: Func | None = None
        self.bytes_defs: list[str] = []

    def emit(self) -> str:
        mod = self.mod
        sse = any(uses_sse(f) for f in all_funcs(mod)) or any(T.holds_f64(g.type) for g in mod.globals)
        head = [SSE_MARKER] if sse else []
        head += [f"/* Generated by the Kaa compiler from {mod.display}. */", '#include "kaa_program.h"',
                 f"const kaa_str {self.file} = {{(const u8 *){c_string(mod.display.encode())}, "
                 f"{len(mod.display.encode())}}};"]
        for g in mod.globals:
            self.em.use(g.type)
            init = f" = {self.expr(g.node.value)}" if g.node.value is not None else ""
            head.append(f"{declarator(g.type, g.cname)}{init};")
        body: list[str] = []
        for f in all_funcs(mod):
            if "extern" in f.attrs:
                continue
            text = self.function(f)
            if "inline" in f.attrs:
                self.em.inline_bodies.append(text)
            else:
                body.append(text)
        if mod is self.em.program.main:
            body.append(self.main_wrapper())
        return "\n".join(head + self.bytes_defs + [""] + body) + "\n"

    def main_wrapper(self) -> str:
        main = self.mod.symbols.get("main")
        # An alias, not a wrapper: main keeps its own frame and symbol for backtraces.
        return f"i32 kaa_main(void) __attribute__((alias(\"{main.cname}\")));"  # type: ignore[union-attr]

    # ---- functions ----------------------------------------------------------------
    def function(self, f: Func) -> str:
        self.func, self.lines, self.indent, self.temps = f, [], 1, 0
        self.source_line = f.node.lineno
        params = {n for n, _ in f.params}
        for name, t in f.locals.items():
            if name not in params:
                self.em.use(t)
                self.line(f"{declarator(t, cid(name))} = {{0}};")
        self.block(f.node.kaa_body)  # type: ignore[attr-defined]
        if "naked" in f.attrs:
            self.lines = [ln for ln in self.lines if "#line" in ln or "__asm__" in ln]
        proto = self.em.prototype(f)
        return f'#line {f.node.lineno} "{self.path}"\n{proto} {{\n' + "\n".join(self.lines) + "\n}\n"

    def line(self, text: str) -> None:
        # Every C line restates its .py line: a statement may span several C lines, and
        # without this gcc would count on from the last directive.
        self.lines.append(f'#line {self.source_line} "{self.path}"')
        self.lines.append("    " * self.indent + text)

    def at(self, node: ast.AST) -> None:
        self.source_line = node.lineno

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"

    def loc(self, node: ast.AST) -> str:
        return f"{self.file}, {node.lineno}"

    def block(self, stmts: list[ast.stmt]) -> None:
        for s in stmts:
            if getattr(s, "kaa_skip", False):
                continue
            self.at(s)
            getattr(self, "s_" + type(s).__name__)(s)

    def nested(self, stmts: list[ast.stmt]) -> None:
        self.indent += 1
        self.block(stmts)
        self.indent -= 1

    # ---- statements ---------------------------------------------------------------
    def s_Pass(self, s: ast.Pass) -> None:
        pass

    def s_Global(self, s: ast.Global) -> None:
        pass

    def s_Break(self, s: ast.Break) -> None:
        self.leave_withs(self.loops)
        self.line("break;")

    def s_Continue(self, s: ast.Continue) -> None:
        self.leave_withs(self.loops)
        self.line("continue;")

    def leave_withs(self, loop_depth: int | None) -> None:
        for exits, depth in reversed(self.withs):
            if loop_depth is not None and depth < loop_depth:
                break
            for ln in exits:
                self.line(ln)

    def s_Return(self, s: ast.Return) -> None:
        if not self.withs:
            self.line(f"return {self.expr(s.value)};" if s.value is not None else "return;")
            return
        if s.value is None:
            self.leave_withs(None)
            self.line("return;")
            return
        r = self.temp()
        self.line(f"{{ {declarator(self.func.ret, r)} = {self.expr(s.value)};")  # type: ignore[union-attr]
        self.leave_withs(None)
        self.line(f"return {r}; }}")

    def s_Expr(self, s: ast.Expr) -> None:
        e = s.value
        kind = getattr(e, "kind", None)
        if kind in ("print", "panic", "write", "asm"):
            getattr(self, "stmt_" + kind)(e)
        else:
            self.line(f"{self.expr(e)};")

    def s_If(self, s: ast.If) -> None:
        self.line(f"if ({self.cond(s.test)}) {{")
        self.nested(s.body)
        while len(s.orelse) == 1 and isinstance(s.orelse[0], ast.If):
            s = s.orelse[0]
            self.at(s)
            self.line(f"}} else if ({self.cond(s.test)}) {{")
            self.nested(s.body)
        if s.orelse:
            self.line("} else {")
            self.nested(s.orelse)
        self.line("}")

    def s_While(self, s: ast.While) -> None:
        self.line(f"while ({self.cond(s.test)}) {{")
        self.loop_body(s.body)
        self.line("}")

    def loop_body(self, body: list[ast.stmt]) -> None:
        self.loops += 1
        self.nested(body)
        self.loops -= 1

    def s_For(self, s: ast.For) -> None:
        var = self.expr(s.target)
        vt = s.target.ty  # type: ignore[attr-defined]
        if s.kaa_kind == "range":  # type: ignore[attr-defined]
            self.for_range(s, var, vt)
            return
        it, i = self.temp(), self.temp()
        seq = s.iter
        st = seq.ty  # type: ignore[attr-defined]
        if isinstance(st, T.ArrayType):
            self.line(f"{{ {st.elem.c} *{it} = ({self.expr(seq)}).v;")
            n = str(st.length)
            ptr = it
        else:
            self.line(f"{{ {st.c} {it} = {self.expr(seq)};")
            n, ptr = f"{it}.len", f"{it}.ptr"
        self.line(f"for (u64 {i} = 0; {i} < {n}; {i}++) {{")
        self.line(f"    {var} = {ptr}[{i}];")
        self.loop_body(s.body)
        self.line("} }")

    def for_range(self, s: ast.For, var: str, vt: T.Type) -> None:
        args = s.iter.args  # type: ignore[attr-defined]
        start = self.expr(args[0]) if len(args) > 1 else int_literal(0, vt)
        stop = self.expr(args[1] if len(args) > 1 else args[0])
        step = self.expr(args[2]) if len(args) == 3 else "1"
        k, n, st = self.temp(), self.temp(), self.temp()
        signed = (T.as_int(vt) or T.I64).signed
        count = f"kaa_range_{'s' if signed else 'u'}({k}, {stop}, {st}, {self.loc(s)})"
        self.line(f"{{ {vt.c} {k} = {start}; i64 {st} = {step};")
        self.line(f"for (u64 {n} = {count}; {n}; {n}--, {k} = ({vt.c})({k} + ({vt.c}){st})) {{")
        self.line(f"    {var} = {k};")
        self.loop_body(s.body)
        self.line("} }")

    def s_With(self, s: ast.With) -> None:
        exits: list[str] = []
        for item in s.items:
            e = item.context_expr
            t = self.temp()
            if e.kaa_with == "irq":  # type: ignore[attr-defined]
                self.line(f"{{ u64 {t} = kaa_irq_save();")
                exits.insert(0, f"kaa_irq_restore({t});")
            else:
                self.line(f"{{ u32 *{t} = &({self.expr(e)}).value; kaa_spin_lock({t});")
                exits.insert(0, f"kaa_spin_unlock({t});")
        self.withs.append((exits, self.loops))
        self.nested(s.body)
        self.withs.pop()
        for ln in exits:
            self.line("    " + ln)
        self.line("}" * len(s.items))

    def s_Assert(self, s: ast.Assert) -> None:
        self.line(f"if (!({self.cond(s.test)})) {{")
        self.indent += 1
        if s.msg is None:
            text = "assertion failed: " + ast.unparse(s.test)
            self.line(f"kaa_panic({self.str_literal(text.encode())}, {self.loc(s)});")
        else:
            self.panic_text(s.msg, s)
        self.indent -= 1
        self.line("}")

    def s_AnnAssign(self, s: ast.AnnAssign) -> None:
        value = self.expr(s.value) if s.value is not None else f"(({self.em.use(s.target.ty)}){{0}})"  # type: ignore
        self.line(f"{self.expr(s.target)} = {value};")   # zeroed each time, inside loops too

    def s_Assign(self, s: ast.Assign) -> None:
        target = s.targets[0]
        if isinstance(target, ast.Tuple):
            temps = []
            for v in s.value.elts:  # type: ignore[attr-defined]
                t = self.temp()
                temps.append(t)
                self.line(f"__typeof__({self.expr(v)}) {t} = {self.expr(v)};")
            for tgt, t in zip(target.elts, temps):
                self.line(f"{self.expr(tgt)} = {t};")
            return
        if impure(s.value) and impure(target):
            t = self.temp()
            self.line(f"{{ __typeof__({self.expr(s.value)}) {t} = {self.expr(s.value)};")
            self.line(f"    {self.expr(target)} = {t}; }}")
            return
        self.line(f"{self.expr(target)} = {self.expr(s.value)};")

    def s_AugAssign(self, s: ast.AugAssign) -> None:
        target = s.target
        place = self.expr(target)
        if isinstance(s.ty, T.PtrType):  # type: ignore[attr-defined]
            self.line(f"{place} {ARITH[type(s.op)]}= {self.expr(s.value)};")
            return
        if any(isinstance(n, ast.Call) for n in ast.walk(target)):
            p = self.temp()
            self.line(f"{{ __typeof__({place}) *{p} = &{place};")
            place = f"(*{p})"
            self.line(f"    {place} = {self.binary(s.op, place, s.value, s.ty, s)};")  # type: ignore[attr-defined]
            self.line("}")
        else:
            self.line(f"{place} = {self.binary(s.op, place, s.value, s.ty, s)};")  # type: ignore[attr-defined]

    # ---- text output: print, panic, Writer.write ----------------------------------
    def writer_call(self, method: str, wp: str, *args: str) -> str:
        m = self.em.writer.methods[method]
        return f"{m.cname}({', '.join((wp, *args))});"  # type: ignore[attr-defined]

    def local_writer(self, size: int, sink: str) -> str:
        b, w = self.temp(), self.temp()
        self.line(f"{{ u8 {b}[{size}]; {self.em.writer.c} {w} = {{0}}; {w}.buf = {b}; {w}.cap = {size};"
                  + (f" {w}.sink = {sink};" if sink else ""))
        return w

    def stmt_print(self, e: ast.Call) -> None:
        w = self.local_writer(128, "kaa_console_write")
        for i, a in enumerate(e.args):
            if i:
                self.line("    " + self.writer_call("write_byte", f"&{w}", "32"))
            self.write_parts(f"&{w}", a)
        self.line("    " + self.writer_call("write_byte", f"&{w}", "10"))
        self.line("    " + self.writer_call("flush", f"&{w}"))
        self.line("}")

    def stmt_panic(self, e: ast.Call) -> None:
        self.panic_text(e.args[0], e)

    def panic_text(self, msg: ast.expr, at: ast.AST) -> None:
        if isinstance(msg, ast.Constant) and isinstance(msg.value, str):
            self.line(f"kaa_panic({self.expr(msg)}, {self.loc(at)});")
            return
        w = self.local_writer(192, "")
        self.write_parts(f"&{w}", msg)
        self.line(f"    kaa_panic((kaa_str){{{w}.buf, {w}.len}}, {self.loc(at)});")
        self.line("}")

    def stmt_write(self, e: ast.Call) -> None:
        f = e.func
        base = self.expr(f.value)  # type: ignore[attr-defined]
        wp = f"&({base})" if e.self_addr else base  # type: ignore[attr-defined]
        if e.self_addr or not _simple(f.value):  # type: ignore[attr-defined]
            t = self.temp()
            self.line(f"{{ {self.em.writer.c} *{t} = {wp};")
            wp = t
        else:
            self.line("{")
        self.write_parts(wp, e.args[0])
        self.line("}")

    def write_parts(self, wp: str, node: ast.expr) -> None:
        for part in node.kaa_parts:  # type: ignore[attr-defined]
            self.line("    " + self.write_part(wp, part))

    def write_part(self, wp: str, p: Part) -> str:
        s = p.spec
        if p.kind == "lit":
            return self.writer_call("write_str", wp, self.str_literal(str(p.value).encode()))
        v = self.expr(p.value)  # type: ignore[arg-type]
        if p.kind == "int" or p.kind == "ptr":
            ti = T.as_int(p.value.ty) or T.U64  # type: ignore[union-attr]
            flags = (1 if s.type == "X" else 0) | (2 if s.alt or p.kind == "ptr" else 0) \
                | {"-": 0, "+": 4, " ": 8}[s.sign]
            base = 16 if p.kind == "ptr" else s.base
            signed = p.kind == "int" and ti.signed
            value = f"(i64)({v})" if signed else (f"(u64)({v})" if p.kind == "int" else f"(u64)(unsigned long)({v})")
            return self.writer_call("write_int" if signed else "write_uint", wp, value, str(base), str(s.width),
                                    str(ord(s.fill)), str(ord(s.align or ">")), str(flags))
        if p.kind == "bool":
            v = f"(({v}) ? KAA_STR(\"True\") : KAA_STR(\"False\"))"
        elif p.kind == "bytes":
            t = self.temp()
            v = f"({{ kaa_slice_u8 {t} = {v}; (kaa_str){{{t}.ptr, {t}.len}}; }})"
            self.em.use(T.BYTES)
        if s.width:
            return self.writer_call("write_str_pad", wp, v, str(s.width), str(ord(s.fill)), str(ord(s.align or "<")))
        return self.writer_call("write_str", wp, v)

    def stmt_asm(self, e: ast.Call) -> None:
        spec = e.kaa_asm  # type: ignore[attr-defined]
        outs = ", ".join(f'{c_string(c.encode())}({self.expr(v)})' for c, v in spec["out"])
        ins = ", ".join(f'{c_string(c.encode())}({self.expr(v)})' for c, v in spec["ins"])
        clobbers = ", ".join(c_string(c.encode()) for c in spec["clobbers"])
        template = c_string(e.args[0].value.encode())  # type: ignore[attr-defined]
        if not (outs or ins or clobbers):     # basic asm: '%' is literal (and naked functions need it)
            self.line(f"__asm__ volatile({template});")
            return
        self.line(f"__asm__ volatile({template} : {outs} : {ins} : {clobbers});")

    # ---- expressions --------------------------------------------------------------
    def cond(self, e: ast.expr) -> str:
        return self.expr(e)

    def str_literal(self, data: bytes) -> str:
        return f"((kaa_str){{(const u8 *){c_string(data)}, {len(data)}}})"

    def expr(self, e: ast.expr) -> str:
        const = getattr(e, "const", None)
        if const is not None and T.as_int(e.ty):  # type: ignore[attr-defined]
            return int_literal(const, e.ty)  # type: ignore[attr-defined]
        if const is not None and e.ty == T.F64:  # type: ignore[attr-defined]
            return float_literal(float(const))   # the checker made sure it is exact
        return getattr(self, "e_" + type(e).__name__)(e)

    def e_Constant(self, e: ast.Constant) -> str:
        v = e.value
        if isinstance(v, bool):
            return "((bool)1)" if v else "((bool)0)"
        if isinstance(v, str):
            return self.str_literal(v.encode())
        if isinstance(v, bytes):
            self.em.use(T.BYTES)
            return f"((kaa_slice_u8){{{self.bytes_array(e)}, {len(v)}}})"
        if v is None:
            return f"(({self.em.use(e.ty)})0)"  # type: ignore[attr-defined]
        if isinstance(v, float):
            return float_literal(v)
        raise AssertionError(v)

    def bytes_array(self, e: ast.Constant) -> str:
        """A b"..." literal is a writable static buffer of its own, on every target (a C
        string literal would be read-only on the host and constant-folded when booted).
        Not static in C: an @inline function's body in the header may use it."""
        if not hasattr(e, "kaa_buffer"):        # a node's text may be emitted twice (__typeof__)
            e.kaa_buffer = f"kaa_bytes_{self.mod.cprefix}_{len(self.bytes_defs) + 1}"  # type: ignore
            self.bytes_defs.append(f"u8 {e.kaa_buffer}[] = {c_string(e.value)};")  # type: ignore
            self.em.bytes_arrays.append(e.kaa_buffer)  # type: ignore[attr-defined]
        return e.kaa_buffer  # type: ignore[attr-defined]

    def e_Name(self, e: ast.Name) -> str:
        kind = getattr(e, "kind", None)
        if kind == "local":
            return cid(e.id)
        return e.sym.cname  # type: ignore[attr-defined]

    def e_Attribute(self, e: ast.Attribute) -> str:
        kind = e.kind  # type: ignore[attr-defined]
        if kind in ("global", "func"):
            return e.sym.cname  # type: ignore[attr-defined]
        base = self.expr(e.value)
        if e.attr == "ptr" and e.value.ty == T.STR:  # type: ignore[attr-defined]
            return f"((u8 *)({base}).ptr)"
        return f"({base}){'->' if kind == 'arrow' else '.'}{cid(e.attr)}"

    def e_Subscript(self, e: ast.Subscript) -> str:
        bt = e.value.ty  # type: ignore[attr-defined]
        if isinstance(e.slice, ast.Slice):
            return self.slicing(e, bt)
        base, i = self.expr(e.value), self.expr(e.slice)
        if isinstance(bt, T.PtrType):
            return f"({base})[{i}]"
        if isinstance(bt, T.ArrayType):
            idx = f"kaa_index({i}, {bt.length}, {self.loc(e)})" if self.em.debug else i
            return f"({base}).v[{idx}]"
        if not self.em.debug:
            return f"({base}).ptr[{i}]"
        t = self.temp()
        return f"(*({{ __typeof__({base}) {t} = {base}; &{t}.ptr[kaa_index({i}, {t}.len, {self.loc(e)})]; }}))"

    def slicing(self, e: ast.Subscript, bt: T.Type) -> str:
        sl = e.slice
        result = self.em.use(e.ty)  # type: ignore[attr-defined]
        base = self.expr(e.value)
        p, n, lo, hi = self.temp(), self.temp(), self.temp(), self.temp()
        if isinstance(bt, T.ArrayType):
            setup = f"{bt.elem.c} *{p} = ({base}).v; u64 {n} = {bt.length};"
        elif isinstance(bt, T.PtrType):
            setup = f"{bt.c} {p} = {base}; u64 {n} = (u64)-1;"
        else:
            b = self.temp()
            setup = f"__typeof__({base}) {b} = {base}; __typeof__({b}.ptr) {p} = {b}.ptr; u64 {n} = {b}.len;"
        low = self.expr(sl.lower) if sl.lower is not None else "0"  # type: ignore[attr-defined]
        high = self.expr(sl.upper) if sl.upper is not None else f"(i64){n}"  # type: ignore[attr-defined]
        check = f" kaa_check_slice({lo}, {hi}, {n}, {self.loc(e)});" if self.em.debug else f" (void){n};"
        return (f"({{ {setup} i64 {lo} = {low}; i64 {hi} = {high};{check} "
                f"({result}){{{p} + {lo}, (u64)({hi} - {lo})}}; }})")

    def e_UnaryOp(self, e: ast.UnaryOp) -> str:
        if isinstance(e.op, ast.Not):
            return f"(!({self.cond(e.operand)}))"
        v = self.expr(e.operand)
        c = e.ty.c  # type: ignore[attr-defined]
        if isinstance(e.op, ast.UAdd):
            return v
        op = "-" if isinstance(e.op, ast.USub) else "~"
        return f"(({c})({op}({c})({v})))"

    def e_BinOp(self, e: ast.BinOp) -> str:
        kind = getattr(e, "kind", None)
        if kind == "ptrarith":
            return f"(({self.expr(e.left)}) {ARITH[type(e.op)]} ({self.expr(e.right)}))"
        if kind == "ptrdiff":
            return f"((i64)(({self.expr(e.left)}) - ({self.expr(e.right)})))"
        if impure(e.left) and impure(e.right):     # Python evaluates the left operand first
            t = self.temp()
            left = self.expr(e.left)
            return (f"({{ __typeof__({left}) {t} = {left}; "
                    f"{self.binary(e.op, t, e.right, e.ty, e)}; }})")  # type: ignore[attr-defined]
        return self.binary(e.op, self.expr(e.left), e.right, e.ty, e)  # type: ignore[attr-defined]

    def binary(self, op: ast.operator, left: str, right_node: ast.expr, t: T.Type, at: ast.AST) -> str:
        """`left op right` computed in type t and wrapped to it."""
        right = self.expr(right_node)
        c = t.c
        o = type(op)
        if t == T.F64:
            return f"((double)({left}) {FLOAT_ARITH[o]} (double)({right}))"
        if t == T.BOOL:
            return f"((bool)(({left}) {ARITH[o]} ({right})))"
        ti = T.as_int(t)
        assert ti is not None
        if o in (ast.LShift, ast.RShift):
            const = getattr(right_node, "const", None)
            if const is None:
                right = f"kaa_shift({right}, {ti.bits}, {self.loc(at)})" if self.em.debug else f"(({right}) & {ti.bits - 1})"
            return f"(({c})(({c})({left}) {ARITH[o]} {right}))"
        if o in (ast.FloorDiv, ast.Mod):
            fn = ("kaa_fdiv_" if o is ast.FloorDiv else "kaa_fmod_") + ("s" if ti.signed else "u")
            wide = "i64" if ti.signed else "u64"
            return f"(({c}){fn}(({wide})({left}), ({wide})({right}), {self.loc(at)}))"
        return f"(({c})(({c})({left}) {ARITH[o]} ({c})({right})))"

    def e_BoolOp(self, e: ast.BoolOp) -> str:
        op = " && " if isinstance(e.op, ast.And) else " || "
        return "(" + op.join(f"({self.cond(v)})" for v in e.values) + ")"

    def e_IfExp(self, e: ast.IfExp) -> str:
        c = self.em.use(e.ty)  # type: ignore[attr-defined]
        return f"(({self.cond(e.test)}) ? ({c})({self.expr(e.body)}) : ({c})({self.expr(e.orelse)}))"

    def e_Compare(self, e: ast.Compare) -> str:
        operands = [e.left, *e.comparators]
        texts = [self.expr(o) for o in operands]
        setup = ""
        last_impure = max((i for i, o in enumerate(operands) if impure(o)), default=-1)
        for i in range(len(operands)):
            # A middle operand is evaluated once; operands before a call are evaluated first.
            if (0 < i < len(operands) - 1 and not _simple(operands[i])) or \
                    (i < last_impure and sum(map(impure, operands)) > 1):
                t = self.temp()
                setup += f"__typeof__({texts[i]}) {t} = {texts[i]}; "
                texts[i] = t
        pairs = []
        for i, (op, ct) in enumerate(zip(e.ops, e.kaa_types)):  # type: ignore[attr-defined]
            a, b = texts[i], texts[i + 1]
            if ct == T.STR:
                eq = f"kaa_str_eq({a}, {b})"
                pairs.append(eq if isinstance(op, ast.Eq) else f"!{eq}")
            elif T.as_int(ct):
                pairs.append(f"(({ct.c})({a}) {COMPARE[type(op)]} ({ct.c})({b}))")
            else:
                pairs.append(f"(({a}) {COMPARE[type(op)]} ({b}))")
        body = " && ".join(pairs)
        return f"({{ {setup}({body}); }})" if setup else f"({body})"

    def e_Call(self, e: ast.Call) -> str:
        return getattr(self, "call_" + e.kind)(e)  # type: ignore[attr-defined]

    def in_order(self, nodes: list[ast.expr], build) -> str:
        """build(C texts of nodes), with the nodes evaluated left to right as in Python.

        C leaves the order of arguments and operands unspecified: when two or more of
        the nodes call functions, every node up to the last call goes into a temporary."""
        texts = [self.expr(n) for n in nodes]
        calls = [i for i, n in enumerate(nodes) if impure(n)]
        if len(calls) < 2:
            return build(texts)
        setup = ""
        for i in range(calls[-1]):
            t = self.temp()
            setup += f"__typeof__({texts[i]}) {t} = {texts[i]}; "
            texts[i] = t
        result = build(texts)
        return f"({{ {setup}{result}; }})"

    def call_call(self, e: ast.Call) -> str:
        return self.in_order(e.args, lambda a: f"{e.sym.cname}({', '.join(a)})")  # type: ignore[attr-defined]

    def call_method(self, e: ast.Call) -> str:
        base = self.expr(e.func.value)  # type: ignore[attr-defined]
        self_arg = f"&({base})" if e.self_addr else base  # type: ignore[attr-defined]
        return self.in_order(e.args, lambda a: f"{e.sym.cname}({', '.join([self_arg, *a])})")  # type: ignore

    def call_fnptr(self, e: ast.Call) -> str:
        return self.in_order([e.func, *e.args], lambda a: f"({a[0]})({', '.join(a[1:])})")

    def call_intcast(self, e: ast.Call) -> str:
        return f"(({e.ty.c})({self.expr(e.args[0])}))"  # type: ignore[attr-defined]

    def call_f64toint(self, e: ast.Call) -> str:
        ti = T.as_int(e.ty)  # type: ignore[attr-defined]
        assert ti is not None
        lo, hi = f64_int_bounds(ti)
        fn = "kaa_f64_to_s" if ti.signed else "kaa_f64_to_u"
        return (f"(({ti.c}){fn}({self.expr(e.args[0])}, {float_literal(lo)}, {float_literal(hi)}, "
                f"{self.loc(e)}))")

    def call_tof64(self, e: ast.Call) -> str:
        return f"((double)({self.expr(e.args[0])}))"

    def call_tobool(self, e: ast.Call) -> str:
        return f"((bool)({self.cond(e.args[0])}))"

    def call_init(self, e: ast.Call) -> str:
        t = self.em.use(e.ty)  # type: ignore[attr-defined]
        view = isinstance(e.ty, (T.SliceType, T.StrType))  # type: ignore[attr-defined]
        names = [k.arg if view else cid(k.arg) for k in e.keywords]  # type: ignore[arg-type]
        return self.in_order([k.value for k in e.keywords], lambda vals: f"(({t}){{" + (
            ", ".join(f".{n} = {v}" for n, v in zip(names, vals)) or "0") + "})")

    def call_intrinsic(self, e: ast.Call) -> str:
        return self.in_order(e.args, lambda a: f"kaa_{e.func.id}({', '.join(a)})")  # type: ignore[attr-defined]

    def call_len(self, e: ast.Call) -> str:
        arg = e.args[0]
        if isinstance(arg.ty, T.ArrayType):  # type: ignore[attr-defined]
            t = self.temp()                  # an Array from a call: its length is known, the call still runs
            return f"({{ __typeof__({self.expr(arg)}) {t} = {self.expr(arg)}; (void){t}; ((i64){arg.ty.length}); }})"  # type: ignore
        return f"((i64)({self.expr(arg)}).len)"

    def call_addr(self, e: ast.Call) -> str:
        return f"(&({self.expr(e.args[0])}))"

    def call_cast(self, e: ast.Call) -> str:
        to = self.em.use(e.kaa_type)  # type: ignore[attr-defined]
        return f"(({to})(unsigned long)({self.expr(e.args[1])}))" if isinstance(e.kaa_type, T.PtrType) \
            else f"(({to})({self.expr(e.args[1])}))"  # type: ignore[attr-defined]

    def call_sizeof(self, e: ast.Call) -> str:
        return f"((u64)sizeof({self.em.use(e.kaa_type)}))"  # type: ignore[attr-defined]

    def call_new(self, e: ast.Call) -> str:
        t = self.em.use(e.kaa_type)  # type: ignore[attr-defined]
        return f"(({t} *)kaa_new(sizeof({t}), {self.loc(e)}))"

    def call_try_new(self, e: ast.Call) -> str:
        t = self.em.use(e.kaa_type)  # type: ignore[attr-defined]
        return f"(({t} *)kaa_alloc(sizeof({t})))"

    def call_new_array(self, e: ast.Call) -> str:
        t = self.em.use(e.kaa_type)  # type: ignore[attr-defined]
        st = self.em.use(e.ty)  # type: ignore[attr-defined]
        n = self.temp()
        size = self.temp()
        return (f"({{ i64 {n} = {self.expr(e.args[1])}; u64 {size}; "
                f"if ({n} < 0 || __builtin_mul_overflow((u64){n}, sizeof({t}), &{size})) "
                f"kaa_panic(KAA_STR(\"new_array: size out of range\"), {self.loc(e)}); "
                f"({st}){{({t} *)kaa_new({size}, {self.loc(e)}), (u64){n}}}; }})")

    def call_free(self, e: ast.Call) -> str:
        v = self.expr(e.args[0])
        return f"kaa_free(({v}).ptr)" if isinstance(e.args[0].ty, T.SliceType) else f"kaa_free({v})"  # type: ignore

    def call_cpuid(self, e: ast.Call) -> str:
        r = self.temp()
        result = self.em.use(e.ty)  # type: ignore[attr-defined]
        return self.in_order(e.args, lambda a: (
            f"({{ {result} {r}; __asm__ volatile(\"cpuid\" : \"=a\"({r}.eax), \"=b\"({r}.ebx), "
            f"\"=c\"({r}.ecx), \"=d\"({r}.edx) : \"a\"({a[0]}), \"c\"({a[1]})); {r}; }})"))

    def call_atomic(self, e: ast.Call) -> str:
        return self.in_order(e.args, lambda a: self.atomic(e.func.id, a))  # type: ignore[attr-defined]

    def atomic(self, name: str, a: list[str]) -> str:
        if name == "atomic_load":
            return f"__atomic_load_n({a[0]}, __ATOMIC_SEQ_CST)"
        if name == "atomic_store":
            return f"__atomic_store_n({a[0]}, {a[1]}, __ATOMIC_SEQ_CST)"
        if name == "atomic_add":
            return f"__atomic_fetch_add({a[0]}, {a[1]}, __ATOMIC_SEQ_CST)"
        t = self.temp()
        return (f"({{ __typeof__(*({a[0]})) {t} = {a[1]}; __atomic_compare_exchange_n({a[0]}, &{t}, {a[2]}, 0, "
                f"__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); }})")

    def call_str_bytes(self, e: ast.Call) -> str:
        self.em.use(T.BYTES)
        t = self.temp()
        s = self.expr(e.func.value)  # type: ignore[attr-defined]
        return f"({{ kaa_str {t} = {s}; (kaa_slice_u8){{(u8 *){t}.ptr, {t}.len}}; }})"


def impure(e: ast.expr) -> bool:
    """Whether evaluating e may have side effects (it contains a call)."""
    return any(isinstance(n, ast.Call) and getattr(n, "kind", None) not in ("intcast", "tof64", "tobool", "sizeof", "addr")
               for n in ast.walk(e))


def _simple(e: ast.expr) -> bool:
    return isinstance(e, (ast.Name, ast.Constant)) or hasattr(e, "const")
