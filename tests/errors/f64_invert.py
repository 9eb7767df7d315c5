from kaa.lang import *


def main() -> i32:
    x = 7.5
    y = ~x  # E: unary '~' needs an integer, not f64  # N: bits(x)
    return 0
