"""Lowering array.array: the constructor, items, attributes and operators of arrays.

An array is a runtime object (kaa/pyrt/array.c) holding C numbers of its type code; its
static type (types.ArrayT) says only whether the items are ints or floats, as typeshed's
array[int] / array[float] do. So the type code must be a string literal: `array('d')`
is an array[float], and a code that is not a literal, or not one of the supported ones,
is a compile error. What a code allows beyond the item type (the range of an 'h' item,
the rounding of an 'f' one) is checked by the runtime as CPython's array does.

Float items are read and written as C doubles (k_array_getitem_float,
k_array_setitem_float); everything else passes kvals and the runtime converts.
a += b and a *= n change the array in place, as CPython's (another name for it sees
the change); a + b and a * n make a new one.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.function import Val

INT_CODES = "bBhHiIlLqQ"
FLOAT_CODES = "fd"
CODES_NOTE = "the type code is a string literal: one of b B h H i I l L q Q (int items) or f d (float items)"


class ArrayLowering:
    """Mixed into Lowering (lower.py)."""

    def array_code(self, node: ast.expr) -> tuple[str, T.Type]:
        """The literal type code node holds and the item type it gives."""
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            raise self.report.error(node, "the type code of array() must be a string literal",
                                    "write the code in the call, e.g. array('i'): it decides the item type, "
                                    "b B h H i I l L q Q (int items) or f d (float items)")
        code = node.value
        if len(code) == 1 and code in INT_CODES:
            return code, T.INT
        if len(code) == 1 and code in FLOAT_CODES:
            return code, T.FLOAT
        if code == "u":
            raise self.report.error(node, "array('u') is not supported (its type code is deprecated)",
                                    "use a str, or array('I') of code points")
        raise self.report.error(node, f"bad typecode {code!r} for array()", CODES_NOTE)

    def new_array(self, node: ast.Call) -> Val:
        """array(code), array(code, initializer): bytes or bytearray (their bytes become the
        items, as frombytes), another array, or any iterable of the item type."""
        if node.keywords:
            raise self.report.error(node.keywords[0], "array() takes no keyword arguments", "array('i', [1, 2])")
        if not 1 <= len(node.args) <= 2:
            raise self.report.error(node, f"array() takes 1 or 2 arguments ({len(node.args)} given)",
                                    "array(typecode) or array(typecode, initializer)")
        code, elem = self.array_code(node.args[0])
        t = T.ArrayT("array", elem)
        if len(node.args) == 1:
            return self.into_temp(f"k_array_new({ord(code)}, 0)", t)
        init = node.args[1]
        v = self.expr(init)
        given = T.iter_elem(v.type)
        if v.type not in (T.BYTES, T.BYTEARRAY, T.ANY) and (v.type == T.STR or given is None or
                                                              not T.subtype(given, elem)):
            raise self.report.error(init, f"array('{code}') is made from bytes or an iterable of {elem}, "
                                    f"not {v.type}", f"array('{code}', [...]) of {elem} values")
        return self.into_temp(f"k_array_new({ord(code)}, {self.box(v).code})", t, "!{}")

    # ---- items and attributes ----

    def array_item(self, obj: Val, index: Val, node: ast.AST) -> Val:
        i = self.as_i64(index, node)
        if obj.type.elem == T.FLOAT:
            return self.into_temp_scalar(f"k_array_getitem_float({obj.code}, {i})", T.FLOAT, "k_exc")
        return self.into_temp(f"k_array_getitem({obj.code}, {i})", T.INT, "!{}")

    def store_array_item(self, obj: Val, index: Val, value: Val, node: ast.AST) -> None:
        i = self.as_i64(index, node)
        if obj.type.elem == T.FLOAT and not (T.is_numeric(value.type) and value.type != T.FLOAT):
            v = self.coerce(value, T.FLOAT, node)
            self.check(f"k_array_setitem_float({obj.code}, {i}, {v.code}) < 0")
            return
        # an int for a float array is converted by the runtime, after the index is checked (as CPython's)
        v = self.coerce(value, T.INT, node) if obj.type.elem == T.INT else value
        self.check(f"k_array_setitem({obj.code}, {i}, {self.box(v).code}) < 0")

    def store_array_slice(self, obj: Val, parts: tuple[str, str, str], value: Val, node: ast.AST) -> None:
        if value.type != obj.type:
            raise self.report.error(node, f"a slice of {obj.type} is assigned an array of the same type, "
                                    f"not {value.type}", "a[i:j] = array(a.typecode, ...)")
        a, b, c = parts
        self.check(f"k_array_set_slice({obj.code}, {a}, {b}, {c}, {value.code}) < 0")

    def array_attribute(self, obj: Val, attr: str, node: ast.AST) -> Val:
        if attr == "typecode":
            return self.into_temp(f"k_array_typecode({obj.code})", T.STR)
        if attr == "itemsize":
            return Val(f"k_int_small(k_array_itemsize({obj.code}))", T.INT)
        raise self.report.error(node, f"'{obj.type}' has no attribute '{attr}' here",
                                "arrays have typecode and itemsize, and methods such as append and tolist")

    # ---- operators ----

    def array_binop(self, op: ast.operator, a: Val, b: Val, node: ast.AST) -> Val:
        """a + b of two arrays of one item type; a * n and n * a."""
        if isinstance(op, ast.Add) and a.type == b.type:
            return self.into_temp(f"k_array_concat({a.code}, {b.code})", a.type, "!{}")
        arr, n = (a, b) if isinstance(a.type, T.ArrayT) else (b, a)
        if isinstance(op, ast.Mult) and n.type in (T.INT, T.BOOL):
            count = self.as_i64(self.coerce(n, T.INT, node), node, clamp=True)
            return self.into_temp(f"k_array_repeat({arr.code}, {count})", arr.type, "!{}")
        raise self.unsupported_op(op, a.type, b.type, node)

    def array_inplace(self, arr: Val, op: ast.operator, value: ast.expr, node: ast.AST) -> None:
        """a += b (b an array of the same item type), a *= n: the array changes in place."""
        other = self.expr(value)
        if isinstance(op, ast.Add) and other.type == arr.type:
            self.check(f"k_array_iadd({arr.code}, {other.code}) < 0")
        elif isinstance(op, ast.Mult) and other.type in (T.INT, T.BOOL):
            count = self.as_i64(self.coerce(other, T.INT, node), node, clamp=True)
            self.check(f"k_array_irepeat({arr.code}, {count}) < 0")
        else:
            raise self.unsupported_op(op, arr.type, other.type, node)
