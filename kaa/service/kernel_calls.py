"""Calling kernel-level modules from a service: `import kernel.threads as threads`.

A service imports a kernel-level module (one that starts with `from kaa.lang import *`)
like any module; the kernel-level compiler builds it into the program, and its
functions and integer constants become callable here, converting at the boundary:

  kernel type              service type   argument                     result
  i8..i64, u8..u64, bool   int, bool      range-checked (OverflowError) k_int_from_i64/u64
  f64                      float          as is                        as is
  Str                      str            a view of the str's UTF-8     decoded (UnicodeDecodeError)
  Bytes (Slice[u8])        bytes          a view of the bytes           copied into a new bytes
  None                     None

A view lives as long as the call: a kernel function that keeps a Str it was given must
copy it. Functions with other parameter types (pointers, structs, function pointers)
are a compile error that names the parameter.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from kaa.compiler import types as KT
from kaa.compiler.declare import Const as KernelConst
from kaa.compiler.declare import Func as KernelFunc
from kaa.service import types as T
from kaa.service.function import Val


@dataclass
class KernelModule:
    name: str            # kernel.threads
    module: object       # kaa.compiler.declare.Module


def service_type(t: KT.Type) -> T.Type | None:
    """The service type a kernel value of type t crosses as, or None when it cannot."""
    if isinstance(t, KT.BoolType):
        return T.BOOL
    if isinstance(t, (KT.IntType, KT.EnumType)):
        return T.INT
    if isinstance(t, KT.FloatType):
        return T.FLOAT
    if isinstance(t, KT.StrType):
        return T.STR
    if isinstance(t, KT.SliceType) and t == KT.BYTES:
        return T.BYTES
    if isinstance(t, KT.VoidType):
        return T.NONE
    return None


class KernelCallLowering:
    """Mixed into Lowering (lower.py)."""

    def kernel_module(self, node: ast.expr) -> KernelModule | None:
        if isinstance(node, ast.Name) and self.lookup_var(node.id) is None:
            return self.unit.kernel_modules.get(node.id)
        return None

    def kernel_symbol(self, km: KernelModule, name: str, node: ast.AST) -> object:
        sym = km.module.lookup(name)        # type: ignore[attr-defined]
        if sym is None:
            raise self.report.error(node, f"kernel module '{km.name}' has no '{name}'",
                                    "see the module's source for what it exports")
        return sym

    def kernel_attribute(self, km: KernelModule, node: ast.Attribute) -> Val:
        sym = self.kernel_symbol(km, node.attr, node)
        if isinstance(sym, KernelConst) and isinstance(sym.value, int):
            return self.into_temp(f"k_int_from_i64({sym.value}LL)", T.INT)
        raise self.report.error(node, f"'{km.name}.{node.attr}' is not a function or an integer constant",
                                "services call kernel functions and read their Final integers")

    def kernel_call(self, km: KernelModule, node: ast.Call, name: str) -> Val:
        f = self.kernel_symbol(km, name, node)
        if not isinstance(f, KernelFunc):
            raise self.report.error(node, f"'{km.name}.{name}' is not a function", "call a kernel function")
        if node.keywords:
            raise self.report.error(node, "kernel functions take positional arguments", "pass them in order")
        if len(node.args) != len(f.params):
            raise self.report.error(node, f"{name}() takes {len(f.params)} arguments ({len(node.args)} given)",
                                    f"its parameters: {', '.join(f'{n}: {t}' for n, t in f.params)}")
        args = [self.kernel_argument(a, pname, pt, f) for a, (pname, pt) in zip(node.args, f.params)]
        ret = service_type(f.ret)
        if ret is None:
            raise self.report.error(node, f"{name}() returns {f.ret}, which a service cannot hold",
                                    "call a kernel function returning an integer, bool, f64, Str or None")
        self.unit.kernel_prototypes[f.cname] = kernel_prototype(f)
        call = f"{f.cname}({', '.join(args)})"
        if ret == T.NONE:
            self.emit(f"{call};")
            return Val("k_None", T.NONE)
        if ret == T.STR:
            r = self.temp("kaa_str", owned=False)
            self.emit(f"{r} = {call};")
            return self.into_temp(f"k_str_from_kernel({r}.ptr, (i64){r}.len)", T.STR, "!{}")
        if ret == T.BYTES:
            r = self.temp("kaa_slice_u8", owned=False)
            self.emit(f"{r} = {call};")
            return self.into_temp(f"k_bytes_from({r}.ptr, (i64){r}.len)", T.BYTES, "!{}")
        if ret == T.INT:
            signed = not isinstance(f.ret, KT.IntType) or f.ret.signed
            conv = "k_int_from_i64((i64)" if signed else "k_int_from_u64((u64)"
            return self.into_temp(f"{conv}{call})", T.INT)
        return self.into_temp_scalar(call, ret, None)

    def kernel_argument(self, node: ast.expr, pname: str, pt: KT.Type, f: KernelFunc) -> str:
        st = service_type(pt)
        if st is None or st == T.NONE:
            raise self.report.error(node, f"parameter '{pname}' of {f.name}() is {pt}, which a service cannot pass",
                                    "wrap the kernel function in one taking integers, bools, f64 or Str")
        v = self.coerce(self.expr(node, st), st, node)
        if st == T.STR:
            return f"((kaa_str){{k_str_data({v.code}), (u64)k_str_nbytes({v.code})}})"
        if st == T.BYTES:
            return f"((kaa_slice_u8){{(u8 *)k_bytes_data({v.code}), (u64)k_bytes_len({v.code})}})"
        if st == T.INT:
            # through i64: u64 arguments are limited to 0..2**63-1 (enough for sizes and times)
            lo, hi = pt.min, min(pt.max, (1 << 63) - 1)     # type: ignore[attr-defined]
            out = self.temp("i64")
            self.emit(f"if (!k_int_to_i64({v.code}, &{out}) || {out} < {lo}LL || {out} > {hi}LL) {{ "
                      f"k_raise_str(&k_OverflowError_type, \"int out of range for {pt}\"); "
                      f"goto {self.error_block()}; }}")
            return f"({pt.c}){out}"
        return v.code


def kernel_prototype(f: KernelFunc) -> str:
    params = ", ".join(t.c for _, t in f.params) or "void"     # no names: they may be C keywords
    return f"{f.ret.c} {f.cname}({params});"
