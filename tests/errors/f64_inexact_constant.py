from kaa.lang import *


def main() -> i32:
    x: f64 = 9007199254740993  # E: not exactly an f64  # N: float literal
    return 0
