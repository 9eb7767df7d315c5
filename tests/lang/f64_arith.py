from kaa.lang import *

# f64 at the kernel level: literals, + - * /, comparisons, conversions, sqrt and bit
# casts, in locals, globals, struct fields, arrays, pointers and function pointers.
# Each value prints as its IEEE 754 bits. tests/test_f64.py also runs this program
# under CPython and compares the lines: f64_arith.out must be what CPython computes.


@struct
class Vec:
    x: f64
    y: f64

    def length(self) -> f64:
        return sqrt(self.x * self.x + self.y * self.y)


scale: f64 = -2.5
calls: i32 = 0


def show(name: Str, x: f64) -> None:
    print(f"{name} {bits(x):016x}")


def make(x: f64, y: f64) -> Vec:
    global calls
    calls += 1
    return Vec(x=x * scale, y=y)


def add(a: f64, b: f64) -> f64:
    return a + b


def mul(a: f64, b: f64) -> f64:
    return a * b


def literals() -> None:
    show("lit 0.1", 0.1)
    show("lit 1e23", 1e23)
    show("lit max", 1.7976931348623157e308)
    show("lit min normal", 2.2250738585072014e-308)
    show("lit below min normal", 2.2250738585072011e-308)
    show("lit min subnormal", 5e-324)
    show("lit rounds to even", 9007199254740993.0)
    show("lit 1e-7", 1e-7)
    show("lit minus zero", -0.0)
    show("lit huge", 1e400)
    show("int constant", 3)
    whole: f64 = 9007199254740992
    show("int constant 2**53", whole)


def arithmetic() -> None:
    a = 0.1
    b = 0.2
    show("add", a + b)
    show("sub", a - b)
    show("mul by int constant", a * 3)
    show("div", 1.0 / 3.0)
    show("neg", -a)
    show("plus", +a)
    show("overflow", 1e308 * 10)
    show("subnormal quotient", 2.2250738585072014e-308 / 3)
    show("underflow", 5e-324 / 2)
    acc = 1.0
    acc += a
    acc -= b
    acc *= 7
    acc /= 3.0
    show("augmented", acc)
    x, y = a, b
    x, y = y, x
    show("swapped", x - y)
    bigger = a if a > b else b
    show("ifexp", bigger)


def compare() -> None:
    a = 0.1
    b = 0.2
    nan = from_bits(0x7FF8000000000000)
    print("lt", a < b, "le", a <= a, "gt", a > b, "ge", b >= a, "eq", a + b == 0.3, "ne", a != b)
    print("chain", 0.0 < a < b, "int constant", a < 1, 2 > b)
    print("nan eq", nan == nan, "nan ne", nan != nan, "nan lt", nan < 1.0, "nan ge", nan >= 1.0)
    print("zeros equal", 0.0 == -0.0, "bits differ", bits(0.0) != bits(-0.0))


def conversions() -> None:
    n: i64 = 9007199254740993
    show("f64 of 2**53+1", f64(n))
    top: i64 = 9223372036854775807
    show("f64 of i64 max", f64(top))
    u: u64 = 18446744073709551615
    show("f64 of u64 max", f64(u))
    small: i8 = -5
    show("f64 of i8", f64(small))
    show("f64 of bool", f64(True))
    print("i64 truncates", i64(2.7), i64(-2.7), i64(-0.5), i64(1e18))
    print("i64 min", i64(-9223372036854775808.0))
    print("u64 near max", u64(18446744073709549568.0))
    print("u8", u8(255.9), "i32", i32(-2147483648.9), "i16", i16(32767.5))
    print("int", int(123.456))
    print("bits round trip", bits(from_bits(0x400921FB54442D18)) == 0x400921FB54442D18)
    show("from bits pi", from_bits(0x400921FB54442D18))


def roots() -> None:
    show("sqrt 2", sqrt(2.0))
    show("sqrt 1e-300", sqrt(1e-300))
    show("sqrt zero", sqrt(0.0))
    show("sqrt minus zero", sqrt(-0.0))
    show("sqrt max", sqrt(1.7976931348623157e308))
    x = 2.0                          # Newton's iteration for the square root of 2
    for i in range(6):
        x = (x + 2.0 / x) / 2.0
    show("newton", x)


def aggregates() -> None:
    v = make(1.5, 2.0)
    show("field", v.x)
    show("method", v.length())
    p = addr(v)
    p.y = 0.25
    show("through pointer", p.length())
    vals: Array[f64, 4]
    vals[0] = 1.0
    vals[1] = 1e100
    vals[2] = 1.0
    vals[3] = -1e100
    total = 0.0
    for t in vals:
        total += t
    show("array sum", total)
    op: Fn[[f64, f64], f64] = add
    show("fnptr add", op(0.1, 0.7))
    op = mul
    show("fnptr mul", op(0.1, 0.7))
    show("global", scale)
    print("calls", calls)


def series() -> None:
    h = 0.0                          # the harmonic series, summed forwards and backwards
    for k in range(1, 1001):
        h += 1.0 / f64(k)
    show("harmonic forwards", h)
    h = 0.0
    for k in range(1000, 0, -1):
        h += 1.0 / f64(k)
    show("harmonic backwards", h)
    x = 0.5                          # the logistic map: every step rounds
    for k in range(100):
        x = 3.9 * x * (1.0 - x)
    show("logistic", x)


def main() -> i32:
    literals()
    arithmetic()
    compare()
    conversions()
    roots()
    aggregates()
    series()
    return 0
