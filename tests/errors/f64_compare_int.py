from kaa.lang import *


def main() -> i32:
    x = 1.5
    n: i32 = 2
    b = x < n  # E: cannot compare f64 with i32  # N: f64(n)
    return 0
