from kaa.lang import *


@struct
class Pair:
    a: i64
    b: i64


trace: Array[i64, 16]
n: i32 = 0


def g(v: i64) -> i64:
    global n
    trace[n] = v
    n += 1
    return v


def two(a: i64, b: i64) -> i64:
    return a * 10 + b


def show(label: Str) -> None:
    global n
    print(label, n, trace[0], trace[1], trace[2])
    n = 0


def main() -> i32:
    # Python evaluates left to right: arguments, operands, fields, chained comparisons.
    two(g(1), g(2))
    show("args")
    x = g(3) // g(4)
    show("operands")
    p = Pair(a=g(5), b=g(6))
    show("fields")
    ok = g(1) < g(2) < g(3)
    show("chain")
    # A conditional expression mixing u32 and i32 is an i64 on both branches.
    big: u32 = 5
    neg: i32 = -1
    flag = False
    y = big if flag else neg
    print("ifexp", y, y < 0, x, p.a + p.b, ok)
    # A declared local is zeroed each time its declaration runs.
    for i in range(3):
        buf: Array[u8, 4]
        print("fresh", buf[0], buf[1])
        buf[0] = u8(i + 1)
        buf[1] = 9
    # A bool with a format spec formats as an integer, as in Python.
    print(f"[{True:>3}] [{False:02}] [{True}]")
    return 0
