from kaa.lang import *


def main() -> i32:
    n: i32 = 3
    half(n)  # E: expected f64, got i32  # N: f64(x)
    return 0


def half(x: f64) -> f64:
    return x / 2.0
