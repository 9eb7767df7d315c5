"""Standard modules a service imports, lowered to the runtime: `math` so far.

Each math function takes and returns C doubles (ints are converted as CPython converts
them) and reports errors as CPython's math module does (kaa/pyrt/math_module.c); floor,
ceil, trunc, gcd, lcm, isqrt, factorial, comb and perm return ints, frexp and modf
tuples. Those with a variable number of arguments (hypot, gcd, lcm) pass a C array.
"""

from __future__ import annotations

import ast

from kaa.service import types as T
from kaa.service.function import Val

F, I, B = T.FLOAT, T.INT, T.BOOL

# name: (C function, parameter types, result type)
MATH_FUNCTIONS: dict[str, tuple[str, tuple[T.Type, ...], T.Type]] = {
    **{name: (f"k_mathmod_{name}", (F,), F) for name in (
        "sqrt", "exp", "exp2", "expm1", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
        "asinh", "acosh", "atanh", "cbrt", "erf", "erfc", "gamma", "lgamma", "fabs", "degrees", "radians", "ulp")},
    **{name: (f"k_mathmod_{name}", (F, F), F) for name in (
        "atan2", "fmod", "remainder", "pow", "copysign", "nextafter")},
    "ldexp": ("k_mathmod_ldexp", (F, I), F),
    "frexp": ("k_mathmod_frexp", (F,), T.TupleT("tuple", (F, I))),
    "modf": ("k_mathmod_modf", (F,), T.TupleT("tuple", (F, F))),
    "floor": ("k_mathmod_floor", (F,), I), "ceil": ("k_mathmod_ceil", (F,), I), "trunc": ("k_mathmod_trunc", (F,), I),
    "isqrt": ("k_mathmod_isqrt", (I,), I), "factorial": ("k_mathmod_factorial", (I,), I),
    "comb": ("k_mathmod_comb", (I, I), I),
}
MATH_PREDICATES = {"isfinite": "__builtin_isfinite", "isinf": "__builtin_isinf", "isnan": "__builtin_isnan"}
MATH_CONSTANTS = {"pi": "0x1.921fb54442d18p+1", "e": "0x1.5bf0a8b145769p+1", "tau": "0x1.921fb54442d18p+2",
                  "inf": "__builtin_inf()", "nan": "__builtin_nan(\"\")"}
# log, log2, log10 of an int argument: CPython's loghelper takes ints beyond the float range.
MATH_LOGS = {"log": "k_mathmod_log", "log2": "k_mathmod_log2", "log10": "k_mathmod_log10"}
# Functions of any number of arguments: (C function of a C array, of an iterable, element type).
MATH_VARIADIC = {"hypot": ("k_mathmod_hypot_n", "k_mathmod_hypot_of", F),
                 "gcd": ("k_mathmod_gcd_n", "k_mathmod_gcd_of", I), "lcm": ("k_mathmod_lcm_n", "k_mathmod_lcm_of", I)}
MATH_KEYWORDS = {"isclose": ("rel_tol", "abs_tol"), "prod": ("start",)}
NUMBERS = (F, I, B, T.ANY, *T.NATIVE_INTS)


class StdlibLowering:
    """Mixed into Lowering (lower.py)."""

    def math_attribute(self, node: ast.Attribute) -> Val:
        if node.attr in MATH_CONSTANTS:
            return Val(MATH_CONSTANTS[node.attr], T.FLOAT)
        raise self.report.error(node, f"math.{node.attr} is not available",
                                "math has pi, e, tau, inf, nan and the functions listed in docs/language.md")

    def math_call(self, name: str, node: ast.Call) -> Val:
        for k in node.keywords:
            if k.arg not in MATH_KEYWORDS.get(name, ()):
                raise self.report.error(k, f"math.{name}() got an unexpected keyword argument '{k.arg}'",
                                        "pass the arguments by position" if name not in MATH_KEYWORDS else
                                        f"its keywords are {', '.join(MATH_KEYWORDS[name])}")
        if name in MATH_PREDICATES:
            (x,) = self.math_args(node, (F,), name)
            return Val(f"({MATH_PREDICATES[name]}({x.code}) != 0)", T.BOOL)
        if name in ("floor", "ceil", "trunc") and len(node.args) == 1 and self.peek_type(node.args[0]) in (I, B):
            return self.coerce(self.expr(node.args[0]), I, node)        # math.floor(3) is 3
        if name in MATH_LOGS:
            return self.math_log(name, node)
        if name in MATH_VARIADIC:
            return self.math_variadic(name, node)
        special = {"isclose": self.math_isclose, "fsum": self.math_fsum, "prod": self.math_prod,
                   "dist": self.math_dist, "perm": self.math_perm}.get(name)
        if special is not None:
            return special(node)
        if name not in MATH_FUNCTIONS:
            raise self.report.error(node, f"math.{name}() is not available",
                                    "see docs/language.md for the math functions services have")
        cfunc, params, ret = MATH_FUNCTIONS[name]
        args = self.math_args(node, params, name)
        call = f"{cfunc}({', '.join(a.code for a in args)})"
        if ret == F:
            return self.into_temp_scalar(call, F, "k_exc")
        return self.into_temp(call, ret, "!{}")

    def math_args(self, node: ast.Call, params: tuple[T.Type, ...], name: str) -> list[Val]:
        if len(node.args) != len(params) or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.report.error(node, f"math.{name}() takes {len(params)} argument"
                                    f"{'s' if len(params) != 1 else ''} ({len(node.args)} given)",
                                    f"math.{name}({', '.join(str(p) for p in params)})")
        return [self.math_number(self.expr(a), p, name, a) for a, p in zip(node.args, params)]

    def math_number(self, v: Val, p: T.Type, name: str, a: ast.expr) -> Val:
        """An argument's value (evaluated) converted to the parameter type p."""
        if v.type not in NUMBERS:
            raise self.report.error(a, f"math.{name}() takes numbers, not {v.type}", "pass an int or a float")
        return self.coerce(v, p, a)

    def math_log(self, name: str, node: ast.Call) -> Val:
        """log(x), log(x, base), log2(x), log10(x): each argument through CPython's
        loghelper (an int one exactly), then num / den as float division."""
        nargs = 2 if name == "log" and len(node.args) == 2 else 1
        if len(node.args) != nargs:
            self.math_args(node, (F,) * nargs, name)          # reports the count
        logs = []
        for a in node.args:
            v = self.expr(a)
            if v.type == I or v.type in T.NATIVE_INTS:
                v = self.coerce(v, I, a)
                logs.append(self.into_temp_scalar(f"{MATH_LOGS[name]}_int({v.code})", F, "k_exc"))
            else:
                x = self.math_number(v, F, name, a)
                logs.append(self.into_temp_scalar(f"{MATH_LOGS[name]}({x.code})", F, "k_exc"))
        if nargs == 1:
            return logs[0]
        return self.into_temp_scalar(f"k_float_truediv({logs[0].code}, {logs[1].code})", F, "k_exc")

    def math_variadic(self, name: str, node: ast.Call) -> Val:
        """hypot(*coordinates), gcd(*integers), lcm(*integers): the values as a C array, or
        one starred iterable passed whole."""
        array_fn, iter_fn, elem = MATH_VARIADIC[name]
        ret = F if elem == F else I
        if len(node.args) == 1 and isinstance(node.args[0], ast.Starred):
            it = self.iterable_arg(node.args[0].value)
            e = T.iter_elem(it.type)
            if e != T.NORETURN and (e not in NUMBERS or (elem == I and e not in (I, B, T.ANY))):
                raise self.report.error(node, f"math.{name}() takes {'numbers' if elem == F else 'ints'}, "
                                        f"not {e}", f"pass an iterable of {elem}")
            call = f"{iter_fn}({self.box(it).code})"
        else:
            if any(isinstance(a, ast.Starred) for a in node.args):
                raise self.report.error(node, f"math.{name}() takes values or one *iterable",
                                        f"math.{name}(a, b) or math.{name}(*values)")
            args = [self.math_number(self.expr(a), elem, name, a) for a in node.args]
            array = f"({elem.c_type}[]){{{', '.join(a.code for a in args)}}}" if args else "0"
            call = f"{array_fn}({len(args)}, {array})"
        if ret == F:
            return self.into_temp_scalar(call, F, "k_exc")
        return self.into_temp(call, I, "!{}")

    def math_isclose(self, node: ast.Call) -> Val:
        a, b = self.math_args(node, (F, F), "isclose")
        tol = {"rel_tol": "1e-09", "abs_tol": "0.0"}
        for k in node.keywords:
            tol[str(k.arg)] = self.math_number(self.expr(k.value), F, "isclose", k.value).code
        return self.into_temp_scalar(f"k_mathmod_isclose({a.code}, {b.code}, {tol['rel_tol']}, {tol['abs_tol']})",
                                     B, "k_exc")

    def math_fsum(self, node: ast.Call) -> Val:
        if len(node.args) != 1:
            raise self.report.error(node, "fsum() takes one iterable", "math.fsum(values)")
        v = self.iterable_arg(node.args[0])
        return self.into_temp_scalar(f"k_mathmod_fsum({self.box(v).code})", F, "k_exc")

    def math_prod(self, node: ast.Call) -> Val:
        """prod(iterable, *, start=1): an int for ints, a float once a float is involved (the
        start converted, as int * float converts), a dynamic value for dynamic items."""
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.report.error(node, "prod() takes one iterable (and start=)", "math.prod(values, start=1)")
        it = self.box(self.iterable_arg(node.args[0]))
        start = self.expr(node.keywords[0].value) if node.keywords else Val("k_int_small(1)", I)
        elem = start.type if T.iter_elem(it.type) == T.NORETURN else T.iter_elem(it.type)      # prod([])
        if elem not in NUMBERS or start.type not in NUMBERS:
            raise self.report.error(node, f"math.prod() of {elem} items (start {start.type})",
                                    "prod multiplies ints and floats")
        if F in (elem, start.type) and T.ANY not in (elem, start.type):
            s = self.coerce(start, F, node)
            return self.into_temp_scalar(f"k_mathmod_prod_float({it.code}, {s.code})", F, "k_exc")
        exact = {elem, start.type} <= {I, B, *T.NATIVE_INTS}
        s = self.coerce(start, I, node) if exact else self.box(start)
        return self.into_temp(f"k_mathmod_prod({it.code}, {s.code})", I if exact else T.ANY, "!{}")

    def math_dist(self, node: ast.Call) -> Val:
        if len(node.args) != 2 or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.report.error(node, "math.dist() takes two points", "math.dist(p, q)")
        points = []
        for a in node.args:
            p = self.iterable_arg(a)
            if T.iter_elem(p.type) not in NUMBERS + (T.NORETURN,):
                raise self.report.error(a, f"math.dist() takes points of numbers, not {p.type}",
                                        "pass lists or tuples of floats")
            points.append(self.box(p))
        return self.into_temp_scalar(f"k_mathmod_dist({points[0].code}, {points[1].code})", F, "k_exc")

    def math_perm(self, node: ast.Call) -> Val:
        """perm(n) and perm(n, None) are n!; k may be an int | None at run time."""
        if not 1 <= len(node.args) <= 2 or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.report.error(node, f"math.perm() takes 1 or 2 arguments ({len(node.args)} given)",
                                    "math.perm(n, k)")
        n = self.math_number(self.expr(node.args[0]), I, "perm", node.args[0])
        k = Val("k_None", T.NONE)
        if len(node.args) == 2:
            v = self.expr(node.args[1])
            if isinstance(v.type, T.OptionalT) and v.type.inner in (I, B):
                k = v
            elif v.type != T.NONE:
                k = self.math_number(v, I, "perm", node.args[1])
        return self.into_temp(f"k_mathmod_perm({n.code}, {k.code})", I, "!{}")
