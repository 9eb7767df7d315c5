from kaa.lang import *


@struct
class Point:
    x: i32
    y: i32


def norm(p: Point) -> i32:  # E: Ptr[Point]  # N: addr(x)
    return p.x + p.y


def main() -> i32:
    return 0
