"""Lowering attributes and items: fields, class constants, properties, indexing,
slicing, and item and attribute stores.

A field of an object type is read with a new reference, unless `container_operand` can
see that the container is consumed before any user code could replace it (then it is
borrowed: `self.cols[c]`). Lists of floats and bools are read unboxed at once; in-range
list stores are inline. Index arguments become C i64s (`as_i64`), with CPython's
IndexError for values beyond 64 bits.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.classes import dynamic_attribute_reachable
from kaa.service.function import Val, c_string


class AccessLowering:
    """Mixed into Lowering (lower.py)."""

    # ---- attributes ----

    def e_Attribute(self, node: ast.Attribute) -> Val:
        if isinstance(node.value, ast.Name) and self.mod.imports.get(node.value.id) == "sys":
            return self.sys_attribute(node)
        km = self.kernel_module(node.value)
        if km is not None:
            return self.kernel_attribute(km, node)
        if isinstance(node.value, ast.Name) and self.mod.imports.get(node.value.id) == "math" and \
                self.lookup_var(node.value.id) is None:
            return self.math_attribute(node)
        lib = self.library_module(node.value)
        if lib is not None:
            return self.library_attribute(lib, node.attr, node)
        v = node.value
        if node.attr in ("__name__", "__qualname__") and isinstance(v, ast.Call) and isinstance(v.func, ast.Name) \
                and v.func.id == "type" and len(v.args) == 1 and self.lookup_var("type") is None:
            obj = self.box(self.expr(v.args[0]))           # type(x).__name__
            return self.into_temp(f"k_str_from_cstr(k_type_of({obj.code})->name)", T.STR)
        if node.attr in ("__name__", "__qualname__"):
            t = self.peek_type(v)
            if isinstance(t, T.TypeObjT):                   # Point.__name__
                return Val(self.unit.str_literal(t.info.name), T.STR)
        obj = self.expr(node.value)
        return self.load_attribute(obj, node.attr, node)

    def pure(self, node: ast.expr) -> bool:
        """Evaluating node runs no user code (names, constants, fields, arithmetic and
        comparisons on numbers): a container read before it cannot be replaced meanwhile."""
        if isinstance(node, (ast.Name, ast.Constant)):
            return True
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            parts = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.operand]
            return all(self.pure(p) and self.peek_type(p) in (T.INT, T.FLOAT, T.BOOL) for p in parts)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            t = self.peek_type(node.value)
            return isinstance(t, T.ClassT) and node.attr in t.info.all_fields()
        return False

    def as_tuple(self, v: Val) -> Val:
        """A NamedTuple instance seen as the tuple it is (indexing, slicing, unpacking)."""
        if isinstance(v.type, T.ClassT) and v.type.info.namedtuple:
            return Val(v.code, v.type.info.tuple_type(), v.owned)
        return v

    def container_operand(self, node: ast.expr, *others: ast.expr | None) -> Val:
        """The container of `x.f[i]`, `x.f[i] = v`, `len(x.f)`: x.f is only borrowed when x is a
        local and nothing evaluated after it (i, v) can run user code that could replace x.f."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id not in self.mod.imports and all(o is None or self.pure(o) for o in others):
            obj = self.expr(node.value)
            if isinstance(obj.type, T.ClassT) and node.attr in obj.type.info.all_fields() and \
                    not obj.type.info.namedtuple:
                ft = obj.type.info.all_fields()[node.attr]
                owner = self.unit.struct_name(self.field_owner(obj.type.info, node.attr))
                return Val(f"(({owner} *){obj.code})->{node.attr}", ft)
            return self.load_attribute(obj, node.attr, node)
        return self.expr(node)

    def load_attribute(self, obj: Val, attr: str, node: ast.AST) -> Val:
        t = obj.type
        if isinstance(t, T.TypeObjT):
            const = t.info.lookup_constant(attr)
            if const is not None:
                if self.unit.redefined_below(t.info, attr) and not obj.code.startswith("K_VAL(&"):
                    code = f"{self.unit.constant_lookup(t.info, attr)}((const KType *)({obj.code}))"
                    return self.into_temp(f"k_newref({code})", const[0]) if const[0].is_object else Val(code, const[0])
                return Val(const[1], const[0])
            m = t.info.lookup_method(attr)
            if m is not None and m.kind in ("staticmethod", "classmethod"):
                return Val(self.unit.function_value(m), self.function_type(m))
            raise self.report.error(node, f"class '{t.info.name}' has no constant or static method '{attr}'",
                                    "class-level names are constants and @staticmethod/@classmethod functions")
        if isinstance(t, T.OptionalT):
            raise self.report.error(node, f"'{attr}' of a value that may be None ({t})",
                                    "check 'if x is not None:' first")
        if isinstance(t, T.ClassT) and t.info.namedtuple and attr in t.info.all_fields():
            fields = t.info.all_fields()
            ft = fields[attr]
            item = Val(f"k_tuple_get_fast({obj.code}, {list(fields).index(attr)})", T.OBJECT)
            return self.into_temp(f"k_newref({item.code})", ft) if ft.is_object else self.unbox(item, ft)
        if isinstance(t, T.ClassT):
            info = t.info
            fields = info.all_fields()
            if attr in fields:
                ft = fields[attr]
                code = f"(({self.unit.struct_name(self.field_owner(info, attr))} *){obj.code})->{attr}"
                if ft.is_object:
                    return self.into_temp(f"k_newref({code})", ft)
                return Val(code, ft)
            from kaa.service.declare import BUILTIN_CLASSES
            if info.is_exception and attr in ("__cause__", "__context__"):
                field = "cause" if attr == "__cause__" else "context"
                et = T.optional(BUILTIN_CLASSES["BaseException"].instance)
                return self.into_temp(f"k_newref(((KException *){obj.code})->{field} ? "
                                      f"((KException *){obj.code})->{field} : k_None)", et)
            if info.is_exception and attr == "args":
                return self.into_temp(f"k_newref(((KException *){obj.code})->args)", T.TupleT("tuple", (), T.OBJECT))
            if attr in ("errno", "strerror", "filename") and info.is_subclass_of(BUILTIN_CLASSES["OSError"]):
                t = {"errno": T.optional(T.INT), "strerror": T.optional(T.STR)}.get(attr, T.ANY)   # from args (exc.c)
                return self.into_temp(f"k_oserror_{attr}({obj.code})", t)
            m = info.lookup_method(attr)
            if m is not None and m.kind == "property":
                return self.call_function(m, [], node, receiver=obj)
            const = info.lookup_constant(attr)
            if const is not None:
                if self.unit.redefined_below(info, attr):
                    fn = self.unit.constant_lookup(info, attr)
                    code = f"{fn}(K_OBJ({obj.code})->type)"
                    return self.into_temp(f"k_newref({code})", const[0]) if const[0].is_object else Val(code, const[0])
                return Val(const[1], const[0])
            if m is not None and m.kind == "method":
                wrapper = self.unit.bound_method(m)
                clo = self.into_temp(f"k_closure_new({wrapper}, 1)", self.function_type(m))
                self.emit(f"((KClosure *){clo.code})->cells[0] = k_newref({obj.code});")
                return clo
            raise self.report.error(node, f"'{info.name}' has no attribute '{attr}'",
                                    "fields are assigned in __init__ (self.name = ...) or annotated in the class")
        if isinstance(t, T.NativeT):
            return self.native_attribute(obj, attr, node)
        if isinstance(t, T.DequeT) and attr == "maxlen":
            return self.into_temp(f"k_deque_maxlen({obj.code})", T.optional(T.INT))
        if isinstance(t, T.ArrayT):
            return self.array_attribute(obj, attr, node)
        if t in (T.ANY, T.OBJECT):
            # found at run time in the table of the object's class (classes.attribute_table)
            if not dynamic_attribute_reachable(self.mod.classes.values(), attr):
                raise self.report.error(node, f"attribute '{attr}' of a value of type {t}",
                                        "narrow it first: if isinstance(x, Point): x." + attr)
            return self.into_temp(f"k_dyn_getattr({obj.code}, {c_string(attr)})", T.ANY, "!{}")
        raise self.report.error(node, f"'{t}' has no attribute '{attr}' here",
                                "call methods directly: s.upper(), xs.append(x)")

    def field_owner(self, info, attr: str):
        c = info
        while c is not None and attr not in c.fields:
            c = c.base
        return c

    def store_attribute(self, target: ast.Attribute, value: Val) -> None:
        obj = self.expr(target.value)
        self.store_attr_on(obj, target.attr, value, target)

    def store_attr_on(self, obj: Val, attr: str, value: Val, node: ast.AST) -> None:
        t = obj.type
        if isinstance(t, T.TypeObjT) and t.info.lookup_constant(attr) is not None:
            ct, cname = t.info.lookup_constant(attr)
            from kaa.service.function import Var
            self.store_var(Var(attr, ct, cname, is_global=True), self.coerce(value, ct, node))
            return
        if t in (T.ANY, T.OBJECT):            # checked against the field's type at run time
            self.check(f"k_dyn_setattr({obj.code}, {c_string(attr)}, {self.box(value).code}) < 0")
            return
        if not isinstance(t, T.ClassT):
            raise self.report.error(node, f"cannot set attributes on {t}", "set fields of class instances")
        fields = t.info.all_fields()
        if attr not in fields and attr in t.info.pending_fields:
            if value.type in (T.NONE, T.NORETURN) or (isinstance(value.type, (T.ListT, T.SetT, T.DictT))
                                                       and T.NORETURN in (getattr(value.type, "elem", None),
                                                                          getattr(value.type, "key", None))):
                raise self.report.error(node, f"the type of field '{attr}' cannot be inferred from this value",
                                        f"annotate it: self.{attr}: T = ...")
            t.info.fields[attr] = value.type
            t.info.pending_fields.discard(attr)
            fields = t.info.all_fields()
        if attr not in fields:
            m = t.info.lookup_method(attr)
            if m is not None and m.kind == "property":
                setter = t.info.lookup_method(f"{attr}.setter")
                if setter is None:
                    raise self.report.error(node, f"property '{attr}' has no setter",
                                            f"add @{attr}.setter, or assign a field")
                self.call_function(setter, [value], node, receiver=obj)
                return
            raise self.report.error(node, f"'{t.info.name}' has no field '{attr}'",
                                    "assign every field in __init__ (self.name = ...) or annotate it in the class")
        ft = fields[attr]
        owner = self.field_owner(t.info, attr)
        if owner.namedtuple:
            raise self.report.error(node, f"can't set attribute '{attr}' of named tuple '{owner.name}'",
                                    "make a changed copy: p._replace(" + attr + "=...)")
        if owner.frozen and not (self.func is not None and getattr(self.func, "synthesized", False)):
            raise self.report.error(node, f"cannot assign to field '{attr}' of frozen dataclass '{owner.name}'",
                                    "make a changed copy: dataclasses.replace(obj, " + attr + "=...)")
        value = self.coerce(value, ft, node)
        code = f"(({self.unit.struct_name(owner)} *){obj.code})->{attr}"
        if ft.is_object:
            self.emit(f"{{ kval o = {code}; {code} = {self.owned(value)}; k_xdecref(o); }}")
            if value.owned:
                self.disown(value.code)
        else:
            self.emit(f"{code} = {value.code};")

    # ---- items ----

    def e_Subscript(self, node: ast.Subscript) -> Val:
        obj = self.as_tuple(self.container_operand(node.value, node.slice))
        if isinstance(node.slice, ast.Slice):
            return self.load_slice(obj, node.slice, node)
        t = obj.type
        if isinstance(t, T.TupleT) and t.var is None:
            idx = node.slice
            k = idx.value if isinstance(idx, ast.Constant) else (
                -idx.operand.value if isinstance(idx, ast.UnaryOp) and isinstance(idx.op, ast.USub)
                and isinstance(idx.operand, ast.Constant) else None)
            if not isinstance(k, int):
                index = self.expr(idx)
                return self.load_item(obj, index, node)
            if not -len(t.items) <= k < len(t.items):
                raise self.report.error(idx, "tuple index out of range", f"the tuple has {len(t.items)} items")
            k %= len(t.items)
            et = t.items[k]
            item = Val(f"k_tuple_get_fast({obj.code}, {k})", T.OBJECT)
            if et.is_object:
                return self.into_temp(f"k_newref({item.code})", et)
            return self.unbox(item, et)
        if isinstance(t, T.TypeObjT) and t.info.enum_kind is not None:     # Color["RED"]
            name = self.coerce(self.expr(node.slice), T.STR, node.slice)
            return self.into_temp(f"k_enum_by_name(&{t.info.type_cname}, {name.code})", t.info.instance, "!{}")
        index = self.expr(node.slice, t.key if isinstance(t, T.DictT) else None)
        return self.load_item(obj, index, node)

    def load_item(self, obj: Val, index: Val, node: ast.AST) -> Val:
        t = obj.type
        if isinstance(t, T.ListT) and not t.elem.is_object:
            # a float or bool item is unboxed at once: no reference to take
            i = self.as_i64(index, node)
            item = self.temp("kval", owned=False)
            self.emit(f"{{ i64 ix = {i}; if (ix < 0) ix += k_list_len_fast({obj.code}); "
                      f"if ((u64)ix < (u64)k_list_len_fast({obj.code})) {item} = k_list_get_fast({obj.code}, ix); "
                      f"else {{ k_list_getitem({obj.code}, {i}); goto {self.error_block()}; }} }}")
            return self.unbox(Val(item, T.OBJECT), t.elem)
        if isinstance(t, T.ListT):
            i = self.as_i64(index, node)
            et = t.elem
            tmp = self.temp("kval")
            # fast path in range (negative indexes adjusted), else the runtime raises IndexError
            self.emit(f"{{ i64 ix = {i}; if (ix < 0) ix += k_list_len_fast({obj.code}); "
                      f"if ((u64)ix < (u64)k_list_len_fast({obj.code})) {tmp} = k_newref(k_list_get_fast({obj.code}, ix)); "
                      f"else {tmp} = k_list_getitem({obj.code}, {i}); }}")
            self.check(f"!{tmp}")
            return self.unbox(Val(tmp, et, True), et) if not et.is_object else Val(tmp, et, True)
        if isinstance(t, T.DictT):
            key = self.box(self.coerce(index, t.key, node))
            return self.into_temp(f"k_dict_getitem({obj.code}, {key.code})", t.value, "!{}")
        if isinstance(t, T.TupleT):
            i = self.as_i64(index, node)
            et = t.elem()
            return self.into_temp(f"k_tuple_getitem({obj.code}, {i})", et, "!{}")
        if t == T.STR:
            return self.into_temp(f"k_str_getitem({obj.code}, {self.as_i64(index, node)})", T.STR, "!{}")
        if t in (T.BYTES, T.BYTEARRAY):
            fn = "k_bytes_getitem" if t == T.BYTES else "k_bytearray_getitem"
            return self.into_temp(f"{fn}({obj.code}, {self.as_i64(index, node)})", T.INT, "!{}")
        if isinstance(t, T.ClassT) and t.info.lookup_method("__getitem__"):
            return self.call_function(t.info.lookup_method("__getitem__"), [index], node, receiver=obj)
        if isinstance(t, T.DequeT):
            return self.into_temp(f"k_deque_getitem({obj.code}, {self.as_i64(index, node)})", t.elem, "!{}")
        if isinstance(t, T.ArrayT):
            return self.array_item(obj, index, node)
        if isinstance(t, T.RangeT):
            return self.into_temp(f"k_range_getitem({obj.code}, {self.as_i64(index, node)})", T.INT, "!{}")
        if t == T.ANY or isinstance(t, T.SequenceT):
            item = self.into_temp(f"k_dyn_getitem({obj.code}, {self.box(self.coerce(index, T.INT, node)).code})"
                                  if t != T.ANY else f"k_dyn_getitem({obj.code}, {self.box(index).code})", T.ANY, "!{}")
            return item if t == T.ANY else self.from_any(item, t.elem)
        raise self.report.error(node, f"'{t}' cannot be indexed", "index a list, tuple, dict, str or bytes")

    def store_subscript(self, target: ast.Subscript, value: Val) -> None:
        obj = self.container_operand(target.value, target.slice)
        if isinstance(target.slice, ast.Slice) and isinstance(obj.type, T.ArrayT):
            self.store_array_slice(obj, self.slice_parts(target.slice), value, target)
            return
        if isinstance(target.slice, ast.Slice):
            if not isinstance(obj.type, T.ListT):
                raise self.report.error(target, "slice assignment works on lists", "build a new value instead")
            a, b, c = self.slice_parts(target.slice)
            self.check(f"k_list_set_slice({obj.code}, {a}, {b}, {c}, {self.box(value).code})")
            return
        index = self.expr(target.slice, obj.type.key if isinstance(obj.type, T.DictT) else None)
        self.store_item_on(obj, index, value, target)

    def store_item_on(self, obj: Val, index: Val, value: Val, node: ast.AST) -> None:
        t = obj.type
        if isinstance(t, T.ListT):
            v = self.box(self.coerce(value, t.elem, node))
            i = self.as_i64(index, node)
            # a new reference (an owned temporary) moves into the list; a borrowed one is counted
            moved = v.owned and v.code in self.stmt_temps
            store = f"k_list_items({obj.code})[ix] = {v.code}; {v.code} = 0;" if moved else \
                f"k_list_items({obj.code})[ix] = k_newref({v.code});"
            if t.elem == T.BOOL:
                # a list[bool] holds only the static True and False: nothing to count
                self.emit(f"{{ i64 ix = {i}; if (ix < 0) ix += k_list_len_fast({obj.code}); "
                          f"if ((u64)ix < (u64)k_list_len_fast({obj.code})) k_list_items({obj.code})[ix] = {v.code}; "
                          f"else {{ k_list_setitem({obj.code}, {i}, {v.code}); goto {self.error_block()}; }} }}")
                return
            self.emit(f"{{ i64 ix = {i}; if (ix < 0) ix += k_list_len_fast({obj.code}); "
                      f"if ((u64)ix < (u64)k_list_len_fast({obj.code})) {{ kval o = k_list_items({obj.code})[ix]; "
                      f"{store} k_decref(o); }} "
                      f"else {{ k_list_setitem({obj.code}, {i}, {v.code}); goto {self.error_block()}; }} }}")
        elif isinstance(t, T.DictT):
            key = self.box(self.coerce(index, t.key, node))
            v = self.box(self.coerce(value, t.value, node))
            self.check(f"k_dict_setitem({obj.code}, {key.code}, {v.code})")
        elif isinstance(t, T.DequeT):
            v = self.box(self.coerce(value, t.elem, node))
            self.check(f"k_deque_setitem({obj.code}, {self.as_i64(index, node)}, {v.code})")
        elif isinstance(t, T.ArrayT):
            self.store_array_item(obj, index, value, node)
        elif t == T.BYTEARRAY:
            self.check(f"k_bytearray_setitem({obj.code}, {self.as_i64(index, node)}, {value.code})")
        elif isinstance(t, T.ClassT) and t.info.lookup_method("__setitem__"):
            self.call_function(t.info.lookup_method("__setitem__"), [index, value], node, receiver=obj)
        elif t == T.ANY:
            self.check(f"k_dyn_setitem({obj.code}, {self.box(index).code}, {self.box(value).code})")
        else:
            raise self.report.error(node, f"'{t}' does not support item assignment",
                                    "assign items of lists, dicts and bytearrays")

    def slice_parts(self, s: ast.Slice) -> tuple[str, str, str]:
        out = []
        for part in (s.lower, s.upper, s.step):
            if part is None:
                out.append("k_None")
            else:
                v = self.expr(part)
                if v.type == T.BOOL:
                    v = self.coerce(v, T.INT, part)
                out.append(self.box(v).code)
        return out[0], out[1], out[2]

    def load_slice(self, obj: Val, s: ast.Slice, node: ast.AST) -> Val:
        a, b, c = self.slice_parts(s)
        t = obj.type
        if isinstance(t, T.ListT):
            fn = "k_list_slice"
        elif isinstance(t, T.TupleT):
            fn = "k_tuple_slice"
            t = T.TupleT("tuple", (), t.elem())
        elif t == T.STR:
            fn = "k_str_slice"
        elif t == T.BYTES:
            fn = "k_bytes_slice"
        elif t == T.BYTEARRAY:
            fn = "k_bytearray_slice"
        elif isinstance(t, T.ArrayT):
            fn = "k_array_slice"
        else:
            raise self.report.error(node, f"'{t}' cannot be sliced", "slice a list, tuple, str or bytes")
        return self.into_temp(f"{fn}({obj.code}, {a}, {b}, {c})", t, "!{}")

    def as_i64(self, v: Val, node: ast.AST, clamp: bool = False) -> str:
        """A C i64 from an int value (OverflowError beyond 64 bits, as CPython's index arguments)."""
        if v.type == T.BOOL:
            return f"(i64){v.code}"
        if v.type in T.NATIVE_INTS:
            return v.code if v.type == T.I64 else f"(i64){v.code}"
        if v.type != T.INT:
            raise self.report.error(node, f"expected an int, got {v.type}", "convert it with int(...)")
        if v.code.startswith("k_int_small("):
            return v.code[len("k_int_small("):-1]
        out = self.temp("i64")
        self.emit(f"if (K_IS_SMALL({v.code})) {out} = (i64){v.code} >> 1; "
                  f"else if (!k_int_to_i64({v.code}, &{out})) {{ "
                  + (f"{out} = k_int_cmp({v.code}, k_int_small(0)) < 0 ? INT64_MIN : INT64_MAX; }}" if clamp else
                     f"k_raise_fmt(&k_IndexError_type, \"cannot fit 'int' into an index-sized integer\"); "
                     f"goto {self.error_block()}; }}"))
        return out
