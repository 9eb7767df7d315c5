from kaa.lang import *


def main() -> i32:
    a: u64 = 1
    b: i64 = 2
    c = a + b  # E: cast  # N: u64(y) or i64(x)
    return 0
