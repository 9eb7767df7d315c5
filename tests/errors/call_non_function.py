from kaa.lang import *


def main() -> i32:
    x: i32 = 3
    y = x(1)  # E: is not a function
    return 0
