from kaa.lang import *


def main() -> i32:
    a: u64 = 1
    b: i64 = 2
    c = a + b  # E: cast
    return 0
