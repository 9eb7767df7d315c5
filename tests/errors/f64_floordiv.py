from kaa.lang import *


def main() -> i32:
    x = 7.5
    q = x // 2.0  # E: '//' is not defined on f64  # N: i64(x / y)
    return 0
