"""Lowering calls of Python's built-in functions (print, len, str, int, sorted, ...).

Each b_<name> method takes the ast.Call and returns a Val. Static types pick the
specialised runtime function (len of a list reads its length field; str of an int is
k_int_repr); other cases go through the generic runtime (k_len, k_str).
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.expressions import negative_literal
from kaa.service.function import Val


def text_file_type() -> T.Type:
    from kaa.service.modules.io_module import TEXT
    return TEXT


class BuiltinLowering:
    """Mixed into Lowering (lower.py)."""

    def args_exactly(self, node: ast.Call, lo: int, hi: int | None = None, keywords: tuple[str, ...] = ()) -> None:
        hi = lo if hi is None else hi
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "?")
        if not lo <= len(node.args) <= hi:
            want = f"{lo}" if lo == hi else f"{lo} to {hi}"
            raise self.report.error(node, f"{name}() takes {want} positional arguments ({len(node.args)} given)",
                                    f"see help({name}) in CPython")
        for k in node.keywords:
            if k.arg not in keywords:
                raise self.report.error(k, f"{name}() got an unexpected keyword argument '{k.arg}'",
                                        f"accepted: {', '.join(keywords) or 'none'}")

    def keyword(self, node: ast.Call, name: str) -> ast.expr | None:
        return next((k.value for k in node.keywords if k.arg == name), None)

    # ---- output ----

    def b_print(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1 << 20, ("sep", "end", "file", "flush"))
        write = "k_write_str"
        file_node = self.keyword(node, "file")
        to_file = None                  # a text file print writes to (kaa/pyrt/file.c), else a console stream
        console = isinstance(file_node, ast.Attribute) and isinstance(file_node.value, ast.Name) and \
            self.mod.imports.get(file_node.value.id) == "sys"           # sys.stdout, sys.stderr
        if file_node is not None and not console and self.peek_type(file_node) == text_file_type():
            to_file = file_node
        elif file_node is not None:
            write = self.sys_stream(file_node)
        flush = self.keyword(node, "flush")
        if flush is not None:
            self.coerce(self.expr(flush), T.BOOL, flush)             # output is flushed at each newline anyway
        values = [self.expr(a) for a in node.args]
        parts = [self.str_of(v).code for v in values]
        out = self.expr(to_file) if to_file is not None else None      # evaluated after the arguments, as CPython
        sep_node, end_node = self.keyword(node, "sep"), self.keyword(node, "end")
        sep = self.print_text(sep_node, " ")
        end = self.print_text(end_node, "\n")
        items: list[str] = []
        for i, p in enumerate(parts):
            if i:
                items.append(sep)
            items.append(p)
        items.append(end)
        for it in items:
            if out is not None:
                self.check(f"k_file_write_str({out.code}, {it}) < 0")
            else:
                self.emit(f"{write}({it});")
        return Val("k_None", T.NONE)

    def b_open(self, node: ast.Call) -> Val:
        """open(file, mode="r", encoding=None): a file object (kaa/pyrt/file.c). The mode
        is a string literal: it decides the static type (io_module.open_type), as mypy's
        overloads of open do; the runtime checks it as CPython does."""
        from kaa.service.modules.io_module import open_type
        self.args_exactly(node, 1, 2, ("file", "mode", "encoding"))
        given = dict(zip(("file", "mode"), node.args)) | {k.arg: k.value for k in node.keywords if k.arg}
        if "file" not in given:
            raise self.report.error(node, "open() missing required argument 'file'", "open(path, mode)")
        mode = given.get("mode")
        if mode is not None and not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
            raise self.report.error(mode, "the mode of open() must be a string literal",
                                    "write it in the call: open(path, \"rb\")")
        text = mode.value if mode is not None else "r"      # type: ignore[union-attr]
        path = self.coerce(self.expr(given["file"], T.STR), T.STR, given["file"])
        enc = given.get("encoding")
        encoding = self.coerce(self.expr(enc), T.optional(T.STR), enc).code if enc is not None else "k_None"
        return self.into_temp(f"k_file_open({path.code}, {self.unit.str_literal(text)}, {encoding})",
                              open_type(text), "!{}")

    def print_text(self, node: ast.expr | None, default: str) -> str:
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return self.unit.str_literal(default)
        v = self.expr(node)
        if v.type == T.STR:
            return v.code
        if isinstance(v.type, T.OptionalT) and v.type.inner == T.STR:
            return f"({v.code} == k_None ? {self.unit.str_literal(default)} : {v.code})"
        raise self.report.error(node, "sep and end must be str or None", "pass a string")

    # ---- conversions ----

    def b_str(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return Val(self.unit.str_literal(""), T.STR)
        return self.str_of(self.expr(node.args[0]))

    def b_repr(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        return self.repr_of(self.expr(node.args[0]))

    def b_int(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 2, ("base",))
        if not node.args:
            return Val("k_int_small(0)", T.INT)
        v = self.expr(node.args[0])
        base_node = node.args[1] if len(node.args) == 2 else self.keyword(node, "base")
        if base_node is not None or v.type == T.STR:
            if v.type not in (T.STR, T.BYTES):
                raise self.report.error(node, "int() with a base takes a str", "int(text, base)")
            base = self.as_i64(self.expr(base_node), base_node) if base_node is not None else "10"
            data = "k_str_data" if v.type == T.STR else "k_bytes_data"
            size = "k_str_nbytes" if v.type == T.STR else "k_bytes_len"
            return self.into_temp(f"k_int_parse({data}({v.code}), {size}({v.code}), (int){base})", T.INT, "!{}")
        if v.type == T.INT:
            return v
        if v.type == T.BOOL or v.type in T.NATIVE_INTS:
            return self.coerce(v, T.INT, node)
        if v.type == T.FLOAT:
            return self.into_temp(f"k_int_from_double({v.code})", T.INT, "!{}")
        if isinstance(v.type, T.ClassT) and v.type.info.lookup_method("__int__"):
            return self.call_function(v.type.info.lookup_method("__int__"), [], node, receiver=v)
        if v.type in (T.ANY, T.OBJECT):
            return self.into_temp(f"k_call(K_VAL(&k_builtin_int), (kval[]){{{v.code}}}, 1)", T.INT, "!{}")
        raise self.report.error(node, f"int() of {v.type} is not supported", "int() takes str, float, int or bool")

    def b_float(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return Val("0.0", T.FLOAT)
        v = self.expr(node.args[0])
        if v.type == T.STR:
            return self.into_temp_scalar(f"k_float_from_str({v.code})", T.FLOAT, "k_exc")
        if T.is_numeric(v.type):
            return self.coerce(v, T.FLOAT, node)
        if v.type in (T.ANY, T.OBJECT):                # float(x) of a JSON value: decided at run time
            boxed = self.into_temp(f"k_call(K_VAL(&k_builtin_float), (kval[]){{{v.code}}}, 1)", T.OBJECT, "!{}")
            return self.unbox(boxed, T.FLOAT)
        raise self.report.error(node, f"float() of {v.type} is not supported", "float() takes str, int or float")

    def b_bool(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return Val("0", T.BOOL)
        return Val(self.truth(node.args[0]), T.BOOL)

    def b_chr(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        return self.into_temp(f"k_str_chr({self.as_i64(self.expr(node.args[0]), node)})", T.STR, "!{}")

    def b_ord(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        v = self.expr(node.args[0])
        if v.type != T.STR:
            raise self.report.error(node, "ord() takes a str of one character", "ord('a')")
        return self.into_temp(f"k_str_ord({v.code})", T.INT, "!{}")

    def b_hex(self, node: ast.Call) -> Val:
        return self.to_base(node, 16)

    def b_bin(self, node: ast.Call) -> Val:
        return self.to_base(node, 2)

    def b_oct(self, node: ast.Call) -> Val:
        return self.to_base(node, 8)

    def to_base(self, node: ast.Call, base: int) -> Val:
        self.args_exactly(node, 1)
        v = self.coerce(self.expr(node.args[0]), T.INT, node)
        return self.into_temp(f"k_int_to_base({v.code}, {base})", T.STR, "!{}")

    def b_format(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 2)
        v = self.expr(node.args[0])
        spec = self.expr(node.args[1]) if len(node.args) == 2 else Val(self.unit.str_literal(""), T.STR)
        if v.type == T.FLOAT:
            return self.into_temp(f"k_format_float_spec({v.code}, {spec.code})", T.STR, "!{}")
        return self.into_temp(f"k_format({self.box(v).code}, {spec.code})", T.STR, "!{}")

    # ---- numbers ----

    def b_abs(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        v = self.expr(node.args[0])
        if v.type == T.FLOAT:
            return Val(f"__builtin_fabs({v.code})", T.FLOAT)
        v = self.coerce(v, T.INT, node)
        return self.into_temp(f"k_int_abs({v.code})", T.INT, "!{}")

    def b_round(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 2, ("ndigits",))
        v = self.expr(node.args[0])
        nd = node.args[1] if len(node.args) == 2 else self.keyword(node, "ndigits")
        if v.type in (T.INT, T.BOOL) or v.type in T.NATIVE_INTS:
            v = self.coerce(v, T.INT, node)
            if nd is None:
                return v
            n = self.coerce(self.expr(nd), T.INT, nd)
            return self.into_temp(f"k_int_round({v.code}, {n.code})", T.INT, "!{}")
        if v.type != T.FLOAT:
            raise self.report.error(node, f"round() of {v.type}", "round takes a float")
        if nd is None or (isinstance(nd, ast.Constant) and nd.value is None):
            return self.into_temp(f"k_float_round_to_int({v.code})", T.INT, "!{}")
        n = self.as_i64(self.expr(nd), nd)
        return self.into_temp_scalar(f"k_float_round({v.code}, {n})", T.FLOAT, "k_exc")

    def b_divmod(self, node: ast.Call) -> Val:
        self.args_exactly(node, 2)
        a, b = self.expr(node.args[0]), self.expr(node.args[1])
        if all(t in (T.INT, T.BOOL) or t in T.NATIVE_INTS for t in (a.type, b.type)):   # (natives as ints)
            a, b = self.coerce(a, T.INT, node), self.coerce(b, T.INT, node)
            q, r = self.temp("kval"), self.temp("kval")
            self.check(f"!k_int_divmod({a.code}, {b.code}, &{q}, &{r})")
            out = self.pack_tuple([Val(q, T.INT), Val(r, T.INT)], T.TupleT("tuple", (T.INT, T.INT)))
            return out
        x, y = self.coerce(a, T.FLOAT, node), self.coerce(b, T.FLOAT, node)
        q, r = self.temp("double"), self.temp("double")
        self.check(f"!k_float_divmod({x.code}, {y.code}, &{q}, &{r})")
        return self.pack_tuple([Val(q, T.FLOAT), Val(r, T.FLOAT)], T.TupleT("tuple", (T.FLOAT, T.FLOAT)))

    def b_pow(self, node: ast.Call) -> Val:
        self.args_exactly(node, 2, 3)
        a, b = self.expr(node.args[0]), self.expr(node.args[1])
        if len(node.args) == 3:
            m = self.coerce(self.expr(node.args[2]), T.INT, node)
            a, b = self.coerce(a, T.INT, node), self.coerce(b, T.INT, node)
            return self.into_temp(f"k_int_pow_mod({a.code}, {b.code}, {m.code})", T.INT, "!{}")
        if {a.type, b.type} <= {T.INT, T.BOOL} and negative_literal(node.args[1]):
            x, y = self.coerce(a, T.FLOAT, node), self.coerce(b, T.FLOAT, node)
            return self.into_temp_scalar(f"k_float_pow({x.code}, {y.code})", T.FLOAT, "k_exc")
        return self.binop(ast.Pow(), a, b, node)

    def b_hash(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        v = self.box(self.expr(node.args[0]))
        h = self.into_temp_scalar(f"k_hash({v.code})", T.Prim("i64", "i64"), "{} == -1")
        return self.into_temp(f"k_int_from_i64({h.code})", T.INT)

    # ---- containers ----

    def b_len(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        v = self.expr(node.args[0])
        t = v.type
        if isinstance(t, T.ListT):
            return Val(f"k_int_small(k_list_len_fast({v.code}))", T.INT)
        if isinstance(t, T.TupleT):
            return Val(f"k_int_small(k_tuple_len_fast({v.code}))", T.INT)
        if t == T.STR:
            return Val(f"k_int_small(k_str_len({v.code}))", T.INT)
        if isinstance(t, T.DictT):
            return Val(f"k_int_small(k_dict_len({v.code}))", T.INT)
        if isinstance(t, T.SetT):
            return Val(f"k_int_small(k_set_len({v.code}))", T.INT)
        if isinstance(t, T.ClassT) and t.info.lookup_method("__len__"):
            return self.call_function(t.info.lookup_method("__len__"), [], node, receiver=v)
        n = self.into_temp_scalar(f"k_len({self.box(v).code})", T.Prim("i64", "i64"), "{} < 0")
        return self.into_temp(f"k_int_from_i64({n.code})", T.INT)

    def iterable_arg(self, node: ast.expr) -> Val:
        v = self.expr(node)
        if T.iter_elem(v.type) is None:
            raise self.report.error(node, f"expected an iterable, got {v.type}",
                                    "pass a list, tuple, dict, set, str, range or iterator")
        return v

    def b_bytes(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 3)
        if not node.args:
            return Val(self.unit.bytes_literal(b""), T.BYTES)
        v = self.expr(node.args[0])
        if v.type == T.STR:
            enc = self.expr(node.args[1]) if len(node.args) > 1 else Val("k_None", T.NONE)
            err = self.expr(node.args[2]) if len(node.args) > 2 else Val("k_None", T.NONE)
            return self.into_temp(f"k_str_encode({v.code}, {self.box(enc).code}, {self.box(err).code})", T.BYTES, "!{}")
        if isinstance(v.type, T.ArrayT):             # the items' memory (a buffer), not their values
            return self.into_temp(f"k_array_tobytes({v.code})", T.BYTES)
        if v.type in (T.INT, T.BOOL):
            return self.into_temp(f"k_bytes_zeros({self.coerce(v, T.INT, node).code})", T.BYTES, "!{}")
        if v.type == T.BYTES:
            return v if v.owned else self.into_temp(f"k_newref({v.code})", T.BYTES)
        if v.type == T.BYTEARRAY:
            return self.into_temp(f"k_bytes_from(((KByteArray *){v.code})->data, ((KByteArray *){v.code})->len)",
                                  T.BYTES, "!{}")
        return self.into_temp(f"k_bytes_from_list({self.box(v).code})", T.BYTES, "!{}")

    def b_bytearray(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_bytearray_new(0, 0)", T.BYTEARRAY, "!{}")
        v = self.box(self.expr(node.args[0]))
        if isinstance(v.type, T.ArrayT):             # the items' memory (a buffer), not their values
            v = self.into_temp(f"k_array_tobytes({v.code})", T.BYTES)
        return self.into_temp(f"k_bytearray_from({v.code})", T.BYTEARRAY, "!{}")

    def b_list(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_list_new(0)", T.ListT("list", T.NORETURN))
        v = self.iterable_arg(node.args[0])
        return self.into_temp(f"k_list_from_iter({self.box(v).code})", T.ListT("list", T.iter_elem(v.type)), "!{}")

    def b_tuple(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_tuple_new(0)", T.TupleT("tuple", (), T.OBJECT))
        v = self.iterable_arg(node.args[0])
        return self.into_temp(f"k_tuple_from_iter({v.code})", T.TupleT("tuple", (), T.iter_elem(v.type)), "!{}")

    def b_set(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_set_new()", T.SetT("set", T.NORETURN))
        v = self.iterable_arg(node.args[0])
        return self.into_temp(f"k_set_from_iter({v.code})", T.SetT("set", T.iter_elem(v.type)), "!{}")

    def b_dict(self, node: ast.Call) -> Val:
        self.args_exactly(node, 0, 1)
        if not node.args:
            return self.into_temp("k_dict_new()", T.DictT("dict", T.NORETURN, T.NORETURN))
        v = self.expr(node.args[0])
        if type(v.type) is T.DictT:
            return self.into_temp(f"k_dict_copy({v.code})", v.type, "!{}")
        if isinstance(v.type, T.DictT):                   # dict(counter): a plain dict of its items
            out = self.into_temp("k_dict_new()", T.DictT("dict", v.type.key, v.type.value))
            self.check(f"k_dict_update({out.code}, {v.code})")
            return out
        elem = T.iter_elem(v.type)
        if not (isinstance(elem, T.TupleT) and len(elem.items) == 2):
            raise self.report.error(node, "dict() takes a dict or an iterable of pairs", "dict(zip(keys, values))")
        out = self.into_temp("k_dict_new()", T.DictT("dict", elem.items[0], elem.items[1]))
        self.check(f"k_dict_update({out.code}, {v.code})")
        return out

    def b_range(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 3)
        vals = [self.box(self.coerce(self.expr(a), T.INT, a)).code for a in node.args]
        if len(vals) == 1:
            vals = ["k_int_small(0)", vals[0]]
        if len(vals) == 2:
            vals.append("k_int_small(1)")
        return self.into_temp(f"k_range_new({', '.join(vals)})", T.RANGE, "!{}")

    def b_sorted(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 1, ("key", "reverse"))
        v = self.iterable_arg(node.args[0])
        key, reverse = self.key_reverse(node, T.iter_elem(v.type))
        return self.into_temp(f"k_sorted({self.box(v).code}, {key}, {reverse})",
                              T.ListT("list", T.iter_elem(v.type)), "!{}")

    def b_reversed(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        v = self.iterable_arg(node.args[0])
        elem = T.iter_elem(v.type)
        if isinstance(v.type, T.ListT):
            return self.into_temp(f"k_list_reversed({v.code})", T.IteratorT("iterator", elem), "!{}")
        return self.into_temp(f"k_reversed({self.box(v).code})", T.IteratorT("iterator", elem), "!{}")

    def b_enumerate(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 2, ("start",))
        v = self.iterable_arg(node.args[0])
        start_node = node.args[1] if len(node.args) == 2 else self.keyword(node, "start")
        start = self.coerce(self.expr(start_node), T.INT, node).code if start_node else "k_int_small(0)"
        t = T.IteratorT("iterator", T.TupleT("tuple", (T.INT, T.iter_elem(v.type))))
        return self.into_temp(f"k_enumerate_new({self.box(v).code}, {start})", t, "!{}")

    def b_map(self, node: ast.Call) -> Val:
        """map(f, iterable): a lazy iterator of f's results (one iterable)."""
        return self.map_filter(node, "map")

    def b_filter(self, node: ast.Call) -> Val:
        """filter(f, iterable) / filter(None, iterable): the items f (or truth) keeps, lazily."""
        return self.map_filter(node, "filter")

    def map_filter(self, node: ast.Call, kind: str) -> Val:
        self.args_exactly(node, 2)
        seq = self.iterable_arg(node.args[1])
        elem = T.iter_elem(seq.type)
        fn_node = node.args[0]
        if kind == "filter" and isinstance(fn_node, ast.Constant) and fn_node.value is None:
            return self.into_temp(f"k_filter_new(k_None, {self.box(seq).code})", T.IteratorT("iterator", elem), "!{}")
        expected = self.infer_lambda(fn_node, [elem]) if isinstance(fn_node, ast.Lambda) else None
        f = self.expr(fn_node, expected)
        if not isinstance(f.type, T.CallableT) or len(f.type.params) != 1:
            raise self.report.error(fn_node, f"{kind}() takes a function of one argument here",
                                    f"{kind}(lambda x: ..., items)")
        if not T.subtype(elem, f.type.params[0]):
            raise self.report.error(fn_node, f"{kind}() of {elem} items with a function taking {f.type.params[0]}",
                                    "pass a function taking the items' type")
        out = f.type.ret if kind == "map" else elem
        return self.into_temp(f"k_{kind}_new({f.code}, {self.box(seq).code})", T.IteratorT("iterator", out), "!{}")

    def b_zip(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 8)
        vals = [self.iterable_arg(a) for a in node.args]
        t = T.IteratorT("iterator", T.TupleT("tuple", tuple(T.iter_elem(v.type) for v in vals)))
        arr = self.new_label("")[1:]
        self.emit(f"kval zip{arr}[{len(vals)}] = {{{', '.join(self.box(v).code for v in vals)}}};")
        return self.into_temp(f"k_zip_new(zip{arr}, {len(vals)})", t, "!{}")

    def b_iter(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1)
        v = self.iterable_arg(node.args[0])
        return self.into_temp(f"k_iter({self.box(v).code})", T.IteratorT("iterator", T.iter_elem(v.type)), "!{}")

    def b_next(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 2)
        it = self.expr(node.args[0])
        if isinstance(it.type, T.ClassT) and it.type.info.lookup_method("__next__") is not None and len(node.args) == 1:
            return self.call_function(it.type.info.lookup_method("__next__"), [], node, receiver=it)
        if isinstance(it.type, T.ClassT) and it.type.info.lookup_method("__next__") is not None:
            it = Val(it.code, T.IteratorT("iterator", it.type.info.lookup_method("__next__").ret), it.owned)
        if isinstance(it.type, T.NativeT) and it.type.elem is not None:      # a file is its own iterator
            it = Val(it.code, T.IteratorT("iterator", it.type.elem), it.owned)
        if not isinstance(it.type, T.IteratorT):
            raise self.report.error(node, f"next() takes an iterator, got {it.type}", "call iter(x) first")
        elem = it.type.elem
        if len(node.args) == 2:
            d = self.box(self.coerce(self.expr(node.args[1]), elem, node))
            r = self.into_temp(f"k_next_default({it.code}, {d.code})", elem, "!{}")
        else:
            r = self.into_temp(f"k_next_or_stop({it.code})", elem, "!{}")
        return r

    def b_i64(self, node: ast.Call) -> Val:
        """mypy_extensions.i64(x), i32(x), i16(x), u8(x) (CPython's are plain int()), as mypyc:
        another native int is cut to the width (or widened) unchecked; an int, float or str
        (with a base) is converted as int() does, then range-checked (ValueError)."""
        assert isinstance(node.func, ast.Name)
        t = next(k for k in T.NATIVE_INTS if k.name == node.func.id)
        if len(node.args) == 1 and not node.keywords and self.peek_type(node.args[0]) in T.NATIVE_INTS:
            return Val(f"(({t.c_type})({self.expr(node.args[0]).code}))", t)
        return self.coerce(self.b_int(node), t, node)

    b_i32 = b_i16 = b_u8 = b_i64

    def b_type(self, node: ast.Call) -> Val:
        """type(x): the class object (static, never freed), printed as <class 'int'>."""
        self.args_exactly(node, 1)
        v = self.box(self.expr(node.args[0]))
        return Val(f"K_VAL(k_type_of({v.code}))", T.OBJECT)

    def b_cast(self, node: ast.Call) -> Val:
        """typing.cast(T, x): x as a T; from a dynamic value, or down to a subclass, checked at
        run time (typed code relies on the representation), else a static conversion."""
        if self.mod.imports.get("cast") != "typing.cast" and not (
                isinstance(node.func, ast.Attribute) and node.func.attr == "cast"):
            raise self.report.error(node, "unknown name 'cast'", "from typing import cast")
        self.args_exactly(node, 2)
        t = self.unit.declarer.type_of(node.args[0])
        v = self.expr(node.args[1])
        if v.type in (T.ANY, T.OBJECT) or (T.subtype(t, v.type) and not T.subtype(v.type, t)):
            b = self.box(v)
            return self.from_any(Val(b.code, T.ANY, b.owned), t)
        return self.coerce(v, t, node.args[1])

    def b_isinstance(self, node: ast.Call) -> Val:
        self.args_exactly(node, 2)
        v = self.box(self.expr(node.args[0]))
        cls_nodes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        tests = []
        for c in cls_nodes:
            if isinstance(c, ast.Name) and c.id in ("int", "str", "float", "bool", "list", "dict", "set", "tuple"):
                tests.append(f"k_isinstance({v.code}, &k_{c.id}_type)")
                continue
            t = self.peek_type(c)
            if not isinstance(t, T.TypeObjT):
                raise self.report.error(c, "isinstance() takes a class", "isinstance(x, Point)")
            tests.append(f"k_isinstance({v.code}, &{t.info.type_cname})")
        return Val("(" + " || ".join(tests) + ")", T.BOOL)

    # ---- reductions ----

    def b_sum(self, node: ast.Call) -> Val:
        self.args_exactly(node, 1, 2, ("start",))
        v = self.iterable_arg(node.args[0])
        elem = T.iter_elem(v.type)
        if elem == T.NORETURN or elem in T.NATIVE_INTS:
            elem = T.INT            # (a sum of native ints is summed as ints: no wrap-around)
        if elem not in (T.INT, T.FLOAT, T.BOOL):
            raise self.report.error(node, f"sum() of {elem} values is not supported", "sum ints or floats")
        start_node = node.args[1] if len(node.args) == 2 else self.keyword(node, "start")
        t = T.FLOAT if elem == T.FLOAT or (start_node is not None and self.peek_type(start_node) == T.FLOAT) else T.INT
        acc = self.temp(t.c_type)
        start = self.coerce(self.expr(start_node), t, node).code if start_node else ("0.0" if t == T.FLOAT else
                                                                                    "k_int_small(0)")
        self.emit(f"{acc} = {self.owned(Val(start, t)) if t == T.INT else start};")
        it = self.into_temp(f"k_iter({self.box(v).code})", T.OBJECT, "!{}")
        x = self.temp("kval")
        top, end = self.new_label("sum"), self.new_label("sum_end")
        self.label(top)
        self.emit(f"k_xdecref({x}); {x} = k_next({it.code});")
        self.emit(f"if (!{x}) {{ if (k_exc) goto {self.error_block()}; goto {end}; }}")
        if t == T.FLOAT:
            self.emit(f"{acc} += K_IS_SMALL({x}) || K_OBJ({x})->type != &k_float_type ? k_int_to_double({x}) "
                      f": k_float_unbox({x});")
        else:
            self.emit(f"{{ kval s = k_int_add({acc}, {x} == k_True ? k_int_small(1) : {x} == k_False ? "
                      f"k_int_small(0) : {x}); k_decref({acc}); {acc} = s; }}")
            self.check(f"!{acc}")
        self.emit(f"goto {top};")
        self.label(end)
        return Val(acc, t, t == T.INT)

    def b_any(self, node: ast.Call) -> Val:
        return self.any_all(node, True)

    def b_all(self, node: ast.Call) -> Val:
        return self.any_all(node, False)

    def any_all(self, node: ast.Call, is_any: bool) -> Val:
        self.args_exactly(node, 1)
        v = self.iterable_arg(node.args[0])
        r = self.into_temp_scalar(f"k_any_all({self.box(v).code}, {int(is_any)})", T.Prim("i", "int"), "{} < 0")
        return Val(f"({r.code} > 0)", T.BOOL)

    def b_min(self, node: ast.Call) -> Val:
        return self.min_max(node, False)

    def b_max(self, node: ast.Call) -> Val:
        return self.min_max(node, True)

    def min_max(self, node: ast.Call, is_max: bool) -> Val:
        name = "max" if is_max else "min"
        if not node.args:
            raise self.report.error(node, f"{name}() needs arguments", f"{name}(xs) or {name}(a, b)")
        elem_hint = T.iter_elem(self.peek_type(node.args[0])) if len(node.args) == 1 else \
            T.join_all([self.peek_type(a) for a in node.args])
        key, _ = self.key_reverse(node, elem_hint or T.OBJECT)
        dflt_node = self.keyword(node, "default")
        if len(node.args) == 1:
            v = self.iterable_arg(node.args[0])
            elem = T.iter_elem(v.type)
            seq = self.box(v).code
        else:
            vals = [self.expr(a) for a in node.args]
            elem = T.join_all([x.type for x in vals])
            vals = [self.box(self.coerce(x, elem, node)) for x in vals]
            seq = self.pack_tuple(vals, T.TupleT("tuple", (), elem)).code
        dflt = "0"
        rt = elem
        if dflt_node is not None:
            d = self.expr(dflt_node)
            rt = T.join(elem, d.type) or T.OBJECT
            dflt = self.box(self.coerce(d, rt, node)).code
        r = self.into_temp(f"k_min_max({seq}, {key}, {int(is_max)}, {dflt})", T.OBJECT, "!{}")
        return self.unbox(Val(r.code, rt, True), rt) if not rt.is_object else Val(r.code, rt, True)
