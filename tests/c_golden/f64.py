from kaa.lang import *


def hypot(x: f64, y: f64) -> f64:
    return sqrt(x * x + y * y)


def main() -> i32:
    n: i32 = 3
    h = hypot(f64(n), 4.0) / 2
    if h > 2.0:
        print(f"{bits(h):016x} {i64(h * -1.5)}")
    return 0
