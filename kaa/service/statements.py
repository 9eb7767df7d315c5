"""Lowering statements: assignment, control flow, loops, exceptions.

Each statement is lowered with its own temporaries (released when it ends, see
function.py). try/except: the body's errors go to a handler label that releases the
failed statement's temporaries, fetches the exception and tests the except clauses in
order; an unmatched exception goes on to the enclosing handler. finally: its body is
emitted on each way out (normal, error, return, break, continue). Loops over lists,
ranges, strings and dicts are specialised; anything else goes through k_iter/k_next.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.declare import BUILTIN_CLASSES
from kaa.service.expressions import COUNTER_OPS, DYN_BINOPS
from kaa.service.modules import registry

# Modules the compiler itself lowers (the others are in kaa/service/modules/).
SERVICE_MODULES = ("sys", "math", "typing", "dataclasses", "collections.abc", "collections", "__future__", "abc", "gc",
                   "enum",
                   "typing_extensions", "mypy_extensions")


def available_modules() -> list[str]:
    """What a service can import: the standard modules the compiler and the module tables
    know, and those written in service-level Python (KAA_SOURCES), kaa.web's included."""
    from kaa.service import KAA_SOURCES, SERVICE_LIBRARIES
    internal = {m for m in registry() if m.startswith("kaa.")}
    return sorted(({m for m in SERVICE_MODULES if m != "__future__"} | set(registry()) | set(KAA_SOURCES)
                   | set(SERVICE_LIBRARIES)) - internal - {"kaa.web.transport", "kaa.stdlib"})


from kaa.service.function import Frame, Val, Var


class StatementLowering:
    """Mixed into Lowering (lower.py); `self` has FunctionState and the expression methods."""

    def block(self, stmts: list[ast.stmt]) -> bool:
        """Lower stmts; False when the block cannot fall through (ends in return/raise/...)."""
        for s in stmts:
            if not self.stmt(s):
                return False
        return True

    def stmt(self, node: ast.stmt) -> bool:
        method = getattr(self, "s_" + type(node).__name__, None)
        if method is None:
            raise self.report.error(node, f"'{type(node).__name__}' statements are not supported at the service level",
                                    "see docs/language.md for the statements services use")
        self.begin_statement(node)
        self.emit(f"#line {node.lineno} {self.unit.file_c}")
        falls = method(node)
        self.end_statement()
        return falls is not False

    # ---- simple statements ----

    def s_Pass(self, node: ast.Pass) -> None:
        pass

    def s_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and (isinstance(node.value.value, str) or node.value.value is ...):
            return                                                  # a docstring, or `...` as a placeholder body
        v = self.expr(node.value)
        if not v.owned and v.type.c_type != "kval" and v.code and not v.code.startswith("t"):
            self.emit(f"(void)({v.code});")
        if v.type == T.NORETURN:
            return False  # type: ignore[return-value]

    def s_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if (a.asname or a.name) in self.unit.kernel_modules or (a.asname or a.name) in self.mod.module_aliases:
                continue
            if a.name not in SERVICE_MODULES and a.name not in registry():
                raise self.report.error(node, f"module '{a.name}' is not available to services yet",
                                        f"the service level has {', '.join(available_modules())}")
            self.mod.imports[a.asname or a.name] = a.name

    def s_ImportFrom(self, node: ast.ImportFrom) -> None:
        if all((a.asname or a.name) in self.unit.kernel_modules for a in node.names):
            return
        if all((a.asname or a.name) in self.mod.imported | self.mod.typevars | self.mod.module_aliases
               for a in node.names):
            return                          # from another module of the program: bound when declared
        if node.module not in SERVICE_MODULES and node.module not in registry():
            raise self.report.error(node, f"module '{node.module}' is not available to services yet",
                                    f"the service level has {', '.join(available_modules())}")
        for a in node.names:
            self.mod.imports[a.asname or a.name] = f"{node.module}.{a.name}"

    def s_Global(self, node: ast.Global) -> None:
        for n in node.names:
            self.global_names.add(n)

    def s_Nonlocal(self, node: ast.Nonlocal) -> None:
        for n in node.names:
            self.nonlocal_names.add(n)

    def s_Assert(self, node: ast.Assert) -> None:
        ok = self.truth(node.test)
        done = self.new_label("assert_ok")
        self.emit(f"if ({ok}) goto {done};")
        if node.msg is not None:
            msg = self.box(self.expr(node.msg))
            self.emit(f"{{ kval a = k_tuple_pack(1, {msg.code}); k_raise(k_exc_new(&k_AssertionError_type, a)); "
                      f"k_decref(a); }}")
        else:
            self.emit("{ kval a = k_tuple_new(0); k_raise(k_exc_new(&k_AssertionError_type, a)); k_decref(a); }")
        self.emit(f"goto {self.error_block()};")
        self.label(done)
        self.narrowed.update(self.narrowings(node.test)[0])      # `assert x is not None` narrows x, as mypy's

    # ---- assignment ----

    def s_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self.assign(node.targets[0], node.value)
            return
        value = self.expr(node.value)
        keep = self.temp(value.type.c_type, owned=value.type.is_object)
        self.emit(f"{keep} = {self.owned(value)};")
        if value.owned:
            self.disown(value.code)         # its reference moved into keep
        for t in node.targets:
            self.assign_value(t, Val(keep, value.type, False))

    def s_AnnAssign(self, node: ast.AnnAssign) -> None:
        t = self.annotation_type(node)
        if isinstance(node.target, ast.Name):
            self.declare_var(node.target.id, t, node.target)
            if node.value is not None:
                self.assign_value(node.target, self.expr(node.value, t))
            return
        if node.value is not None:
            self.assign_value(node.target, self.expr(node.value, t))

    def annotation_type(self, node: ast.AnnAssign) -> T.Type:
        """The declared type; `Final` takes its value's type, `Final[T]` is T."""
        ann = node.annotation
        name = ann.value if isinstance(ann, ast.Subscript) else ann
        if isinstance(name, ast.Attribute):
            name = ast.Name(name.attr)
        if isinstance(name, ast.Name) and name.id == "Final":
            if isinstance(ann, ast.Subscript):
                return self.declarer.type_of(ann.slice)
            if node.value is None:
                raise self.report.error(node, "a Final name needs a value", "NAME: Final = value")
            return self.peek_type(node.value)
        return self.declarer.type_of(ann)

    def assign(self, target: ast.expr, value_node: ast.expr) -> None:
        expected = self.target_type(target)
        self.assign_value(target, self.expr(value_node, expected))

    def target_type(self, target: ast.expr) -> T.Type | None:
        """The declared type of an assignment target, to type the value against (empty displays)."""
        if isinstance(target, ast.Name):
            var = self.lookup_var(target.id)
            return var.type if var is not None else None
        if isinstance(target, ast.Attribute):
            obj_t = self.peek_type(target.value)
            if isinstance(obj_t, T.ClassT):
                return obj_t.info.all_fields().get(target.attr)
        if isinstance(target, ast.Subscript):
            obj_t = self.peek_type(target.value)
            if isinstance(obj_t, T.DictT):
                return obj_t.value
            if isinstance(obj_t, T.ListT):
                return obj_t.elem
        return None

    def assign_value(self, target: ast.expr, value: Val) -> None:
        if isinstance(target, ast.Name):
            var = self.lookup_var(target.id)
            if var is None:
                if value.type == T.NONE:
                    raise self.report.error(target, f"the type of '{target.id}' cannot be inferred from None",
                                            f"annotate it: {target.id}: T | None = None")
                var = self.declare_var(target.id, value.type, target)
            self.narrowed.pop(target.id, None)
            self.store_var(var, self.coerce(value, var.type, target))
            if isinstance(var.type, T.OptionalT) and value.type not in (T.NONE, var.type) and \
                    T.subtype(value.type, var.type.inner) and var.type.inner.is_object and not var.cell:
                self.narrowed[target.id] = var.type.inner      # x = [] makes an Optional x a list
        elif isinstance(target, ast.Attribute):
            self.store_attribute(target, value)
        elif isinstance(target, ast.Subscript):
            self.store_subscript(target, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value)
        else:
            raise self.report.error(target, "this assignment target is not supported",
                                    "assign to a name, an attribute, an item or a tuple of them")

    def store_var(self, var: Var, value: Val) -> None:
        if var.cell:
            boxed = self.box(value)
            self.emit(f"{{ kval o = ((KCell *){var.cname})->value; ((KCell *){var.cname})->value = {self.owned(boxed)}; "
                      f"k_xdecref(o); }}")
            if boxed.owned:
                self.disown(boxed.code)
            return
        if not var.type.is_object:
            self.emit(f"{var.cname} = {value.code};")
            return
        new = self.owned(value)
        self.emit(f"{{ kval o = {var.cname}; {var.cname} = {new}; k_xdecref(o); }}")
        if value.owned:
            self.disown(value.code)

    def disown(self, temp: str) -> None:
        """The temporary's reference moved elsewhere: it must not be released again."""
        if temp in self.stmt_temps:
            self.stmt_temps.remove(temp)
            self.emit(f"{temp} = 0;")
            self.free.setdefault("kval", []).append(temp)

    def unpack(self, target: ast.Tuple | ast.List, value: Val) -> None:
        value = self.as_tuple(value)
        t = value.type
        n = len(target.elts)
        if isinstance(t, T.TupleT) and t.var is None:
            if len(t.items) != n:
                raise self.report.error(target, f"cannot unpack {len(t.items)} values into {n} targets",
                                        "use as many names as the tuple has items")
            items = list(t.items)
            seq = value
        elif isinstance(t, (T.ListT, T.TupleT)):
            elem = T.iter_elem(t) or T.OBJECT
            items = [elem] * n
            func = "k_list_len_fast" if isinstance(t, T.ListT) else "k_tuple_len_fast"
            self.emit(f"if ({func}({value.code}) != {n}) {{ k_raise_fmt(&k_ValueError_type, "
                      f"{n} < {func}({value.code}) ? \"too many values to unpack (expected {n})\" : "
                      f"\"not enough values to unpack (expected {n}, got %d)\", {func}({value.code})); "
                      f"goto {self.error_block()}; }}")
            seq = value
        else:
            raise self.report.error(target, f"cannot unpack a value of type {t}",
                                    "unpack tuples and lists")
        getter = "k_list_get_fast" if isinstance(t, T.ListT) else "k_tuple_get_fast"
        # Read every item before storing any (a, b = b, a).
        vals = []
        for i, et in enumerate(items):
            tmp = self.temp("kval")
            self.emit(f"{tmp} = k_newref({getter}({seq.code}, {i}));")
            vals.append(Val(tmp, T.OBJECT, True))
        for elt, v, et in zip(target.elts, vals, items):
            self.assign_value(elt, self.unbox(Val(v.code, et, True), et) if not et.is_object else Val(v.code, et, True))

    def s_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            cur = self.expr(target)
            if isinstance(cur.type, T.ListT) and isinstance(node.op, ast.Add):
                other = self.expr(node.value)
                self.check(f"k_list_extend({cur.code}, {other.code})")
                return
            if cur.type == T.BYTEARRAY and isinstance(node.op, ast.Add):
                other = self.expr(node.value)
                self.check(f"k_bytearray_extend({cur.code}, {other.code})")
                return
            if isinstance(cur.type, T.ArrayT) and isinstance(node.op, (ast.Add, ast.Mult)):
                self.array_inplace(cur, node.op, node.value, node)      # in place, as CPython's
                return
            if isinstance(cur.type, T.CounterT) and type(node.op) in COUNTER_OPS:
                other = self.expr(node.value)           # c += d changes c (non-positive counts go)
                if not isinstance(other.type, T.CounterT):
                    raise self.unsupported_op(node.op, cur.type, other.type, node)
                self.check(f"k_counter_inplace({cur.code}, {other.code}, {DYN_BINOPS[type(node.op)]}) < 0")
                return
            if isinstance(cur.type, (T.SetT, T.DictT)) and isinstance(node.op, ast.BitOr):
                other = self.expr(node.value)
                fn = "k_set_update" if isinstance(cur.type, T.SetT) else "k_dict_ior"
                self.check(f"{fn}({cur.code}, {other.code})")
                return
            result = self.binop(node.op, cur, self.expr(node.value), node)
            self.assign_value(target, result)
            return
        if isinstance(target, ast.Attribute):
            obj = self.expr(target.value)
            cur = self.load_attribute(obj, target.attr, target)
            result = self.binop(node.op, cur, self.expr(node.value), node)
            self.store_attr_on(obj, target.attr, result, target)
            return
        if isinstance(target, ast.Subscript):
            obj = self.expr(target.value)
            index = self.expr(target.slice)
            cur = self.load_item(obj, index, target)
            result = self.binop(node.op, cur, self.expr(node.value), node)
            self.store_item_on(obj, index, result, target)
            return
        raise self.report.error(target, "this augmented assignment target is not supported",
                                "use a name, an attribute or an item")

    def s_Delete(self, node: ast.Delete) -> None:
        for t in node.targets:
            if not isinstance(t, ast.Subscript):
                raise self.report.error(t, "'del' works on items and slices here",
                                        "del d[key], del xs[i] or del xs[a:b]")
            obj = self.expr(t.value)
            if obj.type == T.ANY and not isinstance(t.slice, ast.Slice):
                self.check(f"k_dyn_delitem({obj.code}, {self.box(self.expr(t.slice)).code})")
            elif isinstance(obj.type, T.DequeT) and not isinstance(t.slice, ast.Slice):
                i = self.as_i64(self.expr(t.slice, T.INT), t.slice)
                self.check(f"k_deque_delitem({obj.code}, {i}) < 0")
            elif isinstance(obj.type, T.ArrayT) and isinstance(t.slice, ast.Slice):
                a, b, c = self.slice_parts(t.slice)
                self.check(f"k_array_del_slice({obj.code}, {a}, {b}, {c}) < 0")
            elif isinstance(obj.type, T.ArrayT):
                i = self.as_i64(self.expr(t.slice, T.INT), t.slice)
                self.check(f"k_array_delitem({obj.code}, {i}) < 0")
            elif isinstance(obj.type, T.DictT):
                key = self.box(self.expr(t.slice, obj.type.key))
                self.check(f"k_dict_delitem({obj.code}, {key.code})")
            elif isinstance(obj.type, T.ListT):
                if isinstance(t.slice, ast.Slice):
                    a, b, c = self.slice_parts(t.slice)
                    self.check(f"k_list_del_slice({obj.code}, {a}, {b}, {c})")
                else:
                    i = self.as_i64(self.expr(t.slice, T.INT), t.slice)
                    self.check(f"k_list_delitem({obj.code}, {i})")
            elif isinstance(obj.type, T.ClassT) and obj.type.info.lookup_method("__delitem__"):
                self.call_method_direct(obj, "__delitem__", [t.slice], [], t)
            else:
                raise self.report.error(t, f"cannot delete items of {obj.type}", "del works on dicts and lists")

    # ---- control flow ----

    def s_If(self, node: ast.If) -> bool:
        cond = self.condition(node.test)
        pos, neg = self.narrowings(node.test)
        else_label = self.new_label("else")
        end = self.new_label("endif")
        self.emit(f"if (!{cond}) goto {else_label};")
        saved = dict(self.narrowed)
        self.narrowed.update(pos)
        then_falls = self.block(node.body)
        then_state = dict(self.narrowed)
        self.narrowed = dict(saved)
        self.narrowed.update(neg)
        self.emit(f"goto {end};")
        self.label(else_label)
        else_falls = self.block(node.orelse)
        else_state = dict(self.narrowed)
        self.label(end)
        # What holds after the if: what holds at the end of every branch that falls through
        # (after `if x is None: return`, x stays narrowed for the rest of the block).
        if then_falls and else_falls:
            self.narrowed = {k: v for k, v in then_state.items() if else_state.get(k) == v}
        elif then_falls:
            self.narrowed = then_state
        elif else_falls:
            self.narrowed = else_state
        else:
            self.narrowed = saved
        return then_falls or else_falls

    def condition(self, test: ast.expr) -> str:
        """The truth of test in a C bool, the statement's temporaries released (both ways on)."""
        cond = self.truth(test)
        if not self.stmt_temps:
            return f"({cond})"
        flag = self.temp("bool")
        self.emit(f"{flag} = {cond};")
        self.end_statement()
        return flag

    def s_While(self, node: ast.While) -> bool:
        top = self.new_label("while")
        end = self.new_label("endwhile")
        brk = self.new_label("break") if node.orelse else end
        self.label(top)
        cond = self.condition(node.test)
        self.emit(f"if (!{cond}) goto {end};")
        frame = Frame("loop", break_label=brk, continue_label=top)
        self.frames.append(frame)
        saved = dict(self.narrowed)
        self.narrowed.update(self.narrowings(node.test)[0])
        self.block(node.body)
        self.narrowed = saved
        self.frames.pop()
        self.emit(f"goto {top};")
        self.label(end)
        if node.orelse:
            self.block(node.orelse)
            self.label(brk)
        always = isinstance(node.test, ast.Constant) and node.test.value is True
        return not always or self.has_break(node.body)

    def has_break(self, body: list[ast.stmt]) -> bool:
        """A break of this loop (not of a loop nested in it)."""
        stack: list[ast.AST] = list(body)
        while stack:
            n = stack.pop()
            if isinstance(n, ast.Break):
                return True
            if not isinstance(n, (ast.For, ast.While, ast.FunctionDef, ast.Lambda)):
                stack.extend(ast.iter_child_nodes(n))
            elif isinstance(n, (ast.For, ast.While)):
                stack.extend(n.orelse)
        return False

    def s_Break(self, node: ast.Break) -> bool:
        self.jump_out("break")
        return False

    def s_Continue(self, node: ast.Continue) -> bool:
        self.jump_out("continue")
        return False

    def jump_out(self, kind: str) -> None:
        """break/continue: unwind finally blocks and handlers up to the innermost loop."""
        for f in reversed(self.frames):
            if f.kind == "loop":
                if kind == "break":
                    self.release_held(f)
                self.emit(f"goto {f.break_label if kind == 'break' else f.continue_label};")
                return
            self.unwind(f)
        raise self.report.error(self.node, f"'{kind}' outside a loop", "use it inside for or while")

    def release_held(self, f: Frame, to_pool: bool = False) -> None:
        for t in f.held_temps:
            self.emit(f"k_xdecref({t}); {t} = 0;")
            if to_pool and t.startswith("t"):
                self.free.setdefault("kval", []).append(t)

    def unwind(self, f: Frame) -> None:
        """Leaving frame f by a jump: run what its exit must run."""
        if f.kind == "handler":
            self.emit(f"k_exc_leave(); k_decref({f.handled}); {f.handled} = 0;")
        elif f.kind == "finally":
            saved = self.frames
            self.frames = self.frames[:self.frames.index(f)]
            for s in f.finally_body:
                self.stmt(s)
            self.frames = saved

    def s_Return(self, node: ast.Return) -> bool:
        if self.func is not None and self.func.is_generator:
            return self.generator_return(node)
        ret_t = self.return_type()
        if node.value is None:
            value = Val("k_None", T.NONE)
        else:
            value = self.expr(node.value, ret_t)
        value = self.coerce(value, ret_t, node.value or node)
        var = self.vars.get(node.value.id) if isinstance(node.value, ast.Name) else None
        if var is not None and var.cname.startswith("v_") and not var.cell and value.code == var.cname \
                and ret_t.c_type == "kval" and not self.finally_pending():
            # a return is the last use of every local: move its reference instead of counting it
            self.emit(f"ret = {var.cname}; {var.cname} = 0;")
        else:
            code = self.owned(value) if ret_t.c_type == "kval" else value.code
            self.emit(f"ret = {code};")
            if value.owned:
                self.disown(value.code)
        self.release_for_return()
        self.unwind_all()
        self.emit("goto L_out;")
        return False

    def release_for_return(self) -> None:
        """What a return leaves behind: this statement's temporaries and the loops' iterables."""
        for t in self.stmt_temps:
            self.emit(f"k_xdecref({t}); {t} = 0;")
        for f in self.frames:
            for t in f.held_temps:
                self.emit(f"k_xdecref({t}); {t} = 0;")

    def finally_pending(self) -> bool:
        """A finally block runs between the return and the exit (and may read the locals)."""
        return any(f.kind == "finally" for f in self.frames)

    def generator_return(self, node: ast.Return) -> bool:
        if node.value is not None:
            raise self.report.error(node, "return with a value inside a generator is not supported",
                                    "end the generator with a bare return")
        self.release_for_return()
        self.unwind_all()
        self.emit("goto L_out;")
        return False

    def unwind_all(self) -> None:
        for f in reversed(self.frames):
            if f.kind != "loop":
                self.unwind(f)

    def s_Raise(self, node: ast.Raise) -> bool:
        if node.exc is None:
            handler = next((f for f in reversed(self.frames) if f.kind == "handler"), None)
            if handler is None:
                raise self.report.error(node, "a bare 'raise' must be inside an except block",
                                        "raise an exception instance: raise ValueError('...')")
            self.emit(f"k_xdecref(k_exc); k_exc = k_newref({handler.handled});")
            self.emit(f"goto {self.error_target()};")
            return False
        exc = self.exception_value(node.exc)
        if node.cause is not None:
            if isinstance(node.cause, ast.Constant) and node.cause.value is None:
                self.emit(f"((KException *){exc})->suppress_context = 1;")
            else:
                cause = self.exception_value(node.cause)
                self.emit(f"k_xdecref(((KException *){exc})->cause); ((KException *){exc})->cause = k_newref({cause});"
                          f" ((KException *){exc})->suppress_context = 1;")
        self.emit(f"k_raise(k_newref({exc}));")
        self.emit(f"goto {self.error_block()};")
        return False

    def exception_value(self, node: ast.expr) -> str:
        """An exception instance for raise: `X(...)`, a class X (instantiated), or a variable."""
        t = self.peek_type(node)
        if isinstance(t, T.TypeObjT):
            v = self.construct(t.info, [], [], node)
            return v.code
        v = self.expr(node)
        if not (isinstance(v.type, T.ClassT) and v.type.info.is_exception):
            raise self.report.error(node, f"can only raise exceptions, not {v.type}",
                                    "raise an instance of an Exception subclass")
        if not v.owned:
            return self.into_temp(f"k_newref({v.code})", v.type).code
        return v.code

    # ---- loops ----

    def s_For(self, node: ast.For) -> None:
        end = self.new_label("endfor")
        step = self.new_label("next")
        frame = Frame("loop", break_label=end, continue_label=step)
        if node.orelse:
            frame.break_label = self.new_label("break")
            frame.exhausted = end
        it = node.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                and self.lookup_var("range") is None and not it.keywords:
            self.for_range(node, frame)
            return
        seq = self.expr(it)
        t = seq.type
        if not seq.owned and t.is_object:
            seq = self.into_temp(f"k_newref({seq.code})", t)     # the loop keeps it alive
        elem = T.iter_elem(t)
        if elem is None:
            raise self.report.error(it, f"cannot iterate over a value of type {t}",
                                    "iterate over a list, tuple, dict, set, str, range or an iterator")
        if isinstance(t, (T.ListT, T.TupleT)):
            idx = self.local(f"i{self.new_label('')[1:]}", "i64")
            n = "k_list_len_fast" if isinstance(t, T.ListT) else "k_tuple_len_fast"
            get = "k_list_get_fast" if isinstance(t, T.ListT) else "k_tuple_get_fast"
            self.emit(f"{idx} = -1;")
            frame.held_temps = self.hold()
            self.label(step)
            self.emit(f"if (++{idx} >= {n}({seq.code})) goto {end};")
            item = Val(f"{get}({seq.code}, {idx})", T.OBJECT)
        elif isinstance(t, T.DictT):
            pos = self.local(f"p{self.new_label('')[1:]}", "i64")
            key = self.local(f"k{self.new_label('')[1:]}", "kval_b")
            self.emit(f"{pos} = 0;")
            frame.held_temps = self.hold()
            self.label(step)
            self.emit(f"if (!k_dict_next({seq.code}, &{pos}, &{key}, 0)) goto {end};")
            item = Val(key, T.OBJECT)
        else:
            iterator = self.into_temp(f"k_iter({self.box(seq).code})", T.OBJECT, "!{}")
            frame.held_temps = self.hold()
            cur = self.local(f"x{self.new_label('')[1:]}", "kval")
            self.emit(f"{cur} = 0;")
            frame.held_temps.append(cur)
            self.label(step)
            self.emit(f"k_xdecref({cur}); {cur} = k_next({iterator.code});")
            self.emit(f"if (!{cur}) {{ if (k_exc) goto {self.error_block()}; goto {end}; }}")
            item = Val(cur, T.OBJECT)
        self.frames.append(frame)
        self.begin_statement(node)
        self.assign_value(node.target, self.unbox(Val(item.code, elem), elem) if not elem.is_object
                          else Val(item.code, elem))
        self.end_statement()
        self.block(node.body)
        self.frames.pop()
        self.emit(f"goto {step};")
        self.label(end)
        self.release_held(frame, to_pool=True)
        self.loop_else(node, frame)

    def loop_else(self, node: ast.For, frame: Frame) -> None:
        if node.orelse:
            done = self.new_label("for_done")
            self.block(node.orelse)
            self.emit(f"goto {done};")
            self.label(frame.break_label)
            self.release_held(frame)
            self.label(done)

    def for_range(self, node: ast.For, frame: Frame) -> None:
        args = node.iter.args  # type: ignore[attr-defined]
        if not 1 <= len(args) <= 3:
            raise self.report.error(node.iter, "range() takes 1 to 3 arguments", "range(stop), range(start, stop[, step])")
        vals = [self.as_i64(self.expr(a, T.INT), a) for a in args]
        start, stop, stp = ("0", vals[0], "1") if len(vals) == 1 else (vals[0], vals[1], vals[2] if len(vals) == 3 else "1")
        n = self.new_label("")[1:]
        i, hi, st = self.local(f"r{n}", "i64"), self.local(f"rh{n}", "i64"), self.local(f"rs{n}", "i64")
        self.emit(f"{i} = {start}; {hi} = {stop}; {st} = {stp};")
        if len(vals) == 3 and not (isinstance(args[2], ast.Constant)):
            self.emit(f"if ({st} == 0) {{ k_raise_str(&k_ValueError_type, \"range() arg 3 must not be zero\"); "
                      f"goto {self.error_block()}; }}")
        elif len(vals) == 3 and isinstance(args[2], ast.Constant) and args[2].value == 0:
            raise self.report.error(args[2], "range() step must not be zero", "use a non-zero step")
        first = self.new_label("first")
        frame.held_temps = self.hold()
        self.end_statement()
        self.emit(f"goto {first};")
        self.label(frame.continue_label)
        self.emit(f"{i} += {st};")
        self.label(first)
        exhausted = (frame.exhausted or frame.break_label)
        self.emit(f"if ({st} > 0 ? {i} >= {hi} : {i} <= {hi}) goto {exhausted};")
        self.frames.append(frame)
        self.begin_statement(node)
        self.assign_value(node.target, self.into_temp(f"k_int_from_i64({i})", T.INT))
        self.end_statement()
        self.block(node.body)
        self.frames.pop()
        self.emit(f"goto {frame.continue_label};")
        self.label((frame.exhausted or frame.break_label))
        self.loop_else(node, frame)

    # ---- exceptions ----

    def s_Try(self, node: ast.Try) -> bool:
        if node.finalbody:
            return self.try_finally(node)
        return self.try_except(node)

    def try_finally(self, node: ast.Try) -> bool:
        err = self.new_label("finally_err")
        end = self.new_label("finally_end")
        frame = Frame("finally", error_label=err, finally_body=node.finalbody)
        self.frames.append(frame)
        inner = ast.Try(body=node.body, handlers=node.handlers, orelse=node.orelse, finalbody=[])
        ast.copy_location(inner, node)
        falls = self.try_except(inner) if node.handlers else self.block(node.body)
        self.frames.pop()
        self.block(node.finalbody)
        self.emit(f"goto {end};")
        # The error way: keep the exception aside while the finally body runs.
        self.label(err)
        self.release_failed_statement()
        saved = self.local(f"fx{self.new_label('')[1:]}", "kval")
        self.emit(f"{saved} = k_exc_fetch();")
        self.frames.append(Frame("handler", error_label=self.new_label("finally_raise"), handled=saved))
        raise_label = self.frames[-1].error_label
        self.frames.pop()
        fin_frame = Frame("finally_running", error_label=raise_label)
        self.frames.append(fin_frame)
        self.block(node.finalbody)
        self.frames.pop()
        self.emit(f"k_exc = {saved}; {saved} = 0;")
        self.emit(f"goto {self.error_target()};")
        self.label(raise_label)                   # the finally body raised: that exception wins
        self.emit(f"k_xdecref({saved}); {saved} = 0;")
        self.emit(f"goto {self.error_target()};")
        self.label(end)
        return falls

    def try_except(self, node: ast.Try) -> bool:
        handler_label = self.new_label("except")
        end = self.new_label("try_end")
        frame = Frame("except", error_label=handler_label)
        self.frames.append(frame)
        saved_narrow = dict(self.narrowed)
        body_falls = self.block(node.body)
        self.frames.pop()
        else_falls = body_falls
        if node.orelse:
            else_falls = self.block(node.orelse)
        self.emit(f"goto {end};")
        # Errors of the body arrive here with k_exc set and maybe temporaries still held.
        self.label(handler_label)
        self.release_failed_statement()
        exc = self.local(f"ex{self.new_label('')[1:]}", "kval")
        self.emit(f"{exc} = k_exc_fetch();")
        self.narrowed = saved_narrow
        any_falls = else_falls
        for h in node.handlers:
            next_h = self.new_label("next_except")
            self.begin_statement(h)
            types = self.handler_types(h)
            if types:
                test = " || ".join(f"k_isinstance({exc}, &{c.type_cname})" for c in types)
                self.emit(f"if (!({test})) goto {next_h};")
            hframe = Frame("handler", error_label=self.new_label("handler_err"), handled=exc)
            self.emit(f"k_exc_enter({exc});")
            if h.name:
                base = types[0] if types else BUILTIN_CLASSES["BaseException"]
                for other in types[1:]:
                    base = base.common_base(other) or BUILTIN_CLASSES["BaseException"]
                etype = base.instance
                var = self.lookup_var(h.name) or self.declare_var(h.name, etype, h)
                if var.type != etype:
                    var.type = etype
                    if var.is_global:               # module level: each handler's name is its own (del'd after)
                        self.mod.globals[h.name].type = etype
                self.store_var(var, Val(exc, etype))
            self.end_statement()
            self.frames.append(hframe)
            falls = self.block(h.body)
            self.frames.pop()
            if falls:
                self.emit(f"k_exc_leave(); k_decref({exc}); {exc} = 0;")
                if h.name:                       # `except E as e` ends with `del e`, as in CPython
                    v = self.lookup_var(h.name)
                    slot = f"((KCell *){v.cname})->value" if v.cell else v.cname
                    self.emit(f"k_xdecref({slot}); {slot} = 0;")
                self.emit(f"goto {end};")
            any_falls = any_falls or falls
            self.label(hframe.error_label)        # the handler raised: leave it, then propagate
            self.emit(f"k_exc_leave(); k_decref({exc}); {exc} = 0;")
            self.emit(f"goto {self.error_target()};")
            self.label(next_h)
        self.emit(f"k_exc = {exc}; {exc} = 0;")   # no clause matched: it goes on
        self.emit(f"goto {self.error_target()};")
        self.label(end)
        return any_falls

    def release_failed_statement(self) -> None:
        """At a handler: the temporaries the failed statement held (all but enclosing loops')."""
        held = {t for f in self.frames for t in f.held_temps}
        for t, ctype in list(self.decls.items()):
            if ctype == "kval" and t.startswith("t") and t not in held:
                self.emit(f"k_xdecref({t}); {t} = 0;")

    def handler_types(self, h: ast.ExceptHandler) -> list:
        if h.type is None:
            return []
        nodes = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
        out = []
        for n in nodes:
            t = self.peek_type(n)
            if not isinstance(t, T.TypeObjT) or not t.info.is_exception:
                raise self.report.error(n, "except takes exception classes",
                                        "name an exception class, or a tuple of them")
            out.append(t.info)
        return out

    def s_With(self, node: ast.With) -> bool:
        """`with m as x: body` over a runtime type whose table has __enter__ and __exit__
        (files): m is kept in a hidden variable, x = m.__enter__(), then the body runs as
        the body of a try whose finally calls m.__exit__(). That is CPython's protocol for
        an __exit__ that never swallows the exception (a file's closes, and the exception
        goes on). Several items nest, as in CPython."""
        from kaa.service.modules import native_methods
        item = node.items[0]
        t = self.peek_type(item.context_expr)
        if not {"__enter__", "__exit__"} <= set(native_methods(t) or {}):
            raise self.report.error(item.context_expr, f"'with' over a value of type {t} is not supported",
                                    "'with' takes files (open(...)); otherwise use try/finally")
        where = item.context_expr
        hidden = f"_with_{where.lineno}_{where.col_offset}"     # one per item in the module
        if self.func is not None:
            self.local_names.add(hidden)                        # never a global of that name

        def method(name: str) -> ast.Expr:
            return ast.Expr(ast.Call(ast.Attribute(ast.Name(hidden, ast.Load()), name, ast.Load()), [], []))
        enter = method("__enter__")
        body = [ast.With(items=node.items[1:], body=node.body)] if len(node.items) > 1 else node.body
        steps = [ast.Assign([ast.Name(hidden, ast.Store())], item.context_expr),
                 ast.Assign([item.optional_vars], enter.value) if item.optional_vars else enter,
                 ast.Try(body=body, handlers=[], orelse=[], finalbody=[method("__exit__")])]
        for s in steps:
            ast.fix_missing_locations(ast.copy_location(s, where))
            if not self.stmt(s):
                return False
        return True

    def s_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.nested_function(node)

    def s_ClassDef(self, node: ast.ClassDef) -> None:
        raise self.report.error(node, "classes are defined at module level", "move the class out of the function")
