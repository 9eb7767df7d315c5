"""Lowering expressions: names, literals, operators, attributes, items, f-strings, displays.

Each method returns a Val (function.py). Operators dispatch on the static types: int
arithmetic goes to int.h's inline fast paths (tagged small ints), float arithmetic is
plain C on doubles, str/list/tuple operators call the runtime, and class operands call
the class's dunder methods. Comparisons of kvals whose type has no static rule go
through k_richcmp, as CPython's rich comparison does.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.function import Val, c_string

INT_OPS = {ast.Add: "k_int_add", ast.Sub: "k_int_sub", ast.Mult: "k_int_mul", ast.FloorDiv: "k_int_floordiv",
           ast.Mod: "k_int_mod", ast.Pow: "k_int_pow", ast.LShift: "k_int_lshift", ast.RShift: "k_int_rshift",
           ast.BitAnd: "k_int_and", ast.BitOr: "k_int_or", ast.BitXor: "k_int_xor"}
FLOAT_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
FLOAT_CALLS = {ast.Div: "k_float_truediv", ast.FloorDiv: "k_float_floordiv", ast.Mod: "k_float_mod",
               ast.Pow: "k_float_pow"}
DUNDER = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__", ast.Div: "__truediv__",
          ast.FloorDiv: "__floordiv__", ast.Mod: "__mod__", ast.Pow: "__pow__", ast.BitAnd: "__and__",
          ast.BitOr: "__or__", ast.BitXor: "__xor__", ast.LShift: "__lshift__", ast.RShift: "__rshift__",
          ast.MatMult: "__matmul__"}
CMP_OPS = {ast.Lt: "K_LT", ast.LtE: "K_LE", ast.Eq: "K_EQ", ast.NotEq: "K_NE", ast.Gt: "K_GT", ast.GtE: "K_GE"}
C_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!=", ast.Gt: ">", ast.GtE: ">="}
CMP_DUNDER = {ast.Lt: "__lt__", ast.LtE: "__le__", ast.Eq: "__eq__", ast.NotEq: "__ne__", ast.Gt: "__gt__",
              ast.GtE: "__ge__"}
DYN_BINOPS = {ast.Add: "K_ADD", ast.Sub: "K_SUB", ast.Mult: "K_MUL", ast.Div: "K_TRUEDIV", ast.FloorDiv: "K_FLOORDIV",
              ast.Mod: "K_MOD", ast.Pow: "K_POW", ast.LShift: "K_LSHIFT", ast.RShift: "K_RSHIFT", ast.BitAnd: "K_AND",
              ast.BitOr: "K_OR", ast.BitXor: "K_XOR"}
COUNTER_OPS = (ast.Add, ast.Sub, ast.BitAnd, ast.BitOr)    # Counter's multiset operators
# What isinstance(x, int) makes of a dynamic x (the containers' items stay dynamic, as mypy's).
NARROW_BUILTINS = {"int": T.INT, "float": T.FLOAT, "bool": T.BOOL, "str": T.STR, "bytes": T.BYTES,
                   "list": T.ListT("list", T.ANY), "dict": T.DictT("dict", T.ANY, T.ANY), "set": T.SetT("set", T.ANY),
                   "tuple": T.TupleT("tuple", (), T.ANY)}
BUILTIN_FUNCTION_VALUES = {"len": T.INT, "str": T.STR, "repr": T.STR, "abs": T.INT, "int": T.INT, "float": T.FLOAT}
SEQ_FUNCS = {"list": "k_list", "tuple": "k_tuple", "str": "k_str", "bytes": "k_bytes"}


def is_dynamic(t: T.Type) -> bool:
    """Any, object, or an Optional of them (d.get(k) on a dict[str, Any])."""
    return t in (T.ANY, T.OBJECT) or isinstance(t, T.OptionalT) and t.inner in (T.ANY, T.OBJECT)


class ExpressionLowering:
    """Mixed into Lowering (lower.py)."""

    def expr(self, node: ast.expr, expected: T.Type | None = None) -> Val:
        method = getattr(self, "e_" + type(node).__name__, None)
        if method is None:
            raise self.report.error(node, f"'{type(node).__name__}' expressions are not supported at the service level",
                                    "see docs/language.md for what services can use")
        if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.Lambda,
                             ast.Tuple, ast.BinOp)):
            return method(node, expected)
        v = method(node)
        if expected is not None and v.type != expected and T.subtype(v.type, expected) and \
                isinstance(v.type, (T.ListT, T.SetT, T.DictT)):
            return Val(v.code, expected, v.owned)     # set() where a set[str] is expected
        return v

    def e_Lowered(self, node: ast.expr) -> Val:
        v = node.val                                        # type: ignore[attr-defined]
        return Val(v.code, v.type)                          # borrowed: its statement releases it

    def peek_type(self, node: ast.expr) -> T.Type:
        """The static type of node, without emitting its code."""
        state = (len(self.lines), dict(self.decls), {k: list(v) for k, v in self.free.items()},
                 list(self.stmt_temps), list(self.scalar_temps), len(self.pending_functions))
        try:
            return self.expr(node).type
        finally:
            n, decls, free, temps, scalars, npending = state
            del self.lines[n:]
            self.decls, self.free, self.stmt_temps, self.scalar_temps = decls, free, temps, scalars
            del self.pending_functions[npending:]

    # ---- names and constants ----

    def e_Constant(self, node: ast.Constant) -> Val:
        v = node.value
        if v is None:
            return Val("k_None", T.NONE)
        if isinstance(v, bool):
            return Val("1" if v else "0", T.BOOL)
        if isinstance(v, int):
            if -(1 << 62) <= v < (1 << 62):
                return Val(f"k_int_small({v}LL)", T.INT)
            return Val(self.unit.big_int(v), T.INT)
        if isinstance(v, float):
            return Val(float_literal(v), T.FLOAT)
        if isinstance(v, str):
            return Val(self.unit.str_literal(v), T.STR)
        if isinstance(v, bytes):
            return Val(self.unit.bytes_literal(v), T.BYTES)
        raise self.report.error(node, f"constants of type {type(v).__name__} are not supported",
                                "use int, float, str, bytes, bool or None")

    def e_Name(self, node: ast.Name) -> Val:
        name = node.id
        var = self.lookup_var(name)
        if var is not None:
            t = self.narrowed.get(name, var.type)
            if var.is_global and var.type.is_object and self.func is not None:
                # a function may run before the module assigns the global: NameError, as CPython
                self.emit(f"if (__builtin_expect(!{var.cname}, 0)) {{ k_raise_fmt(&k_NameError_type, "
                          f"\"name '%s' is not defined\", {c_string(name)}); goto {self.error_block()}; }}")
            if var.cell:
                v = Val(f"((KCell *){var.cname})->value", T.OBJECT)
                return self.unbox(v, t) if not t.is_object else Val(v.code, t)
            if t != var.type and not t.is_object:          # Optional[float] narrowed to float
                return self.unbox(Val(var.cname, var.type), t)
            if t == T.INT and is_dynamic(var.type):     # isinstance(x, int): a bool counts as 0 or 1
                return Val(f"k_any_int({var.cname})", t)
            return Val(var.cname, t)
        if name in self.mod.functions:
            return Val(self.unit.function_value(self.mod.functions[name]), self.function_type(self.mod.functions[name]))
        if name in self.mod.classes:
            info = self.mod.classes[name]
            return Val(f"K_VAL(&{info.type_cname})", info.type_obj)
        from kaa.service.declare import BUILTIN_CLASSES
        if name in BUILTIN_CLASSES:
            info = BUILTIN_CLASSES[name]
            return Val(f"K_VAL(&{info.type_cname})", info.type_obj)
        imported = self.library_name(name)
        if imported is not None:
            return self.library_attribute(*imported, node)
        if name in BUILTIN_FUNCTION_VALUES and self.lookup_var(name) is None:
            ret = BUILTIN_FUNCTION_VALUES[name]
            return Val(f"K_VAL(&k_builtin_{name})", T.CallableT("callable", (T.OBJECT,), ret))
        if name == "__name__":
            return Val(self.unit.str_literal(self.mod.name), T.STR)
        hint = ""
        import difflib
        close = difflib.get_close_matches(name, [*self.vars, *self.mod.globals, *self.mod.functions], n=1)
        if close:
            hint = f"did you mean '{close[0]}'?"
        raise self.report.error(node, f"unknown name '{name}'", hint or "define it before this line")

    # ---- operators ----

    def e_BinOp(self, node: ast.BinOp, expected: T.Type | None = None) -> Val:
        hint = expected if isinstance(expected, T.ListT) and isinstance(node.op, (ast.Mult, ast.Add)) else None
        left = self.expr(node.left, hint)
        right = self.expr(node.right, left.type if isinstance(left.type, T.ListT) else None)
        return self.binop(node.op, left, right, node)

    def binop(self, op: ast.operator, a: Val, b: Val, node: ast.AST) -> Val:
        ta, tb = a.type, b.type
        if ta == T.ANY or (tb == T.ANY and not isinstance(ta, T.ClassT)):
            if type(op) not in DYN_BINOPS:
                raise self.unsupported_op(op, ta, tb, node)
            x, y = self.box(a), self.box(b)
            return self.into_temp(f"k_dyn_binop({x.code}, {y.code}, {DYN_BINOPS[type(op)]})", T.ANY, "!{}")
        if ta == T.BOOL and tb in (T.BOOL, T.INT) and not isinstance(op, (ast.BitAnd, ast.BitOr, ast.BitXor)):
            a = self.coerce(a, T.INT, node)
            ta = T.INT
        if tb == T.BOOL and ta == T.INT:
            b = self.coerce(b, T.INT, node)
            tb = T.INT
        if ta == T.BOOL and tb == T.BOOL:
            c = {ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}[type(op)]
            return Val(f"(bool)({a.code} {c} {b.code})", T.BOOL)
        n = self.native_operands(ta, tb, op, node)
        if n is not None:
            return self.native_binop(op, self.coerce(a, n.type, node), self.coerce(b, n.type, node), n, node)
        if ta == T.INT and tb == T.INT and isinstance(op, ast.Pow) and isinstance(node, ast.BinOp) and \
                negative_literal(node.right):
            x, y = self.coerce(a, T.FLOAT, node), self.coerce(b, T.FLOAT, node)
            return self.into_temp_scalar(f"k_float_pow({x.code}, {y.code})", T.FLOAT, "k_exc")
        if ta == T.INT and tb == T.INT:
            if isinstance(op, ast.Div):
                return self.into_temp_scalar(f"k_int_truediv({a.code}, {b.code})", T.FLOAT, "k_exc")
            fn = INT_OPS.get(type(op))
            if fn is None:
                raise self.unsupported_op(op, ta, tb, node)
            return self.into_temp(f"{fn}({a.code}, {b.code})", T.INT, "!{}")
        if T.is_numeric(ta) and T.is_numeric(tb) and T.FLOAT in (ta, tb):
            x, y = self.coerce(a, T.FLOAT, node), self.coerce(b, T.FLOAT, node)
            if type(op) in FLOAT_OPS:
                return Val(f"({x.code} {FLOAT_OPS[type(op)]} {y.code})", T.FLOAT)
            if isinstance(op, ast.Div):
                # x / y inline; only a zero divisor takes the runtime's raising path
                d = self.into_temp_scalar(y.code, T.FLOAT, None) if not is_simple(y.code) else y
                self.emit(f"if (__builtin_expect({d.code} == 0.0, 0)) {{ k_float_truediv(0.0, 0.0); "
                          f"goto {self.error_block()}; }}")
                return Val(f"({x.code} / {d.code})", T.FLOAT)
            if isinstance(op, ast.Pow) and y.code == (0.5).hex():
                # x ** 0.5 of a positive x is sqrt(x): the runtime's pow is correctly rounded, so the
                # two agree bit for bit (checked on random doubles); others take pow's path
                d = self.into_temp_scalar(x.code, T.FLOAT, None)
                r = self.temp("double")
                self.emit(f"if ({d.code} > 0.0) {r} = __builtin_sqrt({d.code}); "
                          f"else {{ {r} = k_float_pow({d.code}, 0.5); if (k_exc) goto {self.error_block()}; }}")
                return Val(r, T.FLOAT)
            if type(op) in FLOAT_CALLS:
                return self.into_temp_scalar(f"{FLOAT_CALLS[type(op)]}({x.code}, {y.code})", T.FLOAT, "k_exc")
            raise self.unsupported_op(op, ta, tb, node)
        if isinstance(ta, T.ClassT):
            m = ta.info.lookup_method(DUNDER.get(type(op), ""))
            if m is not None:
                return self.call_function(m, [b], node, receiver=a)
        if isinstance(tb, T.ClassT) and type(op) in DUNDER:
            m = tb.info.lookup_method("__r" + DUNDER[type(op)][2:])
            if m is not None:
                return self.call_function(m, [a], node, receiver=b)
        if isinstance(ta, T.ArrayT) or isinstance(tb, T.ArrayT):
            return self.array_binop(op, a, b, node)
        if isinstance(op, ast.Add):
            for kind, fn in ((T.STR, "k_str_concat"), (T.BYTES, "k_bytes_concat")):
                if ta == kind and tb == kind:
                    return self.into_temp(f"{fn}({a.code}, {b.code})", kind, "!{}")
            if isinstance(ta, T.ListT) and isinstance(tb, T.ListT):
                t = ta if T.subtype(tb, ta) else tb if T.subtype(ta, tb) else None
                if t is None:
                    raise self.unsupported_op(op, ta, tb, node)
                return self.into_temp(f"k_list_concat({a.code}, {b.code})", t, "!{}")
            if isinstance(ta, T.TupleT) and isinstance(tb, T.TupleT):
                t = T.TupleT("tuple", ta.items + tb.items) if ta.var is None and tb.var is None else \
                    T.TupleT("tuple", (), T.join_all([ta.elem(), tb.elem()]))
                return self.into_temp(f"k_tuple_concat({a.code}, {b.code})", t, "!{}")
        if isinstance(op, ast.Mult):
            if tb in (T.INT, T.BOOL) and (ta in (T.STR, T.BYTES) or isinstance(ta, (T.ListT, T.TupleT))):
                return self.repeat(a, b, node)
            if ta in (T.INT, T.BOOL) and (tb in (T.STR, T.BYTES) or isinstance(tb, (T.ListT, T.TupleT))):
                return self.repeat(b, a, node)
        if isinstance(op, ast.Mod) and ta == T.STR:
            raise self.report.error(node, "'%' formatting of strings is not supported",
                                    "use an f-string: f\"{x:.2f}\"")
        if isinstance(ta, T.CounterT) and isinstance(tb, T.CounterT) and type(op) in COUNTER_OPS:
            return self.into_temp(f"k_counter_binop({a.code}, {b.code}, {DYN_BINOPS[type(op)]})", ta, "!{}")
        if isinstance(ta, T.SetT) and isinstance(tb, T.SetT):
            fn = {ast.BitOr: "k_set_or", ast.BitAnd: "k_set_and", ast.Sub: "k_set_sub", ast.BitXor: "k_set_xor"}
            if type(op) in fn:
                return self.into_temp(f"{fn[type(op)]}({a.code}, {b.code})", ta if T.subtype(tb, ta) else tb, "!{}")
        if isinstance(ta, T.DictT) and isinstance(tb, T.DictT) and isinstance(op, ast.BitOr):
            return self.into_temp(f"k_dict_or({a.code}, {b.code})", ta, "!{}")
        raise self.unsupported_op(op, ta, tb, node)

    def native_operands(self, ta: T.Type, tb: T.Type, op: ast.AST, node: ast.AST) -> T.NativeInt | None:
        """The native int type an operation on ta and tb is done in (mypyc's "sticky" rule: an
        int or bool operand joins the native one); two different native types are an error."""
        kinds = {t for t in (ta, tb) if t in T.NATIVE_INTS}
        if len(kinds) > 1:
            if type(op) not in C_CMP:
                raise self.unsupported_op(op, ta, tb, node)
            raise self.report.error(node, f"unsupported operand types for {C_CMP[type(op)]}: {ta} and {tb}",
                                    f"convert one explicitly: {ta}(x)")
        if kinds and {ta, tb} - kinds <= {T.INT, T.BOOL}:
            return T.NATIVE_INTS[kinds.pop()]
        return None

    def native_binop(self, op: ast.operator, a: Val, b: Val, kind: T.NativeInt, node: ast.AST) -> Val:
        """Native int arithmetic, as mypyc does it: computed in 64 bits and cut back to the type,
        so + - * << wrap around; // and % take Python's floor semantics and raise on zero; / is
        a float, ** an int."""
        t, ct = kind.type, kind.type.c_type
        c = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
        if type(op) in c:
            return Val(f"(({ct})((u64){a.code} {c[type(op)]} (u64){b.code}))", t)
        if isinstance(op, ast.Div):
            return self.binop(op, self.coerce(a, T.FLOAT, node), self.coerce(b, T.FLOAT, node), node)
        if isinstance(op, ast.Pow):         # mypyc's generic path: boxed, an int result
            return self.binop(op, self.coerce(a, T.INT, node), self.coerce(b, T.INT, node), node)
        fn = {ast.FloorDiv: "k_i64_floordiv", ast.Mod: "k_i64_mod", ast.LShift: "k_i64_lshift",
              ast.RShift: "k_i64_rshift"}.get(type(op))
        if fn is None:
            raise self.unsupported_op(op, t, t, node)
        extra = f", {kind.c_lo}" if isinstance(op, ast.FloorDiv) else ""
        r = self.into_temp_scalar(f"{fn}({a.code}, {b.code}{extra})", T.I64, "k_exc")
        return r if t == T.I64 else Val(f"(({ct}){r.code})", t)

    def repeat(self, seq: Val, n: Val, node: ast.AST) -> Val:
        count = self.as_i64(self.coerce(n, T.INT, node), node, clamp=True)
        fn = {"str": "k_str_mul", "bytes": "k_bytes_mul"}.get(seq.type.name) or (
            "k_list_repeat" if isinstance(seq.type, T.ListT) else "k_tuple_repeat")
        t = seq.type
        if isinstance(t, T.TupleT) and t.var is None:
            t = T.TupleT("tuple", (), t.elem())
        return self.into_temp(f"{fn}({seq.code}, {count})", t, "!{}")

    def unsupported_op(self, op: ast.AST, ta: T.Type, tb: T.Type, node: ast.AST) -> Exception:
        sym = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
               ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|",
               ast.BitXor: "^", ast.MatMult: "@"}.get(type(op), "?")
        return self.report.error(node, f"unsupported operand types for {sym}: {ta} and {tb}",
                                 "convert one operand (int(x), float(x), str(x)) or define the dunder method")

    def e_UnaryOp(self, node: ast.UnaryOp) -> Val:
        if isinstance(node.op, ast.Not):
            return Val(f"(!({self.truth(node.operand)}))", T.BOOL)
        v = self.expr(node.operand)
        if v.type == T.ANY:
            op = {ast.USub: "K_NEG", ast.UAdd: "K_POS", ast.Invert: "K_INVERT"}[type(node.op)]
            return self.into_temp(f"k_dyn_unary({v.code}, {op})", T.ANY, "!{}")
        if v.type == T.BOOL:
            v = self.coerce(v, T.INT, node)
        if v.type == T.INT:
            if isinstance(node.op, ast.UAdd):
                return v
            if isinstance(node.op, ast.USub) and v.code.startswith("k_int_small(") and v.code.endswith("LL)") \
                    and int(v.code[12:-3]) > -(1 << 62):
                return Val(f"k_int_small({-int(v.code[12:-3])}LL)", T.INT)     # -5 is a literal (native ints check it)
            fn = "k_int_neg" if isinstance(node.op, ast.USub) else "k_int_invert"
            return self.into_temp(f"{fn}({v.code})", T.INT, "!{}")
        if v.type in T.NATIVE_INTS:
            sym = {ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}[type(node.op)]
            return Val(f"(({v.type.c_type})({sym}(u64){v.code}))", v.type)
        if v.type == T.FLOAT and isinstance(node.op, (ast.USub, ast.UAdd)):
            return Val(f"({'-' if isinstance(node.op, ast.USub) else '+'}{v.code})", T.FLOAT)
        if isinstance(v.type, T.ClassT):
            name = {ast.USub: "__neg__", ast.UAdd: "__pos__", ast.Invert: "__invert__"}[type(node.op)]
            if v.type.info.lookup_method(name):
                return self.call_function(v.type.info.lookup_method(name), [], node, receiver=v)
        raise self.report.error(node, f"bad operand type for unary operator: {v.type}", "use a number")

    def e_BoolOp(self, node: ast.BoolOp) -> Val:
        types = []
        saved = dict(self.narrowed)
        for v in node.values:                  # each operand sees what the earlier ones established
            types.append(self.peek_type(v))
            self.narrowed.update(self.narrowings(v)[0 if isinstance(node.op, ast.And) else 1])
        self.narrowed = saved
        if all(t == T.BOOL for t in types):
            op = " && " if isinstance(node.op, ast.And) else " || "
            # Each operand's code must run only when needed: lower them inside the condition chain.
            result = self.temp("bool")
            end = self.new_label("boolop")
            saved = dict(self.narrowed)
            for i, v in enumerate(node.values):
                c = self.truth(v)
                self.emit(f"{result} = {c};")
                if i < len(node.values) - 1:
                    self.emit(f"if ({'!' if op == ' && ' else ''}{result}) goto {end};")
                    # `x is not None and x.f`: later operands see what earlier ones established
                    self.narrowed.update(self.narrowings(v)[0 if op == " && " else 1])
            self.narrowed = saved
            self.label(end)
            return Val(result, T.BOOL)
        # x or y / x and y with values: the result is one of the operands.
        t = T.join_all(types)
        if isinstance(node.op, ast.Or) and isinstance(types[0], T.OptionalT):
            t = T.join_all([types[0].inner] + types[1:])
        result = self.temp(t.c_type)
        end = self.new_label("boolop")
        for i, v in enumerate(node.values):
            val = self.coerce(self.expr(v), t, v) if i == len(node.values) - 1 else None
            if val is None:
                raw = self.expr(v)
                val = self.coerce(Val(raw.code, raw.type, raw.owned), t if not isinstance(raw.type, T.OptionalT)
                                  or isinstance(t, T.OptionalT) else T.optional(t), v) if raw.type != t else raw
            code = self.owned(val) if t.is_object else val.code
            self.emit(f"{result} = {code};")
            if val.owned:
                self.disown(val.code)
            if i < len(node.values) - 1:
                test = self.truth_of(Val(result, val.type))
                self.emit(f"if ({'!' if isinstance(node.op, ast.And) else ''}({test})) goto {end};")
                if t.is_object:
                    self.emit(f"k_decref({result}); {result} = 0;")
        self.label(end)
        return Val(result, t, t.is_object)

    def e_IfExp(self, node: ast.IfExp) -> Val:
        pos, neg = self.narrowings(node.test)          # `v if v is not None else d`: v is narrowed in its branch
        saved = dict(self.narrowed)
        self.narrowed.update(pos)
        ta = self.peek_type(node.body)
        self.narrowed = {**saved, **neg}
        tb = self.peek_type(node.orelse)
        self.narrowed = saved
        t = T.join(ta, tb)
        if t is None:
            raise self.report.error(node, f"the branches have unrelated types {ta} and {tb}",
                                    "make both branches the same type")
        result = self.temp(t.c_type)
        cond = self.truth(node.test)
        other = self.new_label("ifexp_else")
        end = self.new_label("ifexp_end")
        self.emit(f"if (!({cond})) goto {other};")
        for branch, label, narrow in ((node.body, other, pos), (node.orelse, end, neg)):
            self.narrowed = {**saved, **narrow}
            v = self.coerce(self.expr(branch), t, branch)
            self.narrowed = saved
            self.emit(f"{result} = {self.owned(v) if t.is_object else v.code};")
            if v.owned:
                self.disown(v.code)
            if label == other:
                self.emit(f"goto {end};")
                self.label(other)
        self.label(end)
        return Val(result, t, t.is_object)

    # ---- comparisons ----

    def e_Compare(self, node: ast.Compare) -> Val:
        left = self.expr(node.left)
        if len(node.ops) == 1:
            return Val(self.compare(node.ops[0], left, self.expr(node.comparators[0]), node), T.BOOL)
        result = self.temp("bool")
        end = self.new_label("cmp")
        for op, right_node in zip(node.ops, node.comparators):
            right = self.expr(right_node)
            self.emit(f"{result} = {self.compare(op, left, right, node)};")
            self.emit(f"if (!{result}) goto {end};")
            left = right
        self.label(end)
        return Val(result, T.BOOL)

    def compare(self, op: ast.cmpop, a: Val, b: Val, node: ast.AST) -> str:
        """A C expression (0/1) for `a op b`; errors are checked here."""
        ta, tb = a.type, b.type
        if isinstance(op, (ast.Is, ast.IsNot)):
            neg = "!" if isinstance(op, ast.IsNot) else ""
            x, y = self.box(a), self.box(b)
            return f"({neg}({x.code} == {y.code}))"
        if isinstance(op, (ast.In, ast.NotIn)):
            neg = "!" if isinstance(op, ast.NotIn) else ""
            return f"({neg}{self.contains(b, a, node)})"
        if ta == T.BOOL and tb == T.BOOL:
            return f"({a.code} {C_CMP[type(op)]} {b.code})"
        n = self.native_operands(ta, tb, op, node)
        if n is not None:           # (an int operand that does not fit raises ValueError, as mypyc's)
            x, y = self.coerce(a, n.type, node), self.coerce(b, n.type, node)
            return f"({x.code} {C_CMP[type(op)]} {y.code})"
        if {ta, tb} <= {T.INT, T.BOOL}:
            a, b = self.coerce(a, T.INT, node), self.coerce(b, T.INT, node)
            if isinstance(op, ast.Eq):
                return f"k_int_eq({a.code}, {b.code})"
            if isinstance(op, ast.NotEq):
                return f"(!k_int_eq({a.code}, {b.code}))"
            return f"(k_int_cmp({a.code}, {b.code}) {C_CMP[type(op)]} 0)"
        if T.is_numeric(ta) and T.is_numeric(tb):
            if ta == T.INT:                      # exact int-vs-float comparison, as CPython
                r = self.into_temp_scalar(f"k_int_cmp_double({a.code}, {b.code})", T.Prim("i", "int"), None)
                return f"({r.code} != 2 && {r.code} {C_CMP[type(op)]} 0)"
            if tb == T.INT:
                r = self.into_temp_scalar(f"k_int_cmp_double({b.code}, {a.code})", T.Prim("i", "int"), None)
                return f"({r.code} != 2 && 0 {C_CMP[type(op)]} {r.code})"
            x, y = self.coerce(a, T.FLOAT, node), self.coerce(b, T.FLOAT, node)
            return f"({x.code} {C_CMP[type(op)]} {y.code})"
        if ta == T.STR and tb == T.STR:
            if isinstance(op, ast.Eq):
                return f"k_str_eq({a.code}, {b.code})"
            if isinstance(op, ast.NotEq):
                return f"(!k_str_eq({a.code}, {b.code}))"
            return f"k_str_richcmp({a.code}, {b.code}, {CMP_OPS[type(op)]})"
        if isinstance(ta, T.ClassT):
            m = ta.info.lookup_method(CMP_DUNDER[type(op)])
            if m is None and isinstance(op, ast.NotEq) and ta.info.lookup_method("__eq__"):
                eq = self.call_function(ta.info.lookup_method("__eq__"), [b], node, receiver=a)
                return f"(!{eq.code})"
            if m is not None and (not ta.info.dataclass or m.node is not None):
                return self.call_function(m, [b], node, receiver=a).code
        if isinstance(op, (ast.Eq, ast.NotEq)) and (ta == T.NONE or tb == T.NONE):
            x, y = self.box(a), self.box(b)
            neg = "!" if isinstance(op, ast.NotEq) else ""
            return f"({neg}({x.code} == {y.code}))"
        x, y = self.box(a), self.box(b)
        r = self.into_temp_scalar(f"k_richcmp({x.code}, {y.code}, {CMP_OPS[type(op)]})", T.Prim("i", "int"),
                                  "{} < 0")
        return f"({r.code} > 0)"

    def contains(self, container: Val, item: Val, node: ast.AST) -> str:
        container = self.as_tuple(container)
        t = container.type
        fns = {T.STR: "k_str_contains", T.BYTES: "k_bytes_contains", T.RANGE: "k_range_contains"}
        fn = fns.get(t)
        if isinstance(t, T.ListT):
            fn = "k_list_contains"
        elif isinstance(t, T.DictT):
            fn = "k_dict_contains"
        elif isinstance(t, T.SetT):
            fn = "k_set_contains"
        elif isinstance(t, T.TupleT):
            fn = "k_tuple_contains"
        elif isinstance(t, T.ClassT) and t.info.lookup_method("__contains__"):
            return self.call_function(t.info.lookup_method("__contains__"), [item], node, receiver=container).code
        if fn is None and (isinstance(t, T.IteratorT) or t in (T.ANY, T.OBJECT)):
            fn = "k_contains"
        if fn is None:
            raise self.report.error(node, f"'in' is not supported on {t}",
                                    "use it on a str, list, tuple, dict, set, range or a class with __contains__")
        x = self.box(item)
        r = self.into_temp_scalar(f"{fn}({container.code}, {x.code})", T.Prim("i", "int"), "{} < 0")
        return f"({r.code} > 0)"

    # ---- truth ----

    def truth(self, node: ast.expr) -> str:
        return self.truth_of(self.expr(node))

    def truth_of(self, v: Val) -> str:
        t = v.type
        if t == T.BOOL:
            return v.code
        if t == T.INT:
            return f"({v.code} != k_int_small(0))"
        if t in T.NATIVE_INTS:
            return f"({v.code} != 0)"
        if t == T.FLOAT:
            return f"({v.code} != 0.0)"
        if t == T.STR:
            return f"(k_str_nbytes({v.code}) != 0)"
        if t == T.NONE:
            return "0"
        if isinstance(t, T.ListT):
            return f"(k_list_len_fast({v.code}) != 0)"
        if isinstance(t, T.OptionalT) and t.inner not in (T.INT, T.FLOAT, T.BOOL, T.STR) and not (
                isinstance(t.inner, T.ClassT) and (t.inner.info.lookup_method("__bool__")
                                                   or t.inner.info.lookup_method("__len__"))) \
                and not isinstance(t.inner, (T.ListT, T.DictT, T.SetT, T.TupleT)):
            return f"({v.code} != k_None)"
        if isinstance(t, T.ClassT):
            m = t.info.lookup_method("__bool__")
            if m is not None:
                return self.call_function(m, [], None, receiver=v).code
            m = t.info.lookup_method("__len__")
            if m is not None:
                n = self.call_function(m, [], None, receiver=v)
                return f"({n.code} != k_int_small(0))"
            return "1"
        return f"k_truthy({self.box(v).code})"

    def narrowings(self, test: ast.expr) -> tuple[dict[str, T.Type], dict[str, T.Type]]:
        """Types names take where `test` holds and where it does not (is None, isinstance, truth)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            pos, neg = self.narrowings(test.operand)
            return neg, pos
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            pos: dict[str, T.Type] = {}
            for v in test.values:
                pos.update(self.narrowings(v)[0])
            return pos, {}
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            neg: dict[str, T.Type] = {}
            for v in test.values:
                neg.update(self.narrowings(v)[1])
            return {}, neg
        if isinstance(test, ast.Name):
            var = self.lookup_var(test.id)
            t = self.narrowed.get(test.id, var.type) if var else None
            if isinstance(t, T.OptionalT):
                return {test.id: t.inner}, {}
            return {}, {}
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name):
            name = test.left.id
            var = self.lookup_var(name)
            if var is None:
                return {}, {}
            t = self.narrowed.get(name, var.type)
            right = test.comparators[0]
            if isinstance(right, ast.Constant) and right.value is None and isinstance(t, T.OptionalT):
                if isinstance(test.ops[0], (ast.Is, ast.Eq)):
                    return {name: T.NONE}, {name: t.inner}
                if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)):
                    return {name: t.inner}, {name: T.NONE}
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name):
            name, cls = test.args[0].id, test.args[1]
            var = self.lookup_var(name)
            if isinstance(cls, ast.Name) and cls.id in NARROW_BUILTINS and var is not None and \
                    is_dynamic(self.narrowed.get(name, var.type)) and self.lookup_var(cls.id) is None:
                return {name: NARROW_BUILTINS[cls.id]}, {}
            if isinstance(cls, ast.Tuple):
                return {}, {}                               # (int, float): a union, which stays as it was
            cls_t = self.peek_type(cls)
            if isinstance(cls_t, T.TypeObjT):
                return {name: cls_t.info.instance}, {}
        return {}, {}

    # ---- displays ----

    def e_Tuple(self, node: ast.Tuple, expected: T.Type | None = None) -> Val:
        hints: list[T.Type | None] = [None] * len(node.elts)
        if isinstance(expected, T.TupleT):
            hints = list(expected.items) if expected.var is None and len(expected.items) == len(node.elts) \
                else [expected.var] * len(node.elts)
        vals = [self.expr(e, h) for e, h in zip(node.elts, hints)]
        t = T.TupleT("tuple", tuple(v.type for v in vals))
        return self.pack_tuple(vals, t)

    def pack_tuple(self, vals: list[Val], t: T.Type) -> Val:
        if not vals:
            return self.into_temp("k_tuple_new(0)", t)
        boxed = [self.box(v) for v in vals]
        return self.into_temp(f"k_tuple_pack({len(vals)}, {', '.join(b.code for b in boxed)})", t)

    def e_List(self, node: ast.List, expected: T.Type | None) -> Val:
        t = self.display_type(node, node.elts, expected, T.ListT, "list")
        out = self.into_temp(f"k_list_new({len(node.elts)})", t)
        for e in node.elts:
            v = self.box(self.coerce(self.expr(e, t.elem), t.elem, e))
            self.emit(f"k_list_append_fast({out.code}, {v.code});")
        return out

    def e_Set(self, node: ast.Set, expected: T.Type | None) -> Val:
        t = self.display_type(node, node.elts, expected, T.SetT, "set")
        out = self.into_temp("k_set_new()", t)
        for e in node.elts:
            v = self.box(self.coerce(self.expr(e), t.elem, e))
            self.check(f"k_set_add({out.code}, {v.code})")
        if len(node.elts) >= 3 and all(map(folded_constant, node.elts)):
            # CPython folds a constant display into a frozenset and copies it into a new set,
            # which lays the table out (and orders iteration) differently: do the same.
            return self.into_temp(f"k_set_fold_constant({out.code})", t, "!{}")
        return out

    def e_Dict(self, node: ast.Dict, expected: T.Type | None) -> Val:
        if any(k is None for k in node.keys):
            raise self.report.error(node, "'**' in a dict display is not supported", "use d1 | d2")
        if isinstance(expected, T.DictT):
            # a display is a plain dict even where a Counter or defaultdict is expected
            t = expected if type(expected) is T.DictT else T.DictT("dict", expected.key, expected.value)
        elif node.keys:
            kt = T.join_all([self.peek_type(k) for k in node.keys])   # type: ignore[arg-type]
            vt = T.join_all([self.peek_type(v) for v in node.values])
            t = T.DictT("dict", kt, vt)
        else:
            t = T.DictT("dict", T.NORETURN, T.NORETURN)
        out = self.into_temp("k_dict_new()", t)
        for k, v in zip(node.keys, node.values):
            kv = self.box(self.coerce(self.expr(k), t.key, k))      # type: ignore[arg-type]
            vv = self.box(self.coerce(self.expr(v, t.value), t.value, v))
            self.check(f"k_dict_setitem({out.code}, {kv.code}, {vv.code})")
        return out

    def display_type(self, node: ast.AST, elts: list[ast.expr], expected: T.Type | None, kind: type, name: str):
        if isinstance(expected, kind):
            return expected
        if isinstance(expected, T.OptionalT) and isinstance(expected.inner, kind):
            return expected.inner
        if not elts:
            return kind(name, T.NORETURN)           # an empty display fits any element type
        return kind(name, T.join_all([self.peek_type(e) for e in elts]))

    # ---- f-strings ----

    def e_JoinedStr(self, node: ast.JoinedStr) -> Val:
        parts: list[str] = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(self.unit.str_literal(v.value))
            else:
                assert isinstance(v, ast.FormattedValue)
                parts.append(self.formatted(v).code)
        if len(parts) == 1:
            return Val(parts[0], T.STR, parts[0].startswith("t"))
        arr = self.new_label("")[1:]
        self.emit(f"kval parts{arr}[{len(parts)}] = {{{', '.join(parts)}}};")
        return self.into_temp(f"k_str_join_parts(parts{arr}, {len(parts)})", T.STR, "!{}")

    def formatted(self, v: ast.FormattedValue) -> Val:
        value = self.expr(v.value)
        spec = self.expr(v.format_spec) if v.format_spec is not None else None
        return self.format_part(value, v.conversion, spec, v)

    def format_part(self, value: Val, conversion: int, spec: Val | None, node: ast.AST) -> Val:
        """One replacement field of an f-string or str.format: conversion, then the spec."""
        if conversion == ord("r"):
            value = self.repr_of(value)
        elif conversion == ord("s"):
            value = self.str_of(value)
        elif conversion == ord("a"):
            raise self.report.error(node, "!a is not supported", "use !r")
        if spec is None:
            return self.str_of(value) if value.type != T.STR else (
                value if value.owned else self.into_temp(f"k_newref({value.code})", T.STR))
        if value.type == T.FLOAT:
            return self.into_temp(f"k_format_float_spec({value.code}, {spec.code})", T.STR, "!{}")
        return self.into_temp(f"k_format({self.box(value).code}, {spec.code})", T.STR, "!{}")

    def str_of(self, v: Val) -> Val:
        """str(v) as a new reference."""
        t = v.type
        if t == T.STR:
            return v if v.owned else self.into_temp(f"k_newref({v.code})", T.STR)
        if t == T.INT or t in T.NATIVE_INTS:
            return self.into_temp(f"k_int_repr({self.coerce(v, T.INT, None).code})", T.STR, "!{}")
        if t == T.FLOAT:
            return self.into_temp(f"k_float_repr({v.code})", T.STR, "!{}")
        if t == T.BOOL:
            return Val(f"({v.code} ? {self.unit.str_literal('True')} : {self.unit.str_literal('False')})", T.STR)
        if isinstance(t, T.ClassT) and not t.info.is_exception:
            m = t.info.lookup_method("__str__") or t.info.lookup_method("__repr__")
            if m is not None and m.node is not None and m.slot < 0:
                return self.call_function(m, [], None, receiver=v)
        return self.into_temp(f"k_str({self.box(v).code})", T.STR, "!{}")

    def repr_of(self, v: Val) -> Val:
        t = v.type
        if t == T.STR:
            return self.into_temp(f"k_str_repr({v.code})", T.STR, "!{}")
        if T.is_numeric(t):
            return self.str_of(v)
        return self.into_temp(f"k_repr({self.box(v).code})", T.STR, "!{}")


def is_simple(code: str) -> bool:
    """A C variable or literal: safe to evaluate twice."""
    return code.replace("_", "").replace(".", "").replace("+", "").replace("-", "").isalnum()


def folded_constant(node: ast.expr) -> bool:
    """An expression CPython's compiler folds into a constant (literals and operators on them)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return folded_constant(node.operand)
    if isinstance(node, ast.BinOp):
        return folded_constant(node.left) and folded_constant(node.right)
    return False


def negative_literal(node: ast.expr) -> bool:
    """-3 written in the source: mypy types `int ** -3` as float."""
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and \
        isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, int) and node.operand.value > 0


def float_literal(v: float) -> str:
    if v != v:
        return "__builtin_nan(\"\")"
    if v in (float("inf"), float("-inf")):
        return "__builtin_inf()" if v > 0 else "(-__builtin_inf())"
    return f"{v.hex()}"        # exact, in C99 hexadecimal floating notation


__all__ = ["ExpressionLowering", "c_string", "float_literal"]
