from kaa.lang import *


def main() -> i32:
    x = 2
    y = x ** 3  # E: operator '**' is not supported  # N: no power operator
    return i32(y)
