from kaa.lang import *
import helpers.mathx as mx
import helpers.shapes
from helpers.mathx import clamp, Point, Mode, LIMIT


def square(v: i32) -> i32:
    # Same name as helpers.mathx.square: names are mangled per module.
    return -1


def describe() -> i32:
    return 0


def main() -> i32:
    print(mx.square(7), square(7))
    print(clamp(150, 0, LIMIT), clamp(-3, 0, mx.LIMIT), mx.clamp(50, 0, 10))
    print(describe(), mx.describe(), helpers.shapes.describe())
    print(mx.SCALE * 5, LIMIT + 1)
    m: mx.Mode = mx.Mode.FAST
    print(m == Mode.FAST, m == Mode.SLOW, Mode.SLOW)
    p = Point(x=3, y=4)
    q: mx.Point = p
    print(p.total(), q.y)
    r = helpers.shapes.Rect(lo=Point(x=1, y=1), hi=mx.Point(x=4, y=5))
    print(helpers.shapes.area(addr(r)), helpers.shapes.diag2(addr(r)))
    a = mx.counted()
    b = mx.counted()
    print(a, b, mx.calls)
    return 0
