from kaa.lang import *


def main() -> i32:
    x = 1.5
    n: i64 = x  # E: expected i64, got f64  # N: truncates toward zero
    return 0
