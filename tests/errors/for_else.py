from kaa.lang import *


def main() -> i32:
    n = 0
    for i in range(3):  # E: 'for ... else' is not supported  # N: flag variable
        n += 1
    else:
        n = 5
    return n
