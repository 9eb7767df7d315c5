from kaa.lang import *


def main() -> i32:
    x = 1.5
    if x:  # E: a condition is a bool, an integer or a pointer, not f64  # N: x != 0.0
        pass
    return 0
