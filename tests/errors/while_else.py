from kaa.lang import *


def main() -> i32:
    n = 3
    while n > 0:  # E: 'while ... else' is not supported  # N: flag variable
        n -= 1
    else:
        n = 5
    return n
