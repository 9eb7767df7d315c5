"""Lowering one function (or a module's top-level code) to a C function.

Lowering combines the statement, expression, call and built-in mixins over a
FunctionState (function.py). Names resolve to locals, then the module's globals,
functions and classes, then built-ins. A local's type is fixed by its annotation or its
first assignment (as mypy infers it); `is None` / isinstance tests narrow a name's type
inside the branch. Comprehensions are lowered in place with their own loop variables.
Lambdas become C functions called through KFunc objects (no captured variables yet).
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.access import AccessLowering
from kaa.service.builtins import BuiltinLowering
from kaa.service.calls import CallLowering
from kaa.service.array_lowering import ArrayLowering
from kaa.service.collections_lowering import CollectionsLowering
from kaa.service.expressions import ExpressionLowering
from kaa.service.function import FunctionState, Val, Var, c_string
from kaa.service.kernel_calls import KernelCallLowering
from kaa.service.statements import StatementLowering
from kaa.service.stdlib import StdlibLowering
from kaa.service.library import LibraryLowering
from kaa.service.symbols import FuncInfo, GlobalVar


class Lowering(FunctionState, StatementLowering, ExpressionLowering, AccessLowering, CallLowering,
               BuiltinLowering, KernelCallLowering, StdlibLowering, LibraryLowering, CollectionsLowering,
               ArrayLowering):
    def __init__(self, unit, func: FuncInfo | None, cname: str):
        super().__init__(unit.mod, unit.report, func, cname)
        self.unit = unit
        unit.lowering = self             # the innermost lowering, for internal-error positions
        self.declarer = unit.declarer
        self.vars: dict[str, Var] = {}
        self.narrowed: dict[str, T.Type] = {}
        self.global_names: set[str] = set()
        self.nonlocal_names: set[str] = set()
        self.pending_functions: list[str] = []
        self.self_cname = ""
        self.frame_prefix = ""          # generators: locals live in the frame object F
        self.captured: set[str] = set()  # locals nested functions use: they live in cells
        self.comp_cells: dict[str, str] = {}
        self.local_names: set[str] = set()
        self.yields = 0

    # ---- names ----

    def lookup_var(self, name: str) -> Var | None:
        if name in self.vars and name not in self.global_names:
            return self.vars[name]
        if name in self.local_names and name not in self.global_names:
            return None                 # a local not yet assigned: never the global of that name
        g = self.mod.globals.get(name)
        if g is not None:
            return Var(name, g.type, g.cname, is_global=True)
        return None

    def declare_var(self, name: str, t: T.Type, node: ast.AST) -> Var:
        if self.func is None or name in self.global_names:
            g = self.mod.globals.get(name)
            if g is None:
                g = GlobalVar(name, t, f"G_{self.mod.prefix}_{name}", node)
                self.mod.globals[name] = g
                self.unit.global_order.append(g)
            elif g.type != t:
                raise self.report.error(node, f"'{name}' was declared as {g.type}", f"assign a {g.type}")
            return Var(name, g.type, g.cname, is_global=True)
        if name in self.captured and name not in self.vars:
            var = Var(name, t, f"v_{name}", cell=True)
            self.vars[name] = var
            return var
        if name in self.vars:
            var = self.vars[name]
            if var.type != t:
                raise self.report.error(node, f"'{name}' was declared as {var.type}, not {t}",
                                        "use another name for a value of another type")
            return var
        var = Var(name, t, self.local(f"v_{name}", t.c_type))
        self.vars[name] = var
        return var

    def return_type(self) -> T.Type:
        if self.func is None:
            raise self.report.error(self.node, "'return' outside a function", "use sys.exit() to end the program")
        if self.func.node is not None and isinstance(self.func.node, ast.FunctionDef) and \
                self.func.node.name == "__init__":
            return T.NONE
        return self.func.ret

    def function_type(self, f: FuncInfo) -> T.CallableT:
        return T.CallableT("callable", tuple(p.type for p in f.params), f.ret)

    # ---- function bodies ----

    def lower_body(self, body: list[ast.stmt], params: list[tuple[str, T.Type]], self_param: str | None) -> None:
        assigned = assigned_names(body)
        declared_global = {n for s in body for x in ast.walk(s) if isinstance(x, ast.Global) for n in x.names}
        self.global_names |= declared_global
        self.local_names = assigned - declared_global
        self.captured = captured_names(body, {n for n, _ in params} | assigned) - set(self.vars)
        for name in sorted(self.captured):
            self.emit(f"{self.local(f'v_{name}', 'kval')} = k_cell_new();")
        if self_param is not None:
            self.self_cname = "self"
            owner = self.func.owner  # type: ignore[union-attr]
            t = owner.type_obj if self.func.kind == "classmethod" else owner.instance
            self.vars[self_param] = Var(self_param, t, "self")
        for name, t in params:
            if name in self.captured:
                var = Var(name, t, f"v_{name}", cell=True)
                self.store_var(var, Val(f"a_{name}", t))
            elif name in assigned and t.is_object:
                var = Var(name, t, self.local(f"v_{name}", "kval"))
                self.emit(f"{var.cname} = k_newref(a_{name});")
            else:
                var = Var(name, t, f"a_{name}")
            self.vars[name] = var
        falls = self.block(body)
        if falls and self.func is not None and self.func.abstract:
            # an abstract method's placeholder body, reached only through super(): no value to return
            self.emit("k_raise_str(&k_NotImplementedError_type, \"\");")
            self.emit(f"goto {self.error_block()};")
            falls = False
        if falls and self.func is not None and self.return_type() not in (T.NONE, T.OBJECT) and \
                not isinstance(self.return_type(), T.OptionalT) and not self.func.is_generator:
            raise self.report.error(self.func.node, f"'{self.func.name}' can end without returning a {self.return_type()}",
                                    "add a return statement at the end")

    def c_function(self, signature: str, ret_c: str, ok_value: str, err_value: str, file_c: str,
                   func_name: str) -> str:
        """The C text of the lowered function, with its declarations and exits."""
        # its prologue belongs to the def line (a fault there is symbolized to it, not to
        # whatever C line came before)
        line = self.func.node.lineno if self.func is not None and self.func.node is not None else 1
        out = [f"#line {line} {file_c}", f"{signature} {{"]
        for name, ctype in self.decls.items():
            real = "kval" if ctype == "kval_b" else ctype
            out.append(f"    {real} {name} = {'{0}' if real.startswith('kaa_') else '0'};")
        out.append(f"    {ret_c} ret = {ok_value};")
        out.extend(self.lines)
        # A normal exit has released every temporary already (each statement releases its
        # own, a return those of its statement and loops): only the error exit has to.
        out.append("    goto L_out;")
        out.append(f"L_error: ret = {err_value};")
        for name, ctype in self.decls.items():
            if ctype == "kval" and name.startswith("t"):
                out.append(f"    k_xdecref({name});")
        out.append("L_out:;")
        for name, ctype in self.decls.items():
            if ctype == "kval" and not name.startswith("t"):
                out.append(f"    k_xdecref({name});")
        out.append("    return ret;")
        self.lines = []
        self.emit_error_blocks(file_c, func_name)
        out.extend(self.lines)
        out.append("}")
        return "\n".join(out)

    # ---- module code ----

    def block_module(self, body: list[ast.stmt]) -> None:
        """The module's top level: statements run in order; def and class evaluate what
        CPython evaluates when it executes them (non-constant defaults, class constants)."""
        from kaa.service.declare import is_typevar
        for s in body:
            if is_typevar(s):
                continue                    # a name for the type checker only
            if isinstance(s, ast.FunctionDef):
                self.module_def(self.mod.functions[s.name], s)
            elif isinstance(s, ast.ClassDef):
                self.module_class(s)
            else:
                self.stmt(s)

    def module_def(self, f: FuncInfo, node: ast.FunctionDef) -> None:
        from kaa.service.calls import is_immutable_literal
        for p in f.params:
            if p.default is None or is_immutable_literal(p.default):
                continue
            g = self.declare_var(f"__default_{f.name}_{p.name}", p.type, p.default)
            self.begin_statement(node)
            self.store_var(g, self.coerce(self.expr(p.default, p.type), p.type, p.default))
            self.end_statement()
            f.defaults_cnames[p.name] = g.cname

    def module_class(self, node: ast.ClassDef) -> None:
        info = self.mod.classes[node.name]
        if info.enum_kind is not None:
            self.enum_members(info)
        for item in node.body:
            if info.enum_kind is not None and isinstance(item, ast.Assign):
                continue
            target = item.targets[0] if isinstance(item, ast.Assign) else getattr(item, "target", None)
            if not isinstance(target, ast.Name) or target.id not in info.constants or item.value is None:
                continue
            t, cname = info.constants[target.id]
            self.begin_statement(item)
            v = self.coerce(self.expr(item.value, t), t, item.value)
            if t.is_object:
                self.emit(f"{cname} = {self.owned(v)};")
                if v.owned:
                    self.disown(v.code)
            else:
                self.emit(f"{cname} = {v.code};")
            self.end_statement()
        for m in info.methods.values():
            if not isinstance(m.node, ast.FunctionDef):
                continue
            from kaa.service.calls import is_immutable_literal
            for p in m.params:
                if p.default is not None and not is_immutable_literal(p.default) and \
                        p.name not in getattr(m, "factories", ()):
                    g = self.declare_var(f"__default_{info.name}_{m.name}_{p.name}", p.type, p.default)
                    self.begin_statement(node)
                    self.store_var(g, self.coerce(self.expr(p.default, p.type), p.type, p.default))
                    self.end_statement()
                    m.defaults_cnames[p.name] = g.cname

    def enum_members(self, info) -> None:
        """Create an enum's members in order, each a class constant, and the list that
        iteration, len() and lookups by value and name go through (KType.enum_members).
        auto() counts on from the last int value (1 first); a StrEnum's is the name in
        lower case, as CPython's."""
        ctor = self.unit.constructor(info)
        last = 0
        self.emit(f"{info.cname}__members = k_list_new({len(info.enum_members)});")
        for name, v in info.enum_members:
            self.begin_statement(v)
            if isinstance(v, ast.Call):                   # auto()
                value = ast.Constant(name.lower()) if info.enum_kind == "StrEnum" else ast.Constant(last + 1)
                ast.copy_location(value, v)
            else:
                value = v
            if isinstance(value, ast.Constant) and isinstance(value.value, int) and not isinstance(value.value, bool):
                last = value.value
            val = self.coerce(self.expr(value), info.fields["value"], v)
            cname = info.constants[name][1]
            self.emit(f"{cname} = {ctor.cname}({self.unit.str_literal(name)}, {val.code});")
            self.check(f"!{cname}")
            self.emit(f"k_list_append({info.cname}__members, {cname});")
            self.end_statement()

    # ---- comprehensions ----

    def e_ListComp(self, node: ast.ListComp, expected: T.Type | None) -> Val:
        return self.comprehension(node, "list", expected)

    def e_SetComp(self, node: ast.SetComp, expected: T.Type | None) -> Val:
        return self.comprehension(node, "set", expected)

    def e_DictComp(self, node: ast.DictComp, expected: T.Type | None) -> Val:
        return self.comprehension(node, "dict", expected)

    def e_GeneratorExp(self, node: ast.GeneratorExp) -> Val:
        """A lazy generator, as CPython's: a generator function made from the expression
        (`for x in it: if c: yield elt`), called with the first iterable (evaluated here,
        as CPython does) and the cells of the variables it reads."""
        first = self.expr(node.generators[0].iter)
        if T.iter_elem(first.type) is None:
            raise self.report.error(node.generators[0].iter, f"cannot iterate over {first.type}",
                                    "iterate over a container or an iterator")
        elem = self.genexpr_elem_type(node)
        param = "genexpr_iterable"
        body: list[ast.stmt] = [ast.Expr(ast.Yield(node.elt))]
        for i, gen in reversed(list(enumerate(node.generators))):
            for cond in reversed(gen.ifs):
                body = [ast.If(test=cond, body=body, orelse=[])]
            it = ast.Name(param, ast.Load()) if i == 0 else gen.iter
            body = [ast.For(target=gen.target, iter=it, body=body, orelse=[])]
        for n in ast.walk(ast.Module(body=body, type_ignores=[])):
            if not hasattr(n, "lineno") or getattr(n, "lineno", None) is None:
                ast.copy_location(n, node)
        bound = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} - bound
        free = sorted(n for n in used if n in self.vars and not self.vars[n].is_global)
        cells = [(n, self.narrowed.get(n, self.vars[n].type)) for n in free]
        cname = self.unit.lower_genexpr(body, param, first.type, elem, cells)
        clo = self.into_temp(f"k_closure_new(0, {len(free)})", T.OBJECT)
        self.fill_cells(clo.code, free, node)
        return self.into_temp(f"{cname}({clo.code}, {self.box(first).code})", T.IteratorT("iterator", elem))

    def genexpr_elem_type(self, node: ast.GeneratorExp) -> T.Type:
        saved = dict(self.vars), dict(self.narrowed)
        try:
            for gen in node.generators:
                elem = T.iter_elem(self.peek_type(gen.iter)) or T.OBJECT
                self.bind_types(gen.target, elem)
                for cond in gen.ifs:
                    self.narrowed.update(self.narrowings(cond)[0])
            return self.peek_type(node.elt)
        finally:
            self.vars, self.narrowed = saved

    def bind_types(self, target: ast.expr, t: T.Type) -> None:
        """Names of a loop target, typed for peeking (no code)."""
        if isinstance(target, ast.Name):
            self.vars[target.id] = Var(target.id, t, f"peek_{target.id}")
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(t, T.TupleT):
            items = t.items if t.var is None else (t.var,) * len(target.elts)
            for e, et in zip(target.elts, items):
                self.bind_types(e, et)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for e in target.elts:
                self.bind_types(e, T.iter_elem(t) or T.OBJECT)

    def comprehension(self, node, kind: str, expected: T.Type | None) -> Val:
        saved_vars = dict(self.vars)
        saved_globals = set(self.global_names)
        saved_narrow = dict(self.narrowed)
        targets = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        lambda_names = {n.id for lam in ast.walk(node) if isinstance(lam, ast.Lambda)
                        for n in ast.walk(lam) if isinstance(n, ast.Name)}
        self.comp_cells = {}
        for name in sorted(targets & lambda_names):
            cell = self.local(f"cc{self.new_label('')[1:]}_{name}", "kval")
            self.emit(f"k_xdecref({cell}); {cell} = k_cell_new();")
            self.comp_cells[name] = cell
        result = self.temp("kval")
        held_result = result
        self.stmt_temps.remove(result)
        self.emit(f"{result} = {'k_dict_new()' if kind == 'dict' else 'k_set_new()' if kind == 'set' else 'k_list_new(0)'};")
        out_type: list[T.Type] = []

        def body(i: int) -> None:
            if i == len(node.generators):
                self.comprehension_element(node, kind, result, expected, out_type)
                return
            gen = node.generators[i]
            if gen.is_async:
                raise self.report.error(node, "async comprehensions are not supported", "use a plain for")
            seq = self.expr(gen.iter)
            elem = T.iter_elem(seq.type)
            if elem is None:
                raise self.report.error(gen.iter, f"cannot iterate over {seq.type}", "iterate over a container")
            it = self.into_temp(f"k_iter({self.box(seq).code})", T.OBJECT, "!{}")
            self.stmt_temps.remove(it.code)
            cur = self.temp("kval")
            self.stmt_temps.remove(cur)
            top, end = self.new_label("comp"), self.new_label("comp_end")
            self.label(top)
            insert_at = len(self.lines)
            self.emit(f"k_xdecref({cur}); {cur} = k_next({it.code});")
            self.emit(f"if (!{cur}) {{ if (k_exc) goto {self.error_block()}; goto {end}; }}")
            mark = len(self.stmt_temps)
            self.bind_comprehension_target(gen.target, Val(cur, T.OBJECT), elem)
            for cond in gen.ifs:
                pos, _ = self.narrowings(cond)
                self.emit(f"if (!({self.truth(cond)})) goto {top};")
                self.narrowed.update(pos)
            body(i + 1)
            inner = self.stmt_temps[mark:]
            del self.stmt_temps[mark:]
            release = ["    " * self.indent + f"k_xdecref({t}); {t} = 0;" for t in inner]
            self.lines[insert_at:insert_at] = release      # each round releases the last one's values
            self.emit(f"goto {top};")
            self.label(end)
            self.lines.extend(release)
            for t in (it.code, cur):
                self.emit(f"k_xdecref({t}); {t} = 0;")
            self.free.setdefault("kval", []).extend(inner + [it.code, cur])

        body(0)
        self.vars, self.global_names, self.narrowed = saved_vars, saved_globals, saved_narrow
        self.stmt_temps.append(held_result)
        if not out_type:
            raise self.report.error(node, "empty comprehension", "")
        elem_t = out_type[0]
        t = {"list": lambda: T.ListT("list", elem_t), "set": lambda: T.SetT("set", elem_t),
             "dict": lambda: elem_t}[kind]()
        return Val(result, t, True)

    def bind_comprehension_target(self, target: ast.expr, item: Val, elem: T.Type) -> None:
        names = [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        for n in names:
            self.vars.pop(n, None)
            self.global_names.discard(n)
        # below: fresh C locals, so the comprehension's names never touch the function's own
        if isinstance(target, ast.Name):
            if target.id in self.comp_cells:
                var = Var(target.id, elem, self.comp_cells[target.id], cell=True)
            else:
                var = Var(target.id, elem, self.local(f"c{self.new_label('')[1:]}_{target.id}", elem.c_type))
            self.vars[target.id] = var
            self.store_var(var, self.unbox(item, elem) if not elem.is_object else Val(item.code, elem))
            return
        if isinstance(target, ast.Tuple) and isinstance(elem, (T.TupleT, T.ListT)):
            if isinstance(elem, T.ListT):
                types = [elem.elem] * len(target.elts)
            else:
                types = list(elem.items) if elem.var is None else [elem.var] * len(target.elts)
            for n, et in zip(target.elts, types):
                if isinstance(n, ast.Name):
                    self.vars[n.id] = Var(n.id, et, self.local(f"c{self.new_label('')[1:]}_{n.id}", et.c_type))
            self.unpack(target, Val(item.code, elem))
            return
        raise self.report.error(target, "this comprehension target is not supported", "use a name or a tuple of names")

    def comprehension_element(self, node, kind: str, result: str, expected: T.Type | None,
                              out_type: list[T.Type]) -> None:
        if kind == "dict":
            kt = expected.key if isinstance(expected, T.DictT) else None
            vt = expected.value if isinstance(expected, T.DictT) else None
            k = self.expr(node.key, kt)
            v = self.expr(node.value, vt)
            t = T.DictT("dict", kt or k.type, vt or v.type)
            if not out_type:
                out_type.append(t)
            kb = self.box(self.coerce(k, t.key, node.key))
            vb = self.box(self.coerce(v, t.value, node.value))
            self.check(f"k_dict_setitem({result}, {kb.code}, {vb.code})")
        else:
            et = expected.elem if isinstance(expected, (T.ListT, T.SetT)) else None
            v = self.expr(node.elt, et)
            if not out_type:
                out_type.append(et or v.type)
            b = self.box(self.coerce(v, out_type[0], node.elt))
            if kind == "list":
                self.check(f"k_list_append_fast({result}, {b.code})")
            else:
                self.check(f"k_set_add({result}, {b.code})")

    # ---- generators ----

    def e_Yield(self, node: ast.Yield) -> Val:
        if self.func is None or not self.func.is_generator:
            raise self.report.error(node, "'yield' outside a generator function", "yield inside a def")
        elem = self.func.ret.elem if isinstance(self.func.ret, T.IteratorT) else T.OBJECT
        v = self.expr(node.value, elem) if node.value is not None else Val("k_None", T.NONE)
        v = self.box(self.coerce(v, elem, node))
        self.yields += 1
        self.emit(f"F->state = {self.yields};")
        if v.owned:           # the reference goes to the caller: the frame must not keep it
            self.stmt_temps.remove(v.code)
            self.free.setdefault("kval", []).append(v.code)
            self.emit(f"{{ kval y = {v.code}; {v.code} = 0; return y; }}")
        else:
            self.emit(f"return {self.owned(v)};")
        self.label(f"Y{self.yields}")
        return Val("k_None", T.NONE)

    def e_YieldFrom(self, node: ast.YieldFrom) -> Val:
        raise self.report.error(node, "'yield from' is not supported", "use: for x in it: yield x")

    # ---- lambdas and nested functions ----

    def e_Lambda(self, node: ast.Lambda, expected: T.Type | None) -> Val:
        if isinstance(expected, T.OptionalT) and isinstance(expected.inner, T.CallableT):
            expected = expected.inner                     # key: Callable[[T], K] | None = None
        if not isinstance(expected, T.CallableT):
            expected = self.lambda_context_type(node)
        if len(expected.params) != len(node.args.args):
            raise self.report.error(node, f"this lambda takes {len(node.args.args)} arguments where "
                                    f"{len(expected.params)} are expected", f"the expected type is {expected}")
        fn_t = expected
        body = [ast.Return(value=node.body, lineno=node.lineno, col_offset=node.col_offset)]
        params = [(a.arg, t) for a, t in zip(node.args.args, fn_t.params)]
        free = [n for n in free_names(node, {a.arg for a in node.args.args}) if n in self.vars]
        if not free:
            return Val(self.unit.lambda_function(node, expected), expected)
        return self.make_closure("lambda", body, params, fn_t, free, node)

    def make_closure(self, name: str, body: list[ast.stmt], params: list[tuple[str, T.Type]], fn_t: T.CallableT,
                     free: list[str], node: ast.AST, self_name: str | None = None) -> Val:
        """A KClosure sharing the cells of the locals `free` with the new function."""
        cells = [(n, self.vars[n].type if self.vars[n].cell else self.narrowed.get(n, self.vars[n].type))
                 for n in free]
        cname = self.unit.lower_closure(name, body, params, fn_t, cells, node, self_name)
        clo = self.into_temp(f"k_closure_new({cname}__call, {len(free)})", fn_t)
        self.fill_cells(clo.code, free, node)
        return clo

    def fill_cells(self, clo: str, free: list[str], node: ast.AST) -> None:
        """Share the parent's cells; a name the parent never assigns (self, a parameter) is
        captured by value in a cell of its own."""
        for i, n in enumerate(free):
            var = self.vars[n]
            if var.cell:
                self.emit(f"((KClosure *){clo})->cells[{i}] = k_newref({var.cname});")
            elif n not in self.local_names or var.cname == "self":
                v = self.box(self.expr(ast.Name(n, ast.Load(), lineno=node.lineno, col_offset=node.col_offset)))
                self.emit(f"((KClosure *){clo})->cells[{i}] = k_cell_of({v.code});")
            else:
                raise self.report.error(node, f"'{n}' is used by a nested function but was not captured",
                                        "assign it before the nested function is defined")

    def infer_lambda(self, node: ast.Lambda, params: list[T.Type]) -> T.CallableT:
        """The type of a lambda whose parameters' types the context gives (key=...)."""
        saved = dict(self.vars)
        for a, t in zip(node.args.args, params):
            self.vars[a.arg] = Var(a.arg, t, f"a_{a.arg}")
        try:
            ret = self.peek_type(node.body)
        finally:
            self.vars = saved
        return T.CallableT("callable", tuple(params), ret)

    def lambda_context_type(self, node: ast.Lambda) -> T.CallableT:
        raise self.report.error(node, "the type of this lambda cannot be inferred here",
                                "use it as key=, or where a Callable[[...], R] is expected")

    def nested_function(self, node: ast.FunctionDef) -> None:
        if self.func is None:
            raise self.report.error(node, "a def inside a block at module level is not supported",
                                    "define the function at the top level")
        sig = self.declarer.signature(node, None, "nested")
        if sig.is_generator:
            raise self.report.error(node, "nested generators are not supported", "define the generator at module level")
        fn_t = T.CallableT("callable", tuple(p.type for p in sig.params), sig.ret)
        params = [(p.name, p.type) for p in sig.params]
        nonlocal_ = {n for s in ast.walk(node) if isinstance(s, ast.Nonlocal) for n in s.names}
        own = ({p.name for p in sig.params} | assigned_names(node.body)) - nonlocal_
        free = sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)} - own & set(self.vars))
        free = [n for n in free if n in self.vars and n != node.name]
        var = self.declare_var(node.name, fn_t, node)
        clo = self.make_closure(node.name, node.body, params, fn_t, free, node, self_name=node.name)
        self.store_var(var, clo)


def assigned_names(body: list[ast.stmt]) -> set[str]:
    """Names this function's own code assigns (not those of nested functions or comprehensions)."""
    out: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        if isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)                     # `except E as e` binds a local e
        if isinstance(n, ast.FunctionDef):
            out.add(n.name)
            continue
        if isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return out


def captured_names(body: list[ast.stmt], local: set[str]) -> set[str]:
    """Locals of this function that a nested def, lambda or generator expression reads or
    writes (they must live in cells)."""
    out: set[str] = set()
    for s in body:
        for n in ast.walk(s):
            if isinstance(n, (ast.FunctionDef, ast.Lambda, ast.GeneratorExp)):
                out |= scope_free_names(n) & local
    return out


def scope_free_names(n: ast.AST) -> set[str]:
    """Names a nested scope uses that it does not bind itself."""
    used = {x.id for x in ast.walk(n) if isinstance(x, ast.Name)}
    if isinstance(n, ast.Lambda):
        return used - {a.arg for a in n.args.args}
    if isinstance(n, ast.GeneratorExp):
        return used - {x.id for g in n.generators for x in ast.walk(g.target) if isinstance(x, ast.Name)}
    assert isinstance(n, ast.FunctionDef)
    nonlocal_ = {x for s in ast.walk(n) if isinstance(s, ast.Nonlocal) for x in s.names}
    params = {a.arg for a in n.args.args + n.args.kwonlyargs}
    return used - ((params | assigned_names(n.body)) - nonlocal_)


def free_names(node: ast.AST, bound: set[str]) -> list[str]:
    return sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound)


__all__ = ["Lowering", "c_string"]
