"""Checker: types every expression of every function body and rejects what is not Kaa.

The checker walks Python's ast and annotates nodes in place for the C emitter:
  node.ty     the expression's final type
  node.const  its value, when it is a compile-time integer
  node.sym    the symbol a name or attribute resolves to
  node.kind   how to lower it, where there is more than one way (a call is a "call",
              "method", "fnptr", "cast", "init", "intrinsic", ...)
Untyped integer constants are typed by their context (`coerce`); with no context they
take their default (`finalize`): `int`, or the enum they belong to. A float literal is
an `f64`; an integer constant becomes one where an f64 is wanted and it is exactly a
double. Every function whose C handles a double is marked (Func.uses_f64): the emitter
compiles its module with SSE registers.

Function locals are hoisted (Python scoping: a name assigned anywhere in a function is
local to all of it); their types are fixed by the first assignment or annotation.
Once every body is checked, the direct calls recorded on each Func show any @inline
function that reaches itself (gcc rejects such always_inline recursion).
"""

from __future__ import annotations

import ast
from typing import Iterable

from kaa.compiler import types as T
from kaa.compiler.declare import Const, Func, Global, Module, ModuleRef, PackageRef, Program
from kaa.compiler.errors import CompileError
from kaa.compiler.resolve import OTHER_OPS, EnumMember, Scope, close_match
from kaa.compiler import fstrings

INTRINSICS: dict[str, tuple[tuple[T.Type, ...], T.Type]] = {
    "outb": ((T.U16, T.U8), T.VOID), "outw": ((T.U16, T.U16), T.VOID), "outl": ((T.U16, T.U32), T.VOID),
    "inb": ((T.U16,), T.U8), "inw": ((T.U16,), T.U16), "inl": ((T.U16,), T.U32),
    "mmio_read8": ((T.U64,), T.U8), "mmio_read16": ((T.U64,), T.U16),
    "mmio_read32": ((T.U64,), T.U32), "mmio_read64": ((T.U64,), T.U64),
    "mmio_write8": ((T.U64, T.U8), T.VOID), "mmio_write16": ((T.U64, T.U16), T.VOID),
    "mmio_write32": ((T.U64, T.U32), T.VOID), "mmio_write64": ((T.U64, T.U64), T.VOID),
    "rdmsr": ((T.U32,), T.U64), "wrmsr": ((T.U32, T.U64), T.VOID),
    "rdtsc": ((), T.U64), "hlt": ((), T.VOID), "cli": ((), T.VOID), "sti": ((), T.VOID),
    "pause": ((), T.VOID), "mfence": ((), T.VOID), "lfence": ((), T.VOID), "sfence": ((), T.VOID),
    "barrier": ((), T.VOID),
    "read_cr0": ((), T.U64), "read_cr2": ((), T.U64), "read_cr3": ((), T.U64), "read_cr4": ((), T.U64),
    "write_cr0": ((T.U64,), T.VOID), "write_cr3": ((T.U64,), T.VOID), "write_cr4": ((T.U64,), T.VOID),
    "sqrt": ((T.F64,), T.F64), "bits": ((T.F64,), T.U64), "from_bits": ((T.U64,), T.F64),
}
SPECIAL_CALLS = {"print", "panic", "len", "addr", "cast", "sizeof", "new", "try_new", "new_array", "free",
                 "cpuid", "atomic_load", "atomic_store", "atomic_add", "atomic_cas", "asm", "bool", "f64"}
CONTEXT_ONLY = {"range": ("'range' is only allowed in 'for ... in range(...)'",
                          "loop with 'for i in range(n):', or count with a while loop"),
                "irq_disabled": ("'irq_disabled()' is only allowed in 'with irq_disabled():'",
                                 "write 'with irq_disabled():' around the code that needs interrupts off")}

ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//", ast.Mod: "%",
         ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
FLOAT_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
           ast.Is: "==", ast.IsNot: "!="}

UNSUPPORTED_EXPR = {
    ast.Lambda: ("lambda is not supported", "define a function and pass its name (a Fn[[...], R])"),
    ast.ListComp: ("comprehensions are not supported", "write a for loop over an Array or Slice"),
    ast.SetComp: ("comprehensions are not supported", "write a for loop over an Array or Slice"),
    ast.DictComp: ("comprehensions are not supported", "write a for loop over an Array or Slice"),
    ast.GeneratorExp: ("generator expressions are not supported", "write a for loop"),
    ast.List: ("list values are not supported", "use Array[T, N] or new_array(T, n)"),
    ast.Dict: ("dict values are not supported", "use an Array of @struct entries"),
    ast.Set: ("set values are not supported", "use an Array of flags"),
    ast.Tuple: ("tuple values are not supported here", "tuples only appear in 'a, b = x, y'"),
    ast.Yield: ("generators (yield) are not supported", "return values, or use a callback Fn"),
    ast.YieldFrom: ("generators (yield) are not supported", "return values, or use a callback Fn"),
    ast.Await: ("async/await is not supported", "use the kernel's threads"),
    ast.NamedExpr: ("the walrus operator ':=' is not supported", "assign on its own line first"),
    ast.Starred: ("'*' unpacking is not supported", "pass arguments one by one"),
    ast.JoinedStr: ("an f-string is written, not stored",
                    "use it directly in print(...), panic(...) or w.write(...) on a Writer"),
}
UNSUPPORTED_STMT = {
    ast.Try: ("exceptions (try) are not supported", "return an error value; panic(msg) stops the machine"),
    ast.Raise: ("exceptions (raise) are not supported", "return an error value; panic(msg) stops the machine"),
    ast.Delete: ("'del' is not supported", "free(p) releases heap memory"),
    ast.Match: ("'match' is not supported", "use if/elif/else"),
    ast.FunctionDef: ("nested functions and closures are not supported", "define the function at module level"),
    ast.AsyncFunctionDef: ("async functions are not supported", "use the kernel's threads"),
    ast.AsyncFor: ("async for is not supported", "use a plain for loop"),
    ast.AsyncWith: ("async with is not supported", "use a plain with"),
    ast.ClassDef: ("classes inside functions are not supported", "define @struct classes at module level"),
    ast.Import: ("imports inside functions are not supported", "import at the top of the module"),
    ast.ImportFrom: ("imports inside functions are not supported", "import at the top of the module"),
    ast.Nonlocal: ("'nonlocal' is not supported", "there are no closures; use a global or a struct"),
}
if hasattr(ast, "TryStar"):     # Python 3.11: except*
    UNSUPPORTED_STMT[ast.TryStar] = UNSUPPORTED_STMT[ast.Try]
NAME_SOURCES = ("names come from this function's parameters and assignments, this module's top level, "
                "its imports and kaa.lang")


class Checker:
    def __init__(self, program: Program, func: Func):
        self.program = program
        self.func = func
        self.scope = Scope(program, func.module)
        self.report = func.module.report
        self.locals = func.locals
        self.globals_declared: set[str] = set()
        self.loops = 0
        self.uses_fmt = False

    # ---- entry --------------------------------------------------------------------
    def check(self) -> None:
        f = self.func
        for name, t in f.params:
            self.locals[name] = t
        if "extern" in f.attrs:
            return
        body = f.node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        f.node.kaa_body = body  # type: ignore[attr-defined]
        if "naked" in f.attrs:
            for s in body:
                if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
                        and isinstance(s.value.func, ast.Name) and s.value.func.id == "asm"
                        and not s.value.keywords):
                    raise self.report.error(s, "a @naked function's body is plain asm(\"...\") calls only",
                                            "gcc allows no operands in a naked function: use the ABI's registers")
        self.block(body)
        if any(T.holds_f64(t) for t in (f.ret, *self.locals.values())):
            f.uses_f64 = True
        if f.uses_f64 and "interrupt" in f.attrs:
            raise self.report.error(f.node, f"@interrupt function '{f.name}' uses f64",
                                    "interrupt handlers keep to general registers (they would clobber the "
                                    "interrupted thread's SSE state): hand the float work to a thread")
        if f.ret != T.VOID and "naked" not in f.attrs and not always_returns(body):
            raise self.report.error(f.node, f"function '{f.name}' can reach its end without returning {f.ret}",
                                    "end every path with a return (or panic)")

    def block(self, stmts: Iterable[ast.stmt]) -> None:
        for s in stmts:
            self.stmt(s)

    # ---- statements ---------------------------------------------------------------
    def stmt(self, s: ast.stmt) -> None:
        method = getattr(self, "s_" + type(s).__name__, None)
        if method is None:
            msg, hint = UNSUPPORTED_STMT.get(type(s), (f"'{type(s).__name__}' statements are not supported",
                                                       "docs/language.md lists the statements Kaa has"))
            raise self.report.error(s, msg, hint)
        method(s)

    def s_Pass(self, s: ast.Pass) -> None:
        pass

    def s_Break(self, s: ast.stmt) -> None:
        if not self.loops:
            raise self.report.error(s, f"'{type(s).__name__.lower()}' outside a loop",
                                    "'break' and 'continue' go inside while and for loops; 'return' leaves a function")

    s_Continue = s_Break

    def s_Global(self, s: ast.Global) -> None:
        for name in s.names:
            if name in self.func.module.imported and isinstance(self.func.module.imported[name], Global):
                raise self.report.error(s, f"'{name}' is imported: 'global' names this module's own globals",
                                        "assign it in its own module (through a function there)")
            if not isinstance(self.func.module.symbols.get(name), Global):
                raise self.report.error(s, f"'{name}' is not a global of this module",
                                        close_match(name, [g.name for g in self.func.module.globals],
                                                    "declare it at module level with a type: name: u32 = 0"))
            if name in self.locals:
                raise self.report.error(s, f"'{name}' is used as a local before 'global {name}'",
                                        f"put 'global {name}' at the top of the function, before any use")
            self.globals_declared.add(name)

    def s_Expr(self, s: ast.Expr) -> None:
        v = s.value
        if isinstance(v, ast.Constant) and (isinstance(v.value, str) or v.value is Ellipsis):
            s.kaa_skip = True  # type: ignore[attr-defined]
            return
        if type(v) in UNSUPPORTED_EXPR:
            self.expr(v)             # reports what is wrong with it
        if not isinstance(v, ast.Call):
            raise self.report.error(v, "this expression has no effect", "an expression statement is a call")
        self.expr(v)
        self.finalize(v)

    def s_Return(self, s: ast.Return) -> None:
        ret = self.func.ret
        if s.value is None:
            if ret != T.VOID:
                raise self.report.error(s, f"'return' needs a value of type {ret}",
                                        f"return a {ret}, or declare the function '-> None'")
            return
        if ret == T.VOID:
            raise self.report.error(s.value, "this function returns None; it cannot return a value",
                                    "annotate the return type: def f(...) -> i32")
        self.expr(s.value, ret)
        self.coerce(s.value, ret)

    def s_If(self, s: ast.If) -> None:
        self.cond(s.test)
        self.block(s.body)
        self.block(s.orelse)

    def s_While(self, s: ast.While) -> None:
        self.cond(s.test)
        if s.orelse:
            raise self.report.error(s, "'while ... else' is not supported", "use a flag variable")
        self.loops += 1
        self.block(s.body)
        self.loops -= 1

    def s_For(self, s: ast.For) -> None:
        if s.orelse:
            raise self.report.error(s, "'for ... else' is not supported", "use a flag variable")
        if not isinstance(s.target, ast.Name):
            raise self.report.error(s.target, "a for loop binds one name", "for i in range(n): / for x in s:")
        it = s.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                and self._builtin_name("range"):
            self._for_range(s, it)
        else:
            t = self.expr(it)
            if isinstance(t, (T.ArrayType, T.SliceType)):
                elem = t.elem
            elif t == T.STR:
                elem = T.U8
            else:
                raise self.report.error(it, f"cannot iterate over {t}",
                                        "for loops go over range(...), an Array, a Slice or a Str")
            if isinstance(t, T.ArrayType) and not self.is_lvalue(it):
                raise self.report.error(it, "iterate over an Array stored in a variable",
                                        "assign it to a local first, then loop over the local")
            s.kaa_kind = "each"  # type: ignore[attr-defined]
            self.bind(s.target, elem, s.target)
        self.loops += 1
        self.block(s.body)
        self.loops -= 1

    def _for_range(self, s: ast.For, call: ast.Call) -> None:
        args = call.args
        if call.keywords or not 1 <= len(args) <= 3:
            raise self.report.error(call, "range takes 1 to 3 arguments: range(stop), range(start, stop[, step])",
                                    "pass them by position, e.g. range(0, n, 2)")
        name = s.target.id  # type: ignore[union-attr]
        var_t = self._local_type(name)
        bounds, step = args[:2] if len(args) > 1 else args, args[2:]
        for a in bounds:
            self.expr(a, var_t)
        if var_t is None:
            typed = [a.ty for a in bounds if a.ty != T.UNTYPED]
            var_t = typed[0] if typed else None
            for t2 in typed[1:]:
                ints = (T.as_int(var_t), T.as_int(t2))
                if ints[0] and ints[1]:
                    var_t = T.common_int(ints[0], ints[1]) or self._mix_error(call, ints[0], ints[1])
            var_t = var_t or T.I64
        if T.as_int(var_t) is None:
            raise self.report.error(call, f"range needs integers, not {var_t}",
                                    "for the elements of an Array, a Slice or a Str write 'for x in s:'")
        for a in bounds:
            self.coerce(a, var_t)
        for a in step:   # the step may be negative whatever the loop variable's type
            self.expr(a)
            self._index_type(a)
            if getattr(a, "const", None) == 0:
                raise self.report.error(a, "range() step must not be zero",
                                        "a positive step counts up, a negative one down")
        s.kaa_kind = "range"  # type: ignore[attr-defined]
        self.bind(s.target, var_t, s.target)

    def s_With(self, s: ast.With) -> None:
        for item in s.items:
            if item.optional_vars is not None:
                raise self.report.error(item.optional_vars, "'with ... as' is not supported",
                                        "write 'with irq_disabled():' or 'with lock:' and use the lock's own name")
            e = item.context_expr
            if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id == "irq_disabled" \
                    and self._builtin_name("irq_disabled") and not e.args:
                e.kaa_with = "irq"  # type: ignore[attr-defined]
                continue
            t = self.expr(e)
            if isinstance(t, T.StructType) and t.qualname == "kernel.lib.rt.SpinLock" and self.is_lvalue(e):
                e.kaa_with = "lock"  # type: ignore[attr-defined]
                continue
            raise self.report.error(e, "'with' takes irq_disabled() or a SpinLock",
                                    "with irq_disabled(): ... / with self.lock: ...")
        self.block(s.body)

    def s_Assert(self, s: ast.Assert) -> None:
        self.cond(s.test)
        if s.msg is not None:
            self.text_arg(s.msg)

    def s_AnnAssign(self, s: ast.AnnAssign) -> None:
        if not isinstance(s.target, ast.Name):
            raise self.report.error(s.target, "only a plain name can be declared with a type",
                                    "fields and elements have their declared types: assign without an annotation")
        t = self.scope.type_of(s.annotation)
        name = s.target.id
        if t == T.VOID:
            raise self.report.error(s.annotation, "a variable cannot have type None",
                                    "a pointer that starts empty is declared p: Ptr[T] = None")
        if name in self.locals and self.locals[name] != t:
            raise self.report.error(s.target, f"'{name}' is already a {self.locals[name]}",
                                    "a local keeps one type in the whole function: use another name")
        if name in self.globals_declared:
            raise self.report.error(s.target, f"'{name}' is a global; its type is declared at module level",
                                    f"assign it without an annotation: {name} = ...")
        self.locals[name] = t
        s.target.ty = t  # type: ignore[attr-defined]
        s.target.kind = "local"  # type: ignore[attr-defined]
        if s.value is not None:
            self.expr(s.value, t)
            self.coerce(s.value, t)

    def s_Assign(self, s: ast.Assign) -> None:
        if len(s.targets) != 1:
            raise self.report.error(s.targets[1], "chained assignment 'a = b = x' is not supported",
                                    "assign one at a time: a = x, then b = a")
        target = s.targets[0]
        if isinstance(target, ast.Tuple):
            if not (isinstance(s.value, ast.Tuple) and len(s.value.elts) == len(target.elts)):
                raise self.report.error(s, "tuple assignment needs as many values as names: a, b = x, y",
                                        "there is no unpacking of a single value: write one value per name")
            for v in s.value.elts:
                self.expr(v)
            for tgt, v in zip(target.elts, s.value.elts):
                self.assign(tgt, v)
            return
        if isinstance(target, ast.Name) and self._local_type(target.id) is None \
                and target.id not in self.globals_declared:
            self._check_new_local(target)
            t = self.expr(s.value)
            self.finalize(s.value)
            self.bind(target, s.value.ty, s.value)
            return
        want = self.target_type(target)
        self.expr(s.value, want)
        self.coerce(s.value, want)

    def assign(self, target: ast.expr, value: ast.expr) -> None:
        """One pair of a tuple assignment (value already typed)."""
        if isinstance(target, ast.Name) and self._local_type(target.id) is None \
                and target.id not in self.globals_declared:
            self._check_new_local(target)
            self.finalize(value)
            self.bind(target, value.ty, value)
        else:
            want = self.target_type(target)
            self.coerce(value, want)
        if not isinstance(value.ty, (T.IntType, T.FloatType, T.BoolType, T.PtrType, T.EnumType, T.StrType, T.SliceType,
                                     T.FnType)):
            raise self.report.error(value, "tuple assignment is for scalars", "assign a struct on its own line")

    def s_AugAssign(self, s: ast.AugAssign) -> None:
        op = type(s.op)
        if op not in ARITH and op is not ast.Div:
            spelling, hint = OTHER_OPS[op]
            raise self.report.error(s, f"'{spelling}=' is not supported", hint)
        want = self.target_type(s.target)
        if want == T.F64:
            if op not in FLOAT_ARITH:
                spelling = ARITH[op]
                raise self.report.error(s, f"'{spelling}=' is not defined on f64", _float_op_hint(op))
            self.expr(s.value, want)
            self.coerce(s.value, want)
            s.ty = want  # type: ignore[attr-defined]
            return
        if op is ast.Div:
            raise self.report.error(s, "'/=' is not defined on integers", "use '//=' (floor division)")
        if isinstance(want, T.PtrType) and op in (ast.Add, ast.Sub):
            self.expr(s.value)
            self._index_type(s.value)
        else:
            ti = T.as_int(want) if not isinstance(want, T.EnumType) else None
            if ti is None and not (want == T.BOOL and op in (ast.BitAnd, ast.BitOr, ast.BitXor)):
                raise self.report.error(s.target, f"'{ARITH[op]}=' needs an integer, not {want}",
                                        "a Ptr moves with += and -=; a bool takes &=, |= and ^=; "
                                        "an enum converts with int(x)")
            self.expr(s.value, want)
            if op in (ast.LShift, ast.RShift):
                self._shift_count(s.value, ti)  # type: ignore[arg-type]
            else:
                self.coerce(s.value, want)
            self._check_div(op, s.value)
        s.ty = want  # type: ignore[attr-defined]

    def _check_new_local(self, target: ast.Name) -> None:
        sym = self.func.module.lookup(target.id)
        if isinstance(sym, Global):
            raise self.report.error(target, f"assigning module global '{target.id}' needs 'global {target.id}'",
                                    f"add 'global {target.id}' at the top of the function")
        if isinstance(sym, Const):
            raise self.report.error(target, f"cannot assign to '{target.id}': it is a Final constant",
                                    f"a value that changes is a global: {target.id}: u32 = 0 at module level")

    def bind(self, target: ast.Name, t: T.Type, where: ast.AST) -> None:
        if t in (T.VOID, T.NULL) or t == T.UNTYPED:
            raise self.report.error(where, f"cannot infer a type for '{target.id}' from {t}",
                                    f"annotate it: {target.id}: Ptr[T] = None")
        name = target.id
        if name in self.globals_declared:
            self.coerce_type(where, t, self.func.module.lookup(name).type)  # type: ignore[union-attr]
            target.ty, target.kind = self.func.module.lookup(name).type, "global"  # type: ignore
            target.sym = self.func.module.lookup(name)  # type: ignore[attr-defined]
            return
        if name in self.locals:
            self.coerce_type(where, t, self.locals[name])
        else:
            self.locals[name] = t
        target.ty, target.kind = self.locals[name], "local"  # type: ignore[attr-defined]

    def target_type(self, target: ast.expr) -> T.Type:
        """Type an assignment target (a place) and return what it holds."""
        if isinstance(target, ast.Name):
            if target.id in self.locals:
                target.ty, target.kind = self.locals[target.id], "local"  # type: ignore[attr-defined]
                return self.locals[target.id]
            if target.id in self.globals_declared:
                g = self.func.module.lookup(target.id)
                target.ty, target.kind, target.sym = g.type, "global", g  # type: ignore
                return g.type  # type: ignore[union-attr]
            self._check_new_local(target)
            raise self.unknown_name(target, target.id)
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            t = self.expr(target)
            if not self.is_lvalue(target):
                raise self.report.error(target, f"cannot assign to '{ast.unparse(target)}'", ASSIGNABLE)
            if isinstance(target, ast.Subscript) and getattr(target.value, "ty", None) == T.STR:
                raise self.report.error(target, "a Str is read-only", "copy it into an Array[u8, N] or Bytes")
            return t
        if isinstance(target, ast.Tuple):
            raise self.report.error(target, "nested tuple targets are not supported",
                                    "assign names one level deep: a, b = x, y")
        raise self.report.error(target, f"cannot assign to '{ast.unparse(target)}'", ASSIGNABLE)

    # ---- expressions --------------------------------------------------------------
    def expr(self, e: ast.expr, want: T.Type | None = None) -> T.Type:
        method = getattr(self, "e_" + type(e).__name__, None)
        if method is None:
            msg, hint = UNSUPPORTED_EXPR.get(type(e), (f"'{type(e).__name__}' expressions are not supported",
                                                       "docs/language.md lists the expressions Kaa has"))
            raise self.report.error(e, msg, hint)
        t = method(e, want)
        e.ty = t  # type: ignore[attr-defined]
        if T.holds_f64(t):
            self.func.uses_f64 = True
        return t

    def e_Constant(self, e: ast.Constant, want: T.Type | None) -> T.Type:
        v = e.value
        if isinstance(v, bool):
            return T.BOOL
        if isinstance(v, int):
            e.const = v  # type: ignore[attr-defined]
            return T.UNTYPED
        if isinstance(v, str):
            check_utf8(self, e, v)
            return T.STR
        if isinstance(v, bytes):
            return T.BYTES
        if v is None:
            return T.NULL
        if isinstance(v, float):
            return T.F64
        if isinstance(v, complex):
            raise self.report.error(e, "complex numbers are not supported", "keep the real and imaginary parts in two f64")
        raise self.report.error(e, f"{type(v).__name__} constants are not supported",
                                "constants are integers, True/False, None, \"text\" and b\"bytes\"")

    def e_Name(self, e: ast.Name, want: T.Type | None) -> T.Type:
        if e.id in self.locals:
            e.kind = "local"  # type: ignore[attr-defined]
            return self.locals[e.id]
        sym = self.scope.lookup(e.id)
        if sym is None:
            if e.id in SPECIAL_CALLS or e.id in INTRINSICS or e.id in CONTEXT_ONLY:
                raise self.report.error(e, f"'{e.id}' can only be called",
                                        f"call it: {e.id}(...); wrap it in a function to pass it as a Fn")
            raise self.unknown_name(e, e.id)
        return self.symbol(e, sym)

    def unknown_name(self, e: ast.AST, name: str) -> CompileError:
        known = {*self.locals, *self.func.module.symbols, *self.func.module.imported, *T.INT_TYPES,
                 *SPECIAL_CALLS, *INTRINSICS, *CONTEXT_ONLY, "True", "False", "None"}
        return self.report.error(e, f"unknown name '{name}'", close_match(name, list(known), NAME_SOURCES))

    def symbol(self, e: ast.expr, sym: object) -> T.Type:
        e.sym = sym  # type: ignore[attr-defined]
        if isinstance(sym, Global):
            e.kind = "global"  # type: ignore[attr-defined]
            return sym.type
        if isinstance(sym, (Const, EnumMember)):
            e.kind = "const"  # type: ignore[attr-defined]
            e.const = self.scope.symbol_value(sym, e)  # type: ignore[attr-defined]
            if isinstance(sym, EnumMember):
                e.default_ty = sym.enum  # type: ignore[attr-defined]
                return T.UNTYPED
            return sym.type or T.UNTYPED
        if isinstance(sym, Func):
            if "interrupt" in sym.attrs and not getattr(e, "kaa_address_only", False):
                raise self.report.error(e, f"an @interrupt function is not a Fn value: '{ast.unparse(e)}' "
                                           "cannot be called through a pointer",
                                        f"take its address for an IDT gate with cast(u64, {ast.unparse(e)})")
            e.kind = "func"  # type: ignore[attr-defined]
            return sym.fn_type
        if isinstance(sym, (ModuleRef, PackageRef, T.StructType, T.EnumType)):
            e.kind = "static"  # type: ignore[attr-defined]
            return T.VOID
        raise self.report.error(e, "this name is not a value", "use a variable, a constant or a function's name")

    def e_Attribute(self, e: ast.Attribute, want: T.Type | None) -> T.Type:
        base = e.value
        if not (isinstance(base, ast.Name) and base.id in self.locals):
            static = self.scope.static(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
            if isinstance(static, (ModuleRef, PackageRef, T.EnumType)):
                return self.symbol(e, self.scope.attribute(static, e))
        bt = self.expr(base)
        if getattr(base, "kind", None) == "static":
            raise self.report.error(e, f"'{ast.unparse(e)}' is not a value",
                                    "a type or a module holds no value: build one (Point(...)) or name a member")
        st = bt.target if isinstance(bt, T.PtrType) else bt
        if isinstance(st, T.StructType):
            if e.attr in st.fields:
                e.kind = "arrow" if isinstance(bt, T.PtrType) else "field"  # type: ignore[attr-defined]
                return st.fields[e.attr]
            if e.attr in st.methods:
                raise self.report.error(e, f"method '{e.attr}' must be called", f"write {ast.unparse(e)}(...)")
            raise self.report.error(e, f"struct '{st.name()}' has no field '{e.attr}'",
                                    f"its fields are: {', '.join(st.fields) or 'none'}")
        if isinstance(bt, (T.SliceType, T.StrType)) and e.attr == "ptr":
            e.kind = "field"  # type: ignore[attr-defined]
            return T.PtrType(bt.elem if isinstance(bt, T.SliceType) else T.U8)
        raise self.report.error(e, f"{bt} has no attribute '{e.attr}'",
                                "attributes are the fields and methods of a @struct (through a value or a Ptr) "
                                "and a Slice's or Str's .ptr; lengths are len(x)")

    def e_Subscript(self, e: ast.Subscript, want: T.Type | None) -> T.Type:
        bt = self.expr(e.value)
        if isinstance(e.slice, ast.Slice):
            return self._slicing(e, bt)
        elem = _element_type(bt)
        if elem is None:
            raise self.report.error(e.value, f"{bt} cannot be indexed",
                                    "index a Ptr, an Array, a Slice or a Str")
        if isinstance(bt, T.ArrayType) and not self.is_lvalue(e.value) and not isinstance(e.value, ast.Call):
            raise self.report.error(e.value, "index an Array stored in a variable",
                                    "assign it to a local first, then index the local")
        self.expr(e.slice)
        self._index_type(e.slice)
        c = getattr(e.slice, "const", None)
        if c is not None and c < 0:
            raise self.report.error(e.slice, f"negative index {c}", "Kaa has no from-the-end indexing: write len(x) - 1")
        if c is not None and isinstance(bt, T.ArrayType) and not 0 <= c < bt.length:
            raise self.report.error(e.slice, f"index {c} is out of range for {bt}",
                                    f"its indexes are 0..{bt.length - 1}")
        return elem

    def _slicing(self, e: ast.Subscript, bt: T.Type) -> T.Type:
        sl = e.slice
        assert isinstance(sl, ast.Slice)
        if sl.step is not None:
            raise self.report.error(sl.step, "slices take no step", "write s[a:b]")
        if isinstance(bt, T.PtrType) and (sl.lower is None or sl.upper is None):
            raise self.report.error(e, "slicing a Ptr needs both bounds: p[a:b]",
                                    "a Ptr has no length: p[0:n] is a Slice of its first n elements")
        for bound in (sl.lower, sl.upper):
            if bound is not None:
                self.expr(bound)
                self._index_type(bound)
                if getattr(bound, "const", 0) < 0:
                    raise self.report.error(bound, f"negative slice bound {bound.const}",  # type: ignore
                                            "Kaa has no from-the-end slicing: write len(x) - n")
        if isinstance(bt, T.ArrayType):
            if not self.is_lvalue(e.value):
                raise self.report.error(e.value, "slice an Array stored in a variable",
                                        "assign it to a local first, then slice the local")
            return T.SliceType(bt.elem)
        if isinstance(bt, (T.SliceType, T.StrType)):
            return bt
        if isinstance(bt, T.PtrType):
            return T.SliceType(bt.target)
        raise self.report.error(e, f"{bt} cannot be sliced", "slice a Ptr, an Array, a Slice or a Str: x[a:b]")

    def _index_type(self, e: ast.expr) -> None:
        if e.ty == T.UNTYPED:  # type: ignore[attr-defined]
            self.coerce(e, T.I64)
        elif T.as_int(e.ty) is None:  # type: ignore[attr-defined]
            raise self.report.error(e, f"an index is an integer, not {e.ty}",  # type: ignore[attr-defined]
                                    "index with an integer; an enum or a bool converts with int(x)")

    def e_UnaryOp(self, e: ast.UnaryOp, want: T.Type | None) -> T.Type:
        if isinstance(e.op, ast.Not):
            self.cond(e.operand)
            return T.BOOL
        t = self.expr(e.operand, want)
        if t == T.UNTYPED:
            v = e.operand.const  # type: ignore[attr-defined]
            e.const = -v if isinstance(e.op, ast.USub) else (~v if isinstance(e.op, ast.Invert) else v)  # type: ignore
            return T.UNTYPED
        if t == T.F64 and not isinstance(e.op, ast.Invert):
            return T.F64
        ti = T.as_int(t)
        if ti is None:
            raise self.report.error(e, f"unary '{ast.unparse(e)[0]}' needs an integer, not {t}",
                                    "bits(x) is an f64's bits as a u64" if t == T.F64 else "for a bool write 'not x'")
        if isinstance(e.operand, ast.Constant) is False and hasattr(e.operand, "const") and isinstance(e.op, ast.USub):
            pass
        return ti

    def e_BinOp(self, e: ast.BinOp, want: T.Type | None) -> T.Type:
        op = type(e.op)
        if op not in ARITH and op is not ast.Div:
            spelling, hint = OTHER_OPS[op]
            raise self.report.error(e, f"operator '{spelling}' is not supported", hint)
        lt = self.expr(e.left, want)
        rt = self.expr(e.right, None if op in (ast.LShift, ast.RShift) else want)
        if T.F64 in (lt, rt):
            return self._float_binop(e, op, lt, rt)
        if op is ast.Div:
            hint = "'//' floors as in Python; '%' is the remainder"
            if want == T.F64:
                hint += "; an f64 quotient divides f64 values: f64(n) / 2.0"
            raise self.report.error(e, "'/' is not defined on integers: use '//' (floor division)", hint)
        if lt == T.UNTYPED and rt == T.UNTYPED:
            value = self.scope.const_value(_const_node(e))
            e.const = value  # type: ignore[attr-defined]
            return T.UNTYPED
        if isinstance(lt, T.PtrType) and op in (ast.Add, ast.Sub):
            if op is ast.Sub and isinstance(rt, T.PtrType):
                if rt != lt:
                    raise self.report.error(e, f"cannot subtract {rt} from {lt}",
                                            "subtract pointers of one type: cast one side first")
                e.kind = "ptrdiff"  # type: ignore[attr-defined]
                return T.I64
            self._index_type(e.right)
            e.kind = "ptrarith"  # type: ignore[attr-defined]
            return lt
        if lt == T.BOOL and rt == T.BOOL and op in (ast.BitAnd, ast.BitOr, ast.BitXor):
            return T.BOOL
        if op in (ast.LShift, ast.RShift):
            if lt == T.UNTYPED:
                self.coerce(e.left, want if T.as_int(want) else T.I64)
            li = T.as_int(e.left.ty)  # type: ignore[attr-defined]
            if li is None:
                raise self.report.error(e.left, f"'{ARITH[op]}' needs integers, not {e.left.ty}",  # type: ignore
                                        "shift integers; an enum converts with int(x)")
            self._shift_count(e.right, li)
            return li
        if lt == T.UNTYPED:
            lt = self._adopt(e.left, rt, e)
        elif rt == T.UNTYPED:
            rt = self._adopt(e.right, lt, e)
        li, ri = T.as_int(lt), T.as_int(rt)
        if li is None or ri is None:
            bad = e.left if li is None else e.right
            raise self.report.error(bad, f"'{ARITH[op]}' needs integers, not {bad.ty}",  # type: ignore
                                    "arithmetic is on integers (and Ptr +/- n); bools take & | ^; "
                                    "convert with int(x) or cast(u64, p)")
        result = T.common_int(li, ri) or self._mix_error(e, li, ri)
        self._check_div(op, e.right)
        return result

    def _float_binop(self, e: ast.BinOp, op: type, lt: T.Type, rt: T.Type) -> T.Type:
        """f64 arithmetic: + - * / on two f64 (a number literal becomes one); nothing mixes."""
        if op not in FLOAT_ARITH:
            raise self.report.error(e, f"'{ARITH[op]}' is not defined on f64", _float_op_hint(op))
        for side, t in ((e.left, lt), (e.right, rt)):
            if t == T.UNTYPED:
                self.coerce(side, T.F64)
            elif t != T.F64:
                if T.as_int(t) or t == T.BOOL:
                    raise self.report.error(e, f"'{FLOAT_ARITH[op]}' mixes f64 and {t}",
                                            f"convert the integer explicitly: f64({ast.unparse(side)})")
                raise self.report.error(e, f"cannot combine f64 with {t}",
                                        "f64 arithmetic takes f64 values and number literals")
        return T.F64

    def _adopt(self, const: ast.expr, other: T.Type, e: ast.expr) -> T.Type:
        if other == T.F64:
            self.coerce(const, T.F64)
            return T.F64
        oi = T.as_int(other)
        if oi is None:
            raise self.report.error(e, f"cannot combine {other} with an integer",
                                    "integer constants combine with integers, and a Ptr moves by p + n")
        self.coerce(const, oi)
        return oi

    def _shift_count(self, count: ast.expr, of: T.IntType) -> None:
        c = getattr(count, "const", None)
        if c is not None and count.ty != T.UNTYPED and not 0 <= c < of.bits:  # type: ignore[attr-defined]
            raise self.report.error(count, f"shift count {c} is out of range for {of} (0..{of.bits - 1})",
                                    _shift_hint(of))
        if count.ty == T.UNTYPED:  # type: ignore[attr-defined]
            if not 0 <= count.const < of.bits:  # type: ignore[attr-defined]
                raise self.report.error(count, f"shift count {count.const} is out of range for {of} "  # type: ignore
                                        f"(0..{of.bits - 1})", _shift_hint(of))
            self.coerce(count, T.U32)
        elif T.as_int(count.ty) is None:  # type: ignore[attr-defined]
            raise self.report.error(count, f"a shift count is an integer, not {count.ty}",  # type: ignore
                                    "shift by an integer; an enum converts with int(x)")

    def _check_div(self, op: type, divisor: ast.expr) -> None:
        if op in (ast.FloorDiv, ast.Mod) and getattr(divisor, "const", None) == 0:
            raise self.report.error(divisor, "division by zero",
                                    "divide by a non-zero value; test a computed divisor before dividing")

    def _mix_error(self, e: ast.AST, a: T.IntType, b: T.IntType) -> T.IntType:
        raise self.report.error(e, f"mixing {a} and {b} needs a cast: no integer type holds both",
                                f"cast one side, e.g. {a}(y) or {b}(x)")

    def e_BoolOp(self, e: ast.BoolOp, want: T.Type | None) -> T.Type:
        """In a value, `and`/`or` combine bools (Python would return an operand instead);
        in a condition (if, while, not, assert) integers and pointers are tested too."""
        for v in e.values:
            if self.expr(v) != T.BOOL:
                raise self.report.error(v, f"'and'/'or' in a value take bools, not {v.ty}",  # type: ignore
                                        "compare explicitly (x != 0, p is not None), or use it in a condition")
        return T.BOOL

    def e_IfExp(self, e: ast.IfExp, want: T.Type | None) -> T.Type:
        self.cond(e.test)
        a, b = self.expr(e.body, want), self.expr(e.orelse, want)
        if a == T.UNTYPED and b == T.UNTYPED:
            t = want if T.as_int(want) or want == T.F64 else T.I64
        elif a == T.UNTYPED or a == T.NULL:
            t = b
        elif b == T.UNTYPED or b == T.NULL:
            t = a
        else:
            ai, bi = T.as_int(a), T.as_int(b)
            t = (T.common_int(ai, bi) or self._mix_error(e, ai, bi)) if ai and bi and a != b else a
        self.coerce(e.body, t)  # type: ignore[arg-type]
        self.coerce(e.orelse, t)  # type: ignore[arg-type]
        return t  # type: ignore[return-value]

    def e_Compare(self, e: ast.Compare, want: T.Type | None) -> T.Type:
        operands = [e.left, *e.comparators]
        for o in operands:
            self.expr(o)
        e.kaa_types = []  # type: ignore[attr-defined]
        for i, op in enumerate(e.ops):
            a, b = operands[i], operands[i + 1]
            e.kaa_types.append(self._compare_pair(e, type(op), a, b))  # type: ignore[attr-defined]
        return T.BOOL

    def _compare_pair(self, e: ast.Compare, op: type, a: ast.expr, b: ast.expr) -> T.Type:
        if op in (ast.In, ast.NotIn):
            word = "in" if op is ast.In else "not in"
            raise self.report.error(e, f"'{word}' is not supported",
                                    "compare explicitly (x == a or x == b) or loop over the Array or Slice")
        at, bt = a.ty, b.ty  # type: ignore[attr-defined]
        for side, t in ((a, at), (b, bt)):
            if t == T.VOID or isinstance(t, T.FnType) and op not in (ast.Eq, ast.NotEq, ast.Is, ast.IsNot):
                raise self.report.error(side, f"'{ast.unparse(side)}' is not a value that compares",
                                        "a call that returns None has no value; Fn values compare only with "
                                        "== and !=" if t == T.VOID else "Fn values compare only with == and !=")
        if op in (ast.Is, ast.IsNot):
            if not (bt == T.NULL or at == T.NULL):
                raise self.report.error(e, "'is' only compares with None", "use == and != for values")
        if at == T.UNTYPED and bt == T.UNTYPED:
            self.finalize(a), self.finalize(b)
            at, bt = a.ty, b.ty  # type: ignore[attr-defined]
        elif at == T.UNTYPED:
            at = self._adopt(a, bt, e)
        elif bt == T.UNTYPED:
            bt = self._adopt(b, at, e)
        if at == T.NULL and bt == T.NULL:
            raise self.report.error(e, "comparing None with None", "compare a pointer with None: p is None")
        if at == T.NULL:
            self.coerce(a, bt)
            return bt
        if bt == T.NULL:
            self.coerce(b, at)
            return at
        ai, bi = T.as_int(at), T.as_int(bt)
        if ai and bi:
            return T.common_int(ai, bi) or self._mix_error(e, ai, bi)
        if at != bt:
            if T.F64 in (at, bt) and (T.as_int(at) or T.as_int(bt)):
                side = b if at == T.F64 else a
                raise self.report.error(e, f"cannot compare {at} with {bt}",
                                        f"convert the integer explicitly: f64({ast.unparse(side)})")
            raise self.report.error(e, f"cannot compare {at} with {bt}",
                                    "compare values of one type: convert one side (u64(x), cast(Ptr[T], p))")
        if isinstance(at, (T.StructType, T.ArrayType, T.SliceType)):
            raise self.report.error(e, f"cannot compare {at} values", "compare their fields or elements")
        if op not in (ast.Eq, ast.NotEq, ast.Is, ast.IsNot) and not isinstance(at, T.PtrType) and at != T.F64:
            raise self.report.error(e, f"{at} values only compare with == and !=",
                                    "integers, f64 and pointers are ordered; convert with int(x) to order an enum")
        return at

    def e_Call(self, e: ast.Call, want: T.Type | None) -> T.Type:
        from kaa.compiler.calls import check_call
        return check_call(self, e, want)

    # ---- helpers used by calls.py and fstrings.py ---------------------------------
    def _builtin_name(self, name: str) -> bool:
        """True when `name` means the builtin (no local or module name shadows it)."""
        return name not in self.locals and self.func.module.lookup(name) is None

    def _local_type(self, name: str) -> T.Type | None:
        if name in self.locals:
            return self.locals[name]
        if name in self.globals_declared:
            return self.func.module.lookup(name).type  # type: ignore[union-attr]
        return None

    def text_arg(self, e: ast.expr) -> None:
        """An argument of print/panic/write: a Str, an integer, an f-string, ..."""
        fstrings.check_text(self, e)

    def cond(self, e: ast.expr) -> None:
        if isinstance(e, ast.BoolOp):
            for v in e.values:
                self.cond(v)
            e.ty = T.BOOL  # type: ignore[attr-defined]
            return
        t = self.expr(e)
        if t == T.UNTYPED:
            self.finalize(e)
            return
        if not (t == T.BOOL or T.as_int(t) or isinstance(t, (T.PtrType, T.FnType))):
            raise self.report.error(e, f"a condition is a bool, an integer or a pointer, not {t}",
                                    "compare it: x != 0.0" if t == T.F64 else
                                    "test something it holds, e.g. len(s) != 0 or p.count > 0")

    def is_lvalue(self, e: ast.expr) -> bool:
        kind = getattr(e, "kind", None)
        if isinstance(e, ast.Name):
            return kind in ("local", "global")
        if isinstance(e, ast.Attribute):
            if e.attr == "ptr" and isinstance(e.value.ty, T.StrType):  # type: ignore[attr-defined]
                return False
            return kind in ("arrow", "global") or (kind == "field" and self.is_lvalue(e.value))
        if isinstance(e, ast.Subscript) and not isinstance(e.slice, ast.Slice):
            bt = e.value.ty  # type: ignore[attr-defined]
            return isinstance(bt, (T.PtrType, T.SliceType)) or (isinstance(bt, T.ArrayType) and self.is_lvalue(e.value))
        return False

    def finalize(self, e: ast.expr) -> None:
        """Give an untyped constant its default type."""
        if getattr(e, "ty", None) != T.UNTYPED:
            return
        default = getattr(e, "default_ty", None)
        if default is None:
            default = T.int_type_for(e.const)  # type: ignore[attr-defined]
            if default is None:
                raise self.report.error(e, f"value {e.const} does not fit in 64 bits",  # type: ignore
                                        "integers have at most 64 bits: i64 or u64")
        self.coerce(e, default)

    def coerce(self, e: ast.expr, target: T.Type) -> None:
        e.ty = self.coerce_type(e, e.ty, target)  # type: ignore[attr-defined]
        if T.holds_f64(e.ty):  # type: ignore[attr-defined]
            self.func.uses_f64 = True

    def coerce_type(self, e: ast.AST, src: T.Type, target: T.Type) -> T.Type:
        if src == target:
            return target
        ti = T.as_int(target)
        if src == T.UNTYPED:
            v = e.const  # type: ignore[attr-defined]
            if target == T.F64:
                if not exact_double(v):
                    raise self.report.error(e, f"the integer {v} is not exactly an f64",
                                            "f64 holds integers exactly up to 2**53; write a float literal "
                                            "to round it on purpose")
                return target
            if ti is None:
                raise self.report.error(e, f"expected {target}, got the integer {v}", conversion_hint(T.I64, target))
            if not ti.min <= v <= ti.max:
                raise self.report.error(e, f"value {v} is out of range for {target} ({ti.min}..{ti.max})",
                                        range_hint(v, ti))
            return target
        if src == T.NULL and isinstance(target, (T.PtrType, T.FnType)):
            return target
        if isinstance(src, T.PtrType) and target == T.PtrType(T.VOID):
            return target
        si = T.as_int(src)
        if si and ti:
            if isinstance(target, T.EnumType) and src != target:
                raise self.report.error(e, f"expected {target}, got {src}", f"write {target.name()}(x) to convert")
            if ti.holds(si):
                return target
            raise self.report.error(e, f"narrowing {src} to {target} needs a cast",
                                    f"write {ti}(...) to convert explicitly (it truncates)")
        raise self.report.error(e, f"expected {target}, got {src}", conversion_hint(src, target))


ASSIGNABLE = "assign to a variable, a field, or an element of a Ptr, an Array or a Slice"


def exact_double(v: int) -> bool:
    """Whether the integer v is a double's exact value."""
    try:
        return float(v) == v
    except OverflowError:
        return False


def _float_op_hint(op: type) -> str:
    if op in (ast.FloorDiv, ast.Mod):
        return "f64 takes + - * /: i64(x / y) truncates a quotient toward zero; Python's floored '//' and '%' " \
               "on floats are not provided"
    return "f64 takes + - * / and comparisons; bits(x) is its bits as a u64"


def range_hint(v: int, t: T.IntType) -> str:
    """What to write for a constant that does not fit its type."""
    wider = T.fitting_type(v, t)
    if wider is None:
        return "integers have at most 64 bits"
    return f"use a wider type such as {wider}, or truncate on purpose with {t}({v})"


def _shift_hint(of: T.IntType) -> str:
    if of.bits == 64:
        return "a 64-bit value shifts by 0..63"
    return f"shift a wider value for a larger count: u64(x) << n ({of} shifts take 0..{of.bits - 1})"


def conversion_hint(src: T.Type, target: T.Type) -> str:
    """How to turn a src into a target, where Kaa has a way."""
    if isinstance(target, T.PtrType) and isinstance(src, T.StructType) and target.target == src:
        return "pass its address: addr(x)"
    if isinstance(src, T.PtrType) and T.as_int(target):
        return "a pointer's address is cast(u64, p)"
    if isinstance(target, (T.PtrType, T.FnType)) and (T.as_int(src) or src == T.UNTYPED or isinstance(src, T.PtrType)):
        return f"write cast({target}, x) to convert (None is the null pointer)"
    if isinstance(target, T.SliceType) and isinstance(src, T.ArrayType) and src.elem == target.elem:
        return "slice it: a[0:len(a)] is a Slice of the whole Array"
    if target == T.BYTES and src == T.STR:
        return "s.bytes() is a Str's Bytes"
    if target == T.BOOL and T.as_int(src):
        return "compare it: x != 0"
    if src == T.F64 and T.as_int(target) and not isinstance(target, T.EnumType):
        return f"write {target}(x) to convert (it truncates toward zero; out of range panics)"
    if target == T.F64 and (src == T.BOOL or T.as_int(src)):
        return "write f64(x) to convert"
    if T.as_int(target) and (src == T.BOOL or T.as_int(src)):
        return f"write {target}(x) to convert"
    if isinstance(target, T.FnType) and isinstance(src, T.FnType):
        return f"the function must take and return exactly what {target} says"
    return f"this place holds a {target}; pass a value of that type"


def check_utf8(c: "Checker", node: ast.AST, text: str) -> None:
    try:
        text.encode()
    except UnicodeEncodeError:
        raise c.report.error(node, "this string is not valid UTF-8 (it holds a lone surrogate)",
                             "write real characters; raw bytes go in a b\"...\" literal")


def _element_type(t: T.Type) -> T.Type | None:
    if isinstance(t, T.PtrType):
        return None if t.target == T.VOID else t.target
    if isinstance(t, (T.ArrayType, T.SliceType)):
        return t.elem
    if t == T.STR:
        return T.U8
    return None


def _const_node(e: ast.BinOp) -> ast.expr:
    """A copy of a constant BinOp whose operands are already-folded literals."""
    return ast.BinOp(left=ast.Constant(e.left.const), op=e.op, right=ast.Constant(e.right.const),  # type: ignore
                     lineno=e.lineno, col_offset=e.col_offset)


def always_returns(stmts: list[ast.stmt]) -> bool:
    """Conservatively, whether control cannot fall off the end of `stmts`."""
    return any(_returns(s) for s in stmts)


def _returns(last: ast.stmt) -> bool:
    if isinstance(last, ast.Return):
        return True
    if isinstance(last, ast.Expr) and getattr(last.value, "kind", None) == "panic":
        return True
    if isinstance(last, ast.If):
        return always_returns(last.body) and always_returns(last.orelse)
    if isinstance(last, ast.While):
        infinite = isinstance(last.test, ast.Constant) and last.test.value is True
        return infinite and not any(isinstance(n, ast.Break) for n in _same_loop(last.body))
    if isinstance(last, ast.With):
        return always_returns(last.body)
    return False


def _same_loop(stmts: list[ast.stmt]) -> Iterable[ast.AST]:
    for s in stmts:
        yield s
        if not isinstance(s, (ast.While, ast.For)):
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.stmt):
                    yield from _same_loop([child])


def check_program(program: Program) -> None:
    for mod in program.modules.values():
        for f in all_funcs(mod):
            Checker(program, f).check()
        for g in mod.globals:
            _check_global_init(program, mod, g)
    _check_inline_cycles(program)


def _check_inline_cycles(program: Program) -> None:
    """gcc cannot expand an always_inline function into itself: an @inline function may
    not reach itself through direct calls of @inline functions."""
    inline = [f for mod in program.modules.values() for f in all_funcs(mod) if "inline" in f.attrs]
    for start in inline:
        path = _inline_path(start, start, [], set())
        if path is not None:
            names = " -> ".join(f.name for f, _ in [(start, None), *path])
            which = "drop @inline" if len(path) == 1 else "drop @inline from one of them"
            raise start.module.report.error(path[0][1], f"@inline function '{start.name}' calls itself ({names})",
                                            f"gcc cannot inline a recursive function: {which}, or write the "
                                            "recursion as a loop")


def _inline_path(f: Func, goal: Func, path: list[tuple[Func, ast.Call]], seen: set[int]) \
        -> list[tuple[Func, ast.Call]] | None:
    for callee, call in f.calls:
        if "inline" not in callee.attrs:
            continue
        if callee is goal:
            return path + [(callee, call)]
        if id(callee) not in seen:
            seen.add(id(callee))
            found = _inline_path(callee, goal, path + [(callee, call)], seen)
            if found is not None:
                return found
    return None


def all_funcs(mod: Module) -> list[Func]:
    out = list(mod.funcs)
    for st in mod.structs:
        out.extend(st.methods.values())  # type: ignore[arg-type]
    return out


def _check_global_init(program: Program, mod: Module, g: Global) -> None:
    """A global's initial value is a constant: an integer, an f64, a bool, a Str, None or a function."""
    v = g.node.value
    if v is None:
        return
    dummy = Func(mod, "<global>", ast.FunctionDef(name="<global>", args=None, body=[], decorator_list=[]),  # type: ignore
                 "<global>")
    c = Checker(program, dummy)
    c.expr(v, g.type)
    c.coerce(v, g.type)
    negative_literal = isinstance(v, ast.UnaryOp) and isinstance(v.op, (ast.USub, ast.UAdd)) \
        and isinstance(v.operand, ast.Constant) and v.ty == T.F64  # type: ignore[attr-defined]
    ok = hasattr(v, "const") or (isinstance(v, ast.Constant)) or getattr(v, "kind", None) == "func" or negative_literal
    if not ok:
        raise mod.report.error(v, "a global's initial value is a constant",
                               "numbers, True/False, strings, None or a function name; set others in code")
