"""Standard modules a service imports, lowered to the runtime: `math` so far.

Each math function takes and returns C doubles (ints are converted as CPython converts
them) and reports errors as CPython's math module does (kaa/pyrt/math_module.c); floor,
ceil, trunc, gcd, factorial and comb return ints.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.function import Val

F, I, B = T.FLOAT, T.INT, T.BOOL

# name: (C function, parameter types, result type)
MATH_FUNCTIONS: dict[str, tuple[str, tuple[T.Type, ...], T.Type]] = {
    "sqrt": ("k_mathmod_sqrt", (F,), F), "exp": ("k_mathmod_exp", (F,), F),
    "log2": ("k_mathmod_log2", (F,), F), "log10": ("k_mathmod_log10", (F,), F),
    "sin": ("k_mathmod_sin", (F,), F), "cos": ("k_mathmod_cos", (F,), F), "tan": ("k_mathmod_tan", (F,), F),
    "atan": ("k_mathmod_atan", (F,), F), "fabs": ("k_mathmod_fabs", (F,), F),
    "degrees": ("k_mathmod_degrees", (F,), F), "radians": ("k_mathmod_radians", (F,), F),
    "atan2": ("k_mathmod_atan2", (F, F), F), "fmod": ("k_mathmod_fmod", (F, F), F),
    "pow": ("k_mathmod_pow", (F, F), F), "hypot": ("k_mathmod_hypot", (F, F), F),
    "copysign": ("k_mathmod_copysign", (F, F), F),
    "floor": ("k_mathmod_floor", (F,), I), "ceil": ("k_mathmod_ceil", (F,), I), "trunc": ("k_mathmod_trunc", (F,), I),
    "gcd": ("k_mathmod_gcd", (I, I), I), "factorial": ("k_mathmod_factorial", (I,), I),
    "comb": ("k_mathmod_comb", (I, I), I),
}
MATH_PREDICATES = {"isfinite": "__builtin_isfinite", "isinf": "__builtin_isinf", "isnan": "__builtin_isnan"}
MATH_CONSTANTS = {"pi": "0x1.921fb54442d18p+1", "e": "0x1.5bf0a8b145769p+1", "tau": "0x1.921fb54442d18p+2",
                  "inf": "__builtin_inf()", "nan": "__builtin_nan(\"\")"}


class StdlibLowering:
    """Mixed into Lowering (lower.py)."""

    def math_attribute(self, node: ast.Attribute) -> Val:
        if node.attr in MATH_CONSTANTS:
            return Val(MATH_CONSTANTS[node.attr], T.FLOAT)
        raise self.report.error(node, f"math.{node.attr} is not available",
                                "math has pi, e, tau, inf, nan and the functions listed in docs/language.md")

    def math_call(self, name: str, node: ast.Call) -> Val:
        if node.keywords and name != "isclose":
            raise self.report.error(node, f"math.{name}() takes positional arguments", "pass them in order")
        if name in MATH_PREDICATES:
            (x,) = self.math_args(node, (F,), name)
            return Val(f"({MATH_PREDICATES[name]}({x.code}) != 0)", T.BOOL)
        if name in ("floor", "ceil", "trunc") and len(node.args) == 1 and self.peek_type(node.args[0]) in (I, B):
            return self.coerce(self.expr(node.args[0]), I, node)        # math.floor(3) is 3
        if name == "log":
            if len(node.args) == 2:
                x, base = self.math_args(node, (F, F), name)
                return self.into_temp_scalar(f"k_mathmod_log_base({x.code}, {base.code})", F, "k_exc")
            (x,) = self.math_args(node, (F,), name)
            return self.into_temp_scalar(f"k_mathmod_log({x.code})", F, "k_exc")
        if name == "isclose":
            a, b = self.math_args(node, (F, F), name)
            tol = {"rel_tol": "1e-09", "abs_tol": "0.0"}
            for k in node.keywords:
                if k.arg not in tol:
                    raise self.report.error(k, f"isclose() got an unexpected keyword argument '{k.arg}'",
                                            "rel_tol= and abs_tol=")
                tol[k.arg] = self.coerce(self.expr(k.value), F, k.value).code
            r = self.into_temp_scalar(f"k_mathmod_isclose({a.code}, {b.code}, {tol['rel_tol']}, {tol['abs_tol']})",
                                      B, "k_exc")
            return r
        if name == "fsum":
            if len(node.args) != 1:
                raise self.report.error(node, "fsum() takes one iterable", "math.fsum(values)")
            v = self.iterable_arg(node.args[0])
            return self.into_temp_scalar(f"k_mathmod_fsum({self.box(v).code})", F, "k_exc")
        if name not in MATH_FUNCTIONS:
            raise self.report.error(node, f"math.{name}() is not available",
                                    "see docs/language.md for the math functions services have")
        cfunc, params, ret = MATH_FUNCTIONS[name]
        args = self.math_args(node, params, name)
        call = f"{cfunc}({', '.join(a.code for a in args)})"
        if ret == I:
            return self.into_temp(call, I, "!{}")
        return self.into_temp_scalar(call, F, "k_exc")

    def math_args(self, node: ast.Call, params: tuple[T.Type, ...], name: str) -> list[Val]:
        if len(node.args) != len(params):
            raise self.report.error(node, f"math.{name}() takes {len(params)} argument"
                                    f"{'s' if len(params) != 1 else ''} ({len(node.args)} given)",
                                    f"math.{name}({', '.join(str(p) for p in params)})")
        out = []
        for a, p in zip(node.args, params):
            v = self.expr(a)
            if v.type not in (F, I, B):
                raise self.report.error(a, f"math.{name}() takes numbers, not {v.type}", "pass an int or a float")
            out.append(self.coerce(v, p, a))
        return out
