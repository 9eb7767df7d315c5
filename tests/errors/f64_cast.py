from kaa.lang import *


def main() -> i32:
    x = 1.5
    u = cast(u64, x)  # E: cannot cast f64 to u64  # N: bits(x)
    return 0
