from kaa.lang import *


def main() -> i32:
    a = 1
    b = 2
    if a is not b:  # E: 'is' only compares with None  # N: use == and !=
        return 1
    return 0
