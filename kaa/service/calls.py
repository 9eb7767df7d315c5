"""Lowering calls: the program's functions and methods, constructors, built-in functions,
methods of the built-in types (methods.py), and calls through Callable values.

Arguments are bound to parameters at compile time (positional, keyword, defaults), so
a call is one C call with typed arguments. A method some subclass overrides is called
through the receiver's vtable (KType.methods); any other method directly.
"""

from __future__ import annotations

import ast

from kaa.service import methods as M
from kaa.service import types as T
from kaa.service.classes import class_has_attribute
from kaa.service.function import Val, c_string, runtime_type


class Lowered(ast.expr):
    """An argument lowered already (its value held by the statement): lets a call be bound
    again from values, as dynamic_method does once per candidate type."""
    _fields = ()

    def __init__(self, val: Val):
        super().__init__()
        self.val = val
from kaa.service.symbols import ClassInfo, FuncInfo

CONV_CHECK = {"obj": "!{}", "tri": "{} < 0", "neg1": "{} == -1", "neg2": "{} == -2", "status": "{} < 0",
              "found": "{} < 0", "double": "k_exc"}
CONV_CTYPE = {"obj": "kval", "tri": "int", "neg1": "i64", "neg2": "i64", "status": "int", "found": "int",
              "bool": "bool", "i64": "i64", "double": "double"}


class CallLowering:
    """Mixed into Lowering (lower.py)."""

    def e_Call(self, node: ast.Call) -> Val:
        math_call = isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and \
            self.mod.imports.get(node.func.value.id) == "math" and self.lookup_var(node.func.value.id) is None
        for a in node.args:
            if isinstance(a, ast.Starred) and not math_call:     # math.hypot(*xs), gcd(*xs): stdlib.py
                raise self.report.error(a, "'*' arguments are not supported", "pass the arguments one by one")
        for k in node.keywords:
            if k.arg is None:
                raise self.report.error(k, "'**' arguments are not supported", "pass keyword arguments by name")
        f = node.func
        if isinstance(f, ast.Name) and self.lookup_var(f.id) is None:
            if f.id in self.mod.functions:
                return self.call_function(self.mod.functions[f.id], node.args, node, keywords=node.keywords)
            if f.id in self.mod.classes:
                return self.construct(self.mod.classes[f.id], node.args, node.keywords, node)
            from kaa.service.declare import BUILTIN_CLASSES
            if f.id in BUILTIN_CLASSES:
                return self.construct(BUILTIN_CLASSES[f.id], node.args, node.keywords, node)
            handler = getattr(self, "b_" + f.id, None)
            if handler is not None:
                return handler(node)
            if self.collections_name(f) is not None:
                return self.collections_call(self.collections_name(f), node)
            imported = self.library_name(f.id)
            if imported is not None:
                return self.library_call(*imported, node)
            if self.mod.imports.get(f.id, "").startswith("dataclasses."):
                return self.dataclasses_call(self.mod.imports[f.id][len("dataclasses."):], node)
        if isinstance(f, ast.Attribute):
            return self.method_call(f, node)
        if isinstance(f, ast.Lambda):
            callee = self.expr(f, self.infer_lambda(f, [self.peek_type(a) for a in node.args]))
        else:
            callee = self.expr(f)
        if isinstance(callee.type, T.CallableT):
            return self.call_value(callee, node)
        if callee.type == T.ANY:                          # a bound method read from a dynamic value
            return self.into_temp(f"k_dyn_call({callee.code}, {self.dynamic_arguments(node)[1]})", T.ANY, "!{}")
        if isinstance(callee.type, T.TypeObjT):
            info = callee.type.info
            if info.subclasses and info.builtin_type is None:
                init = self.unit.constructor(info)
                vals = self.bind(init, node.args, node.keywords, node)
                fn = self.unit.dynamic_constructor(info)
                return self.into_temp(f"{fn}({', '.join([callee.code] + [v.code for v in vals])})",
                                      info.instance, "!{}")
            return self.construct(info, node.args, node.keywords, node)
        raise self.report.error(node, f"'{ast.unparse(f)}' is not callable (type {callee.type})",
                                "call a function, a method, a class or a Callable value")

    # ---- binding ----

    def bind(self, func: FuncInfo, args: list, keywords: list[ast.keyword], node: ast.AST) -> list[Val]:
        """Arguments for func's parameters, coerced to their types, defaults filled in."""
        params = func.params
        positional = [p for p in params if not p.kw_only]
        if len(args) > len(positional):
            raise self.report.error(node, f"{func.name}() takes {len(positional)} positional argument"
                                    f"{'s' if len(positional) != 1 else ''} but {len(args)} were given",
                                    f"signature: {self.signature_text(func)}")
        given: dict[str, object] = {}
        for p, a in zip(positional, args):
            given[p.name] = a
        for k in keywords:
            if k.arg not in {p.name for p in params}:
                raise self.report.error(k, f"{func.name}() got an unexpected keyword argument '{k.arg}'",
                                        f"signature: {self.signature_text(func)}")
            if k.arg in given:
                raise self.report.error(k, f"{func.name}() got multiple values for argument '{k.arg}'",
                                        "pass it once")
            given[k.arg] = k.value
        out = []
        for p in params:
            if p.name in given:
                a = given[p.name]
                v = a if isinstance(a, Val) else self.expr(a, p.type)
                out.append(self.coerce(v, p.type, a if isinstance(a, ast.AST) else node))
            elif p.default is not None:
                out.append(self.default_value(func, p))
            else:
                raise self.report.error(node, f"{func.name}() missing required argument '{p.name}'",
                                        f"signature: {self.signature_text(func)}")
        return out

    def default_value(self, func: FuncInfo, p) -> Val:
        d = p.default
        if p.name in getattr(func, "factories", ()):
            if isinstance(d, ast.Name) and d.id in ("list", "dict", "set"):
                empty = {"list": "k_list_new(0)", "dict": "k_dict_new()", "set": "k_set_new()"}[d.id]
                return self.into_temp(empty, p.type)
            return self.coerce(self.expr(ast.Call(func=d, args=[], keywords=[], lineno=d.lineno,
                                                  col_offset=d.col_offset), p.type), p.type, d)
        if is_immutable_literal(d):
            return self.coerce(self.expr(d, p.type), p.type, d)
        cname = func.defaults_cnames.get(p.name)
        if cname is None:
            raise self.report.error(d, "this default value is not supported",
                                    "use a constant, or None and create the value in the function")
        return Val(cname, p.type)

    def signature_text(self, func: FuncInfo) -> str:
        parts = []
        for p in func.params:
            s = f"{p.name}: {p.type}" + (" = ..." if p.default is not None else "")
            parts.append(s)
        return f"{func.name}({', '.join(parts)}) -> {func.ret}"

    def call_function(self, func: FuncInfo, args: list, node: ast.AST | None, receiver: Val | None = None,
                      keywords: list[ast.keyword] | None = None, direct: bool = False) -> Val:
        if func.kind == "classmethod" and receiver is None:
            receiver = Val(f"K_VAL(&{func.owner.type_cname})", func.owner.type_obj)
        elif func.kind == "classmethod" and isinstance(receiver.type, T.ClassT):
            # obj.classmethod(): cls is the object's own class
            receiver = Val(f"K_VAL(K_OBJ({receiver.code})->type)", receiver.type.info.type_obj)
        vals = self.bind(func, args, keywords or [], node)
        cargs = ([self.box(receiver).code] if receiver is not None else []) + [v.code for v in vals]
        ret = func.ret
        ctype = self.c_return_type(ret)
        if func.slot >= 0 and receiver is not None and not direct and func.kind in ("method", "property"):
            proto = self.unit.fn_pointer_type(func)
            target = f"(({proto})K_OBJ({receiver.code})->type->methods[{func.slot}])"
        elif func.slot >= 0 and receiver is not None and not direct and func.kind == "classmethod":
            proto = self.unit.fn_pointer_type(func)
            target = f"(({proto})((const KType *)({receiver.code}))->methods[{func.slot}])"
        else:
            target = func.cname
            self.unit.need_prototype(func)
        call = f"{target}({', '.join(cargs)})"
        return self.call_result(call, ret, ctype)

    def call_result(self, call: str, ret: T.Type, ctype: str) -> Val:
        if ret == T.NONE:
            tmp = self.temp("kval", owned=False)
            self.emit(f"{tmp} = {call};")
            self.check(f"!{tmp}")
            return Val("k_None", T.NONE)
        if ret == T.NORETURN:
            self.emit(f"{call};")
            self.check("k_exc")
            return Val("0", T.NORETURN)
        if ctype == "kval":
            return self.into_temp(call, ret, "!{}")
        return self.into_temp_scalar(call, ret, "k_exc")

    def c_return_type(self, t: T.Type) -> str:
        return "kval" if t in (T.NONE, T.NORETURN) else t.c_type

    def call_value(self, callee: Val, node: ast.Call) -> Val:
        t = callee.type
        assert isinstance(t, T.CallableT)
        if node.keywords:
            raise self.report.error(node, "a Callable value takes positional arguments only",
                                    "pass the arguments in order")
        if len(node.args) != len(t.params):
            raise self.report.error(node, f"this callable takes {len(t.params)} arguments, {len(node.args)} given",
                                    f"its type is {t}")
        args = [self.box(self.coerce(self.expr(a, p), p, a)) for a, p in zip(node.args, t.params)]
        arr = self.new_label("")[1:]
        self.emit(f"kval args{arr}[{max(1, len(args))}] = {{{', '.join(a.code for a in args) or '0'}}};")
        r = self.into_temp(f"k_call({callee.code}, args{arr}, {len(args)})", T.OBJECT, "!{}")
        if t.ret == T.NONE:
            return Val("k_None", T.NONE)
        if t.ret.is_object:
            return Val(r.code, t.ret, True)
        return self.unbox(r, t.ret)

    # ---- constructors ----

    def construct(self, info: ClassInfo, args: list, keywords: list[ast.keyword], node: ast.AST) -> Val:
        if info.is_exception and info.lookup_method("__init__") is None:
            if keywords:
                raise self.report.error(node, "built-in exceptions take positional arguments",
                                        f"{info.name}('message')")
            vals = [self.expr(a) for a in args]
            tup = self.pack_tuple(vals, T.TupleT("tuple", tuple(v.type for v in vals)))
            return self.into_temp(f"k_exc_new(&{info.type_cname}, {tup.code})", info.instance)
        if info.enum_kind is not None:                    # Color(1): the member with that value
            if len(args) != 1 or keywords:
                raise self.report.error(node, f"{info.name}() takes one value", f"{info.name}(value)")
            v = self.box(self.expr(args[0]))
            return self.into_temp(f"k_enum_by_value(&{info.type_cname}, {v.code})", info.instance, "!{}")
        abstract = info.abstract_methods()
        if abstract:
            raise self.report.error(node, f"Can't instantiate abstract class {info.name} with abstract method"
                                    f"{'s' if len(abstract) > 1 else ''} {', '.join(abstract)}",
                                    "construct a subclass that defines them")
        init = self.unit.constructor(info)
        vals = self.bind(init, args, keywords, node)
        return self.into_temp(f"{init.cname}({', '.join(v.code for v in vals)})", info.instance, "!{}")

    # ---- method calls ----

    def method_call(self, f: ast.Attribute, node: ast.Call) -> Val:
        km = self.kernel_module(f.value)
        if km is not None:
            return self.kernel_call(km, node, f.attr)
        if isinstance(f.value, ast.Name) and self.mod.imports.get(f.value.id) == "sys":
            return self.sys_call(f.attr, node)
        if isinstance(f.value, ast.Name) and self.mod.imports.get(f.value.id) in ("gc", "typing") and \
                self.lookup_var(f.value.id) is None:
            return self.gc_typing_call(self.mod.imports[f.value.id], f.attr, node)
        if isinstance(f.value, ast.Name) and self.mod.imports.get(f.value.id) == "dataclasses" and \
                self.lookup_var(f.value.id) is None:
            return self.dataclasses_call(f.attr, node)
        if self.collections_name(f) is not None:
            return self.collections_call(f.attr, node)
        lib = self.library_module(f.value)
        if lib is not None:
            return self.library_call(lib, f.attr, node)
        fused = self.utf8_call(f, node)
        if fused is not None:
            return fused
        if isinstance(f.value, ast.Name) and self.mod.imports.get(f.value.id) == "math" and \
                self.lookup_var(f.value.id) is None:
            return self.math_call(f.attr, node)
        if isinstance(f.value, ast.Attribute) and isinstance(f.value.value, ast.Name) and \
                self.mod.imports.get(f.value.value.id) == "sys":
            return self.sys_stream_call(f, node)
        if isinstance(f.value, ast.Call) and isinstance(f.value.func, ast.Name) and f.value.func.id == "super":
            return self.super_call(f, node)
        if isinstance(f.value, ast.Name) and f.value.id in ("bytes", "bytearray") and f.attr == "fromhex" \
                and self.lookup_var(f.value.id) is None:
            self.args_exactly(node, 1, 1)
            s = self.coerce(self.expr(node.args[0]), T.STR, node.args[0])
            kind = T.BYTES if f.value.id == "bytes" else T.BYTEARRAY
            return self.into_temp(f"k_bytes_fromhex({s.code}, {int(kind == T.BYTEARRAY)})", kind, "!{}")
        obj = self.expr(f.value)
        t = obj.type
        if isinstance(t, T.TypeObjT):
            m = t.info.lookup_method(f.attr)
            if m is None or m.kind not in ("staticmethod", "classmethod"):
                raise self.report.error(f, f"'{t.info.name}.{f.attr}' is not a static or class method",
                                        "call methods on instances")
            recv = obj if m.kind == "classmethod" else None
            return self.call_function(m, node.args, node, receiver=recv, keywords=node.keywords)
        if isinstance(t, T.ClassT) and t.info.namedtuple and f.attr in ("_replace", "_asdict"):
            return self.namedtuple_call(obj, f.attr, node)
        if isinstance(t, T.ClassT):
            m = t.info.lookup_method(f.attr)
            if m is None:
                fields = t.info.all_fields()
                if f.attr in fields and isinstance(fields[f.attr], T.CallableT):
                    return self.call_value(self.load_attribute(obj, f.attr, f), node)
                raise self.report.error(f, f"'{t.info.name}' has no method '{f.attr}'",
                                        "define it in the class (or a base class)")
            if m.kind == "staticmethod":
                return self.call_function(m, node.args, node, keywords=node.keywords)
            return self.call_function(m, node.args, node, receiver=obj, keywords=node.keywords)
        if t == T.ANY:
            return self.dynamic_method(obj, f.attr, node)
        if isinstance(t, T.OptionalT):
            raise self.report.error(f, f"method '{f.attr}' called on a value that may be None ({t})",
                                    "check 'if x is not None:' first")
        if isinstance(t, T.ListT) and f.attr == "sort":
            return self.list_sort(obj, node)
        if t == T.STR and f.attr == "format":
            if not (isinstance(f.value, ast.Constant) and isinstance(f.value.value, str)):
                raise self.report.error(f, "str.format() is supported on a string literal only",
                                        "write 'text {}'.format(x), or an f-string")
            return self.str_format(f.value.value, node)
        table = M.methods_of(t)
        spec = table.get(f.attr) if table else None
        if spec is None:
            raise self.report.error(f, f"'{t}' has no method '{f.attr}' at the service level",
                                    "see docs/language.md for the methods of the built-in types")
        return self.spec_call(spec, obj, t, node, f.attr)

    def dynamic_method(self, obj: Val, attr: str, node: ast.Call) -> Val:
        """x.attr(...) on a dynamic x: the arguments are evaluated once, then the method of
        x's class when it is an instance of the program's (k_dyn_callmethod: the class's
        attribute table binds and checks the arguments), else one branch per built-in type
        that has such a method, chosen by x's run-time type; the result is dynamic.
        Another type raises AttributeError as CPython does."""
        if attr == "sort":                                   # list.sort, lowered by list_sort
            self.check(f"!k_expect({obj.code}, &k_list_type, \"list\", 0)")
            return self.list_sort(Val(obj.code, T.ListT("list", T.ANY)), node)
        branches = [(rt, table[attr]) for rt, table in M.dynamic_receivers() if attr in table]
        in_classes = any(class_has_attribute(info, attr) for info in self.mod.classes.values())
        call, arguments = self.dynamic_arguments(node)
        method = f"k_dyn_callmethod({obj.code}, {c_string(attr)}, {arguments})"
        if not branches:
            return self.into_temp(method, T.ANY, "!{}")
        result = self.temp("kval")
        kind = self.temp("i64")
        done = self.new_label("dyn_done")
        if in_classes:
            builtin = self.new_label("dyn_builtin")
            self.emit(f"if (!k_dyn_find({obj.code}, {c_string(attr)})) goto {builtin};")
            self.emit(f"{result} = {method};")
            self.check(f"!{result}")
            self.emit(f"goto {done};")
            self.label(builtin)
        self.emit(f"{kind} = (i64)k_type_of({obj.code});")
        for rt, spec in branches:
            skip = self.new_label("dyn_next")
            self.emit(f"if (!k_is_subtype((const KType *){kind}, &{runtime_type(rt)[0]})) goto {skip};")
            if in_classes and not spec_binds(spec, call):
                # meant for a class's method: for this built-in type, the error at run time
                self.emit(f"k_raise_str(&k_TypeError_type, "
                          f"{c_string(f'{rt}.{attr}() does not take these arguments')}); goto {self.error_block()};")
                self.label(skip)
                continue
            r = self.box(self.spec_call(spec, Val(obj.code, rt), rt, call, attr))
            self.emit(f"{result} = {self.owned(r)};")
            if r.owned:
                self.disown(r.code)
            self.emit(f"goto {done};")
            self.label(skip)
        self.emit(f"k_dyn_no_attribute({obj.code}, {c_string(attr)}); goto {self.error_block()};")
        self.label(done)
        return Val(result, T.ANY, True)

    def dynamic_arguments(self, node: ast.Call) -> tuple[ast.Call, str]:
        """The call's arguments evaluated once, boxed: the call again over them (for the
        built-in types' branches) and the C arguments `values, npos, kwnames, nkw` of
        k_dyn_callmethod and k_dyn_call."""
        args = [self.lowered_dynamic(a) for a in node.args]
        keywords = [ast.keyword(k.arg, self.lowered_dynamic(k.value)) for k in node.keywords]
        call = ast.Call(node.func, args, keywords, lineno=node.lineno, col_offset=node.col_offset)
        arr = self.new_label("")[1:]
        values = [a.val.code for a in args] + [k.value.val.code for k in keywords]
        self.emit(f"kval dargs{arr}[{max(1, len(values))}] = {{{', '.join(values) or '0'}}};")
        kwnames = "0"
        if keywords:
            self.emit(f"const char *const dkw{arr}[] = {{{', '.join(c_string(k.arg) for k in keywords)}}};")
            kwnames = f"dkw{arr}"
        return call, f"dargs{arr}, {len(args)}, {kwnames}, {len(keywords)}"

    def lowered_dynamic(self, node: ast.expr) -> Lowered:
        """node's value, boxed and seen as dynamic: each branch checks it against its own types."""
        v = self.box(self.expr(node))
        out = Lowered(Val(v.code, T.ANY))
        ast.copy_location(out, node)
        return out

    def str_format(self, template: str, node: ast.Call) -> Val:
        """'...{}...'.format(args): the arguments are evaluated first, in order (as CPython
        evaluates a call's arguments); the template, known here, becomes an f-string's join."""
        import string
        args = [self.expr(a) for a in node.args]
        kwargs = {k.arg: self.expr(k.value) for k in node.keywords if k.arg is not None}
        auto = [0]

        def field(name: str) -> Val:
            if name == "":
                auto[0] += 1
                index = auto[0] - 1
            elif name.isdigit():
                index = int(name)
            elif name in kwargs:
                return kwargs[name]
            else:
                raise self.report.error(node, f"str.format() field {{{name}}} is not supported",
                                        "use {}, {0} or {name} with name=... given")
            if index >= len(args):
                raise self.report.error(node, f"str.format() has no argument for field {index}",
                                        f"it was given {len(args)} positional arguments")
            return args[index]

        def build(text: str) -> Val:
            parts: list[str] = []
            try:
                pieces = list(string.Formatter().parse(text))
            except ValueError as e:
                raise self.report.error(node, f"bad format string: {e}", "balance the braces ({{ and }} for one)")
            for literal, name, spec, conv in pieces:
                if literal:
                    parts.append(self.unit.str_literal(literal))
                if name is None:
                    continue
                value = field(name)                       # numbered before the fields in its spec
                spec_val = build(spec) if spec else None
                part = self.format_part(value, ord(conv) if conv else -1, spec_val, node)
                parts.append(part.code)
            if not parts:
                return Val(self.unit.str_literal(""), T.STR)
            arr = self.new_label("")[1:]
            self.emit(f"kval fmt{arr}[{len(parts)}] = {{{', '.join(parts)}}};")
            return self.into_temp(f"k_str_join_parts(fmt{arr}, {len(parts)})", T.STR, "!{}")

        return build(template)

    def spec_call(self, spec: M.MethodSpec, obj: Val | None, t: T.Type, node: ast.Call, name: str) -> Val:
        """A call bound against a MethodSpec: a built-in type's method (obj is the receiver,
        the first C argument) or a standard module's function (obj None). Type functions of
        the spec are given t: the receiver's type, or the function's first argument's."""
        params = spec.params
        if len(node.args) > len(params):
            raise self.report.error(node, f"{name}() takes at most {len(params)} arguments ({len(node.args)} given)",
                                    f"parameters: {', '.join(p.name for p in params) or 'none'}")
        given: dict[str, ast.expr] = {p.name: a for p, a in zip(params, node.args)}
        for k in node.keywords:
            if k.arg not in {p.name for p in params}:
                raise self.report.error(k, f"{name}() got an unexpected keyword argument '{k.arg}'",
                                        f"parameters: {', '.join(p.name for p in params)}")
            given[k.arg] = k.value
        cargs = [obj.code] if obj is not None else []
        # d.pop(k, None) is an Optional[V], as mypy's overload says
        pop_none = spec.cfunc == "k_dict_pop" and isinstance(t, T.DictT) and "default" in given \
            and self.peek_type(given["default"]) == T.NONE
        for p in params:
            pt = M.resolve(p.type, t) if not (pop_none and p.name == "default") else T.optional(t.value)
            if p.name not in given:
                if p.default is None:
                    raise self.report.error(node, f"{name}() missing required argument '{p.name}'",
                                            f"parameters: {', '.join(q.name for q in params)}")
                cargs.append(p.default)
                continue
            a = given[p.name]
            if pt == M.I64:
                cargs.append(self.as_i64(self.expr(a, T.INT), a))
            elif pt in (M.CBOOL, M.CDOUBLE):
                cargs.append(self.coerce(self.expr(a), T.BOOL if pt == M.CBOOL else T.FLOAT, a).code)
            else:
                v = self.expr(a, pt)
                if isinstance(pt, T.IteratorT) and not T.subtype(v.type, pt):
                    raise self.report.error(a, f"expected an iterable of {pt.elem}, got {v.type}",
                                            f"pass a list (or other iterable) of {pt.elem}")
                if not isinstance(pt, T.IteratorT):
                    v = self.coerce(v, pt, a)
                cargs.append(self.box(v).code)
        ret = M.resolve(spec.ret, t) if not pop_none else T.optional(t.value)      # type: ignore[union-attr]
        if spec.cfunc == "k_dict_get" and "default" in given and isinstance(t, T.DictT):
            d = self.peek_type(given["default"])
            if d != T.NONE:                           # d.get(k, 0) is a V, as mypy's overload says
                ret = T.join(t.value, d) or ret
        call = f"{spec.cfunc}({', '.join(cargs)})"
        conv = spec.conv
        if conv == "void":
            self.emit(f"{call};")
            return Val("k_None", T.NONE)
        ctype = CONV_CTYPE[conv]
        r = self.temp(ctype, owned=(ctype == "kval"))
        self.emit(f"{r} = {call};")
        if conv in CONV_CHECK:
            self.check(CONV_CHECK[conv].format(r))
        if conv in ("status", "found"):
            return Val("k_None", T.NONE)
        if conv == "tri":
            return Val(f"({r} > 0)", T.BOOL)
        if conv in ("neg1", "neg2", "i64"):
            return self.into_temp(f"k_int_from_i64({r})", T.INT)
        if conv in ("bool", "double"):
            return Val(r, T.BOOL if conv == "bool" else T.FLOAT)
        return self.unbox(Val(r, ret, True), ret) if not ret.is_object else Val(r, ret, True)

    def list_sort(self, obj: Val, node: ast.Call) -> Val:
        key, reverse = self.key_reverse(node, obj.type.elem)
        self.check(f"k_list_sort({obj.code}, {key}, {reverse})")
        return Val("k_None", T.NONE)

    def key_reverse(self, node: ast.Call, elem: T.Type) -> tuple[str, str]:
        key, reverse = "0", "0"
        for k in node.keywords:
            if k.arg == "key":
                if not (isinstance(k.value, ast.Constant) and k.value.value is None):
                    expected = None
                    if isinstance(k.value, ast.Lambda) and len(k.value.args.args) == 1:
                        expected = self.infer_lambda(k.value, [elem])
                    v = self.expr(k.value, expected)
                    if not isinstance(v.type, T.CallableT) or len(v.type.params) != 1:
                        raise self.report.error(k.value, "key= takes a function of one argument",
                                                "key=lambda x: ... or key=len")
                    key = v.code
            elif k.arg == "reverse":
                reverse = self.coerce(self.expr(k.value), T.BOOL, k.value).code
            elif k.arg != "default":
                raise self.report.error(k, f"unexpected keyword argument '{k.arg}'", "key= and reverse= are accepted")
        return key, reverse

    def super_call(self, f: ast.Attribute, node: ast.Call) -> Val:
        cls = self.func.owner if self.func is not None else None
        if cls is None or cls.base is None:
            raise self.report.error(f, "super() is used in a method of a class with a base class",
                                    "call the function directly")
        self_val = Val(self.self_cname, cls.instance)
        base = cls.base
        if f.attr == "__init__" and base.builtin_type is not None:
            vals = [self.box(self.expr(a)) for a in node.args]
            tup = self.pack_tuple(vals, T.TupleT("tuple", ()))
            self.emit(f"{{ kval o = ((KException *){self_val.code})->args; "
                      f"((KException *){self_val.code})->args = k_newref({tup.code}); k_xdecref(o); }}")
            return Val("k_None", T.NONE)
        m = base.lookup_method(f.attr)
        if m is None:
            if f.attr == "__init__":
                return Val("k_None", T.NONE)
            raise self.report.error(f, f"the base class '{base.name}' has no method '{f.attr}'",
                                    "call a method the base class defines")
        return self.call_function(m, node.args, node, receiver=self_val, keywords=node.keywords, direct=True)

    def gc_typing_call(self, module: str, name: str, node: ast.Call) -> Val:
        """typing.cast(...); gc.collect() / enable() / disable() / isenabled(). Memory is
        reference counted: what gc could find is a reference cycle, which this runtime does
        not collect (debug builds report what such cycles leak): collect() finds 0."""
        if module == "typing" and name == "cast":
            return self.b_cast(node)
        if module == "gc" and name in ("collect", "enable", "disable", "isenabled") and len(node.args) <= 1:
            for a in node.args:
                self.expr(a)
            if name == "collect":
                return Val("k_int_small(0)", T.INT)
            return Val("1", T.BOOL) if name == "isenabled" else Val("k_None", T.NONE)
        raise self.report.error(node, f"{module}.{name}() is not available",
                                "typing.cast(); gc.collect(), enable(), disable(), isenabled()")

    # ---- dataclasses ----

    def dataclasses_call(self, name: str, node: ast.Call) -> Val:
        """dataclasses.asdict(obj) (a dict[str, Any], nested values converted) and
        dataclasses.replace(obj, field=value, ...) (a new instance through __init__)."""
        if name not in ("asdict", "replace") or not node.args or len(node.args) > 1:
            raise self.report.error(node, f"dataclasses.{name}() is not supported here",
                                    "dataclasses.asdict(obj) and dataclasses.replace(obj, field=value) are")
        if name == "asdict":
            obj = self.asdict_operand(node)
            checked = "_checked" if obj.type in (T.ANY, T.OBJECT) else ""
            return self.into_temp(f"k_asdict{checked}({obj.code})", T.DictT("dict", T.STR, T.ANY), "!{}")
        obj = self.expr(node.args[0])
        if not (isinstance(obj.type, T.ClassT) and obj.type.info.dataclass):
            raise self.report.error(node.args[0], f"{name}() should be called on dataclass instances",
                                    f"this is a {obj.type}")
        return self.replace_fields(obj, obj.type.info, node)

    def asdict_operand(self, node: ast.Call) -> Val:
        """The object of asdict(obj): a dataclass instance, or a dynamic value (checked at run time)."""
        obj = self.expr(node.args[0])
        if not (isinstance(obj.type, T.ClassT) and obj.type.info.dataclass) and \
                (obj.type not in (T.ANY, T.OBJECT) or node.keywords):
            raise self.report.error(node.args[0], "asdict() should be called on dataclass instances",
                                    f"this is a {obj.type}")
        if node.keywords:
            raise self.report.error(node, "asdict() takes no keyword arguments here", "asdict(obj)")
        return obj

    def namedtuple_call(self, obj: Val, name: str, node: ast.Call) -> Val:
        """p._replace(field=value, ...) and p._asdict() (a dict of the fields, values as they are)."""
        info = obj.type.info                                # type: ignore[attr-defined]
        if name == "_replace":
            if node.args:
                raise self.report.error(node, "_replace() takes keyword arguments", "p._replace(x=1)")
            return self.replace_fields(obj, info, node)
        d = self.into_temp("k_dict_new()", T.DictT("dict", T.STR, T.ANY))
        for field in info.all_fields():
            v = self.box(self.load_attribute(obj, field, node))
            self.check(f"k_dict_setitem({d.code}, {self.unit.str_literal(field)}, {v.code}) < 0")
        return d

    def replace_fields(self, obj: Val, info: ClassInfo, node: ast.Call) -> Val:
        """A new instance of obj's class: the keyword arguments' fields changed, the others copied."""
        fields = info.all_fields()
        given = {k.arg: k for k in node.keywords}
        for k in node.keywords:
            if k.arg not in fields:
                raise self.report.error(k, f"__init__() got an unexpected keyword argument '{k.arg}'",
                                        f"fields of {info.name}: {', '.join(fields)}")
        keywords = [given[n] if n in given else
                    ast.keyword(n, ast.copy_location(Lowered(self.load_attribute(obj, n, node)), node))
                    for n in fields]
        return self.construct(info, [], keywords, node)

    # ---- sys ----

    def sys_stream(self, node: ast.expr) -> str:
        """The runtime's writer for sys.stdout or sys.stderr (print's file=, .write())."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                self.mod.imports.get(node.value.id) == "sys" and node.attr in ("stdout", "stderr"):
            return "k_write_str" if node.attr == "stdout" else "k_write_err_str"
        raise self.report.error(node, "services write to sys.stdout or sys.stderr", "file=sys.stderr")

    def sys_stream_call(self, f: ast.Attribute, node: ast.Call) -> Val:
        """sys.stdout.write(s) (the number of characters written, as CPython's), .flush()."""
        write = self.sys_stream(f.value)
        if f.attr == "flush" and not node.args:
            self.emit("k_flush();")
            return Val("k_None", T.NONE)
        if f.attr != "write" or len(node.args) != 1 or node.keywords:
            raise self.report.error(node, f"sys.{f.value.attr}.{f.attr}() is not supported",   # type: ignore
                                    "write(text) and flush() are")
        s = self.coerce(self.expr(node.args[0]), T.STR, node.args[0])
        self.emit(f"{write}({s.code});")
        return Val(f"k_int_small(k_str_len({s.code}))", T.INT)

    def sys_call(self, attr: str, node: ast.Call) -> Val:
        if attr == "exit":
            if node.args:
                v = self.box(self.expr(node.args[0]))
                self.emit(f"{{ kval a = k_tuple_pack(1, {v.code}); k_raise(k_exc_new(&k_SystemExit_type, a)); "
                          f"k_decref(a); }}")
            else:
                self.emit("{ kval a = k_tuple_new(0); k_raise(k_exc_new(&k_SystemExit_type, a)); k_decref(a); }")
            self.emit(f"goto {self.error_block()};")
            return Val("0", T.NORETURN)
        raise self.report.error(node, f"sys.{attr}() is not available", "sys.exit() and sys.argv are")

    def sys_attribute(self, node: ast.Attribute) -> Val:
        if node.attr == "argv":
            return Val(self.unit.sys_argv(), T.ListT("list", T.STR))
        if node.attr == "maxsize":
            return Val(self.unit.big_int((1 << 63) - 1), T.INT)
        raise self.report.error(node, f"sys.{node.attr} is not available", "sys.argv and sys.exit() are")


def spec_binds(spec: M.MethodSpec, call: ast.Call) -> bool:
    """The call's arguments fit the built-in method's parameters (spec_call would bind them)."""
    names = [p.name for p in spec.params]
    given = set(names[:len(call.args)]) | {k.arg for k in call.keywords}
    return len(call.args) <= len(names) and all(k.arg in names for k in call.keywords) and \
        all(p.name in given or p.default is not None for p in spec.params)


def is_immutable_literal(node: ast.expr) -> bool:
    """A default the call site may evaluate again: constants and tuples of them."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return is_immutable_literal(node.operand)
    if isinstance(node, ast.Tuple):
        return all(is_immutable_literal(e) for e in node.elts)
    return False
