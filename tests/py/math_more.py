"""math beyond the basics: inverse trigonometric and hyperbolic functions, expm1/log1p,
exp2, cbrt, erf/erfc, gamma/lgamma, frexp/ldexp/modf, remainder, nextafter, ulp, n-ary
hypot, dist, isqrt, gcd/lcm of any number of ints, perm, prod, logs of huge ints, and
CPython's errors for each. Floats print as repr, so every value is compared bit for bit;
the arguments are edge values (zeros, subnormals, huge, 1 +- ulp, infinities, NaN) and a
few ordinary ones where glibc's result is the correctly rounded one."""

import math
from typing import Callable

TINY = 5e-324
SUB = 2.5e-310
HUGE = 1.7976931348623157e308
ONE_UP = 1.0000000000000002
ONE_DOWN = 0.9999999999999999
EDGES = [0.0, -0.0, TINY, -TINY, SUB, 1e-300, 1e-20, ONE_DOWN, 1.0, ONE_UP, -1.0, HUGE, -HUGE,
         math.inf, -math.inf, math.nan]


def but(skip: list[float]) -> list[float]:
    """EDGES without the arguments where glibc (so CPython) misrounds and we do not: the
    differences docs/language.md lists (tests/pyrt/test_math_module.py measures them)."""
    return [x for x in EDGES if x not in skip]


def show(name: str, f: Callable[[float], float], xs: list[float]) -> None:
    out = []
    for x in xs:
        try:
            out.append(repr(f(x)))
        except (ValueError, OverflowError) as e:
            out.append(f"{type(e).__name__}({e})")
    print(name, " ".join(out))


def attempt(label: str, f: Callable[[], object]) -> None:
    try:
        print(label, f())
    except (ValueError, OverflowError, TypeError, ZeroDivisionError) as e:
        print(label, f"{type(e).__name__}: {e}")


# ---- float functions on their edges ----
show("asin", lambda x: math.asin(x), EDGES + [0.5, -0.5])
show("acos", lambda x: math.acos(x), EDGES + [0.5, -0.5])
show("atan", lambda x: math.atan(x), EDGES)
show("sinh", lambda x: math.sinh(x), EDGES + [711.0, -711.0, 3.0])
show("cosh", lambda x: math.cosh(x), but([ONE_UP]) + [711.0, 3.0])
show("tanh", lambda x: math.tanh(x), EDGES + [20.0, -25.0])
show("asinh", lambda x: math.asinh(x), but([HUGE, -HUGE]) + [0.5])
show("acosh", lambda x: math.acosh(x), but([ONE_UP, HUGE]) + [3.0, 1e10])
show("atanh", lambda x: math.atanh(x), EDGES + [0.25])
show("expm1", lambda x: math.expm1(x), but([1.0, ONE_UP]) + [1e-10, -40.0, 709.0, 710.0])
show("log1p", lambda x: math.log1p(x), EDGES + [-ONE_DOWN, -0.5, 1e-10])
show("exp2", lambda x: math.exp2(x), EDGES + [10.0, 0.5, -1074.0, -1075.0, 1023.0, 1024.0, -1022.5])
show("cbrt", lambda x: math.cbrt(x), but([TINY, -TINY, SUB]) + [-8.0, 64.0, 1e-30])
show("erf", lambda x: math.erf(x), EDGES + [0.5, -3.0, 6.0])
show("erfc", lambda x: math.erfc(x), but([-1.0]) + [0.5, -3.0, 27.0, 28.0, 30.0])
show("gamma", lambda x: math.gamma(x), EDGES + [0.5, 5.0, 23.0, 24.0, 171.0, 171.7, -0.5, -2.0, -200.5, 1e-21])
show("lgamma", lambda x: math.lgamma(x), EDGES + [0.5, 3.0, 100.0, -0.5, -2.0, 2.0, 1e-21])
show("ulp", lambda x: math.ulp(x), EDGES + [2.0 ** 52])

# ---- exact functions ----
for x in EDGES + [3.75, -3.75, 2.0 ** 60 + 2.0 ** 8]:
    print("frexp", x, math.frexp(x), "modf", math.modf(x), "next", math.nextafter(x, 0.0), math.nextafter(x, math.inf))
for x, i in [(1.0, 1023), (1.0, 1024), (0.75, -1074), (0.5, -1074), (0.5, -1075), (3.0, -1075), (TINY, 1074),
             (SUB, 20), (-2.0, -10), (1.0, 10 ** 30), (1.0, -(10 ** 30)), (0.0, 10 ** 30), (math.inf, -5)]:
    attempt(f"ldexp({x!r}, {i})", lambda: math.ldexp(x, i))
mant, expo = math.frexp(123.456)
print(math.ldexp(mant, expo) == 123.456)
for x, y in [(5.0, 2.0), (7.0, 2.0), (-5.0, 2.0), (2.5, 1.0), (3.5, 1.0), (-3.5, -1.0), (1e308, 3.0), (TINY, TINY),
             (6.0, math.inf), (math.inf, 1.0), (1.0, 0.0), (math.nan, 0.0), (3 * TINY, 2 * TINY)]:
    attempt(f"remainder({x!r}, {y!r})", lambda: math.remainder(x, y))

# ---- hypot, dist ----
print(math.hypot(), math.hypot(3.0), math.hypot(-3.0), math.hypot(3, 4), math.hypot(1.0, 2.0, 2.0),
      math.hypot(1e308, 1e308), math.hypot(SUB, SUB, SUB), math.hypot(math.inf, math.nan), math.hypot(math.nan, 1.0))
coords = [1.5, -2.5, 3.25, 0.125]
print(math.hypot(coords[0], coords[1], coords[2], coords[3]), math.hypot(TINY, TINY), math.dist([0.0, 0.0], [3.0, 4.0]),
      math.dist((1, 2, 3), (4.5, 6, 3)), math.dist([], []), math.dist(coords, [0.0] * 4))
attempt("dist", lambda: math.dist([1.0, 2.0], [1.0]))
ints = [12, 18, 30]
print(math.hypot(*coords), math.gcd(*ints), math.lcm(*ints), math.gcd(*[]), math.hypot(*[]))

# ---- int functions ----
for n in [0, 1, 2, 3, 4, 15, 16, 17, 2 ** 62, 2 ** 64 - 1, 2 ** 64, 10 ** 40, (10 ** 30 + 7) ** 2, 3 ** 200]:
    print("isqrt", n, math.isqrt(n))
attempt("isqrt(-1)", lambda: math.isqrt(-1))
print(math.gcd(), math.gcd(-12), math.gcd(12, 18, 27), math.gcd(0, 0), math.gcd(2 ** 100, 6 ** 50, 10 ** 30))
print(math.lcm(), math.lcm(-12), math.lcm(4, 6, 10), math.lcm(3, 0, 5), math.lcm(2 ** 70, 3 ** 40))
print(math.perm(5), math.perm(5, 2), math.perm(5, 0), math.perm(5, 6), math.perm(30, 20), math.perm(5, None))
maybe_k: int | None = None
print(math.perm(6, maybe_k))
maybe_k = 3
print(math.perm(6, maybe_k))
attempt("perm(-1, 2)", lambda: math.perm(-1, 2))
attempt("perm(3, -2)", lambda: math.perm(3, -2))
attempt("perm(-3)", lambda: math.perm(-3))
attempt("comb(3, -1)", lambda: math.comb(3, -1))
attempt("factorial(-1)", lambda: math.factorial(-1))
print(math.comb(100, 50), math.factorial(30))

# ---- prod ----
print(math.prod([1, 2, 3, 4]), math.prod([2 ** 40, 2 ** 40, 3]), math.prod([]), math.prod(range(1, 21)))
print(math.prod([0.5, 4.0, 3.0]), math.prod([1.5, 2.0], start=2.0), math.prod([2, 3], start=5))
print(math.prod([0.1, 0.2, 0.3]), math.prod([1e308, 10.0]), math.prod([3, 4], start=0.5), math.prod([2.0], start=7))
print(math.prod(x * 0.5 for x in [1.0, 2.0, 3.0]), math.prod((2, 3, 4), start=-1))

# ---- logs of ints beyond the float range, and their errors ----
print(math.log(10 ** 400), math.log2(2 ** 2000), math.log10(10 ** 500), math.log(2 ** 1100, 2), math.log(10 ** 400, 10))
print(math.log(8), math.log2(1024), math.log10(10 ** 22), math.log(100, 10), math.log(7.5, 2))
attempt("log(0)", lambda: math.log(0))
attempt("log(-(10 ** 400))", lambda: math.log(-(10 ** 400)))
attempt("log2(0.0)", lambda: math.log2(0.0))
attempt("log(5, 1)", lambda: math.log(5, 1))
attempt("sqrt(10 ** 400)", lambda: math.sqrt(10 ** 400))

# ---- errors ----
attempt("asin(2.0)", lambda: math.asin(2.0))
attempt("acosh(0.5)", lambda: math.acosh(0.5))
attempt("atanh(1.0)", lambda: math.atanh(1.0))
attempt("log1p(-1.0)", lambda: math.log1p(-1.0))
attempt("expm1(1000.0)", lambda: math.expm1(1000.0))
attempt("sinh(-1000.0)", lambda: math.sinh(-1000.0))
attempt("exp2(2000.0)", lambda: math.exp2(2000.0))
attempt("gamma(0.0)", lambda: math.gamma(0.0))
attempt("gamma(-3.0)", lambda: math.gamma(-3.0))
attempt("gamma(-inf)", lambda: math.gamma(-math.inf))
attempt("gamma(172.0)", lambda: math.gamma(172.0))
attempt("gamma(-1e-310)", lambda: math.gamma(-1e-310))
attempt("lgamma(-4.0)", lambda: math.lgamma(-4.0))
attempt("lgamma(1e308)", lambda: math.lgamma(1e308))
attempt("remainder(inf, 2)", lambda: math.remainder(math.inf, 2.0))
