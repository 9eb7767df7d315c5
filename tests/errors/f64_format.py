from kaa.lang import *


def main() -> i32:
    x = 1.5
    print(f"{x}")  # E: not formatted  # N: {bits(x):016x}
    return 0
