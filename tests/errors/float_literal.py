from kaa.lang import *


def main() -> i32:
    ratio: i32 = 1.5  # E: expected i32, got f64  # N: i32(x) to convert
    return 0
