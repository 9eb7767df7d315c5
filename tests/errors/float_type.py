from kaa.lang import *


def main() -> i32:
    x: float = 1.5  # E: 'float' is not a kernel-level type  # N: f64
    return 0
