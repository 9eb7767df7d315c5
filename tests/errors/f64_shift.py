from kaa.lang import *


def main() -> i32:
    x = 7.5
    y = x << 1  # E: '<<' is not defined on f64  # N: bits(x)
    return 0
