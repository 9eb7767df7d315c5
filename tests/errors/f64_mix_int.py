from kaa.lang import *


def main() -> i32:
    x = 1.5
    n: i32 = 2
    y = x + n  # E: mixes f64 and i32  # N: f64(n)
    return 0
