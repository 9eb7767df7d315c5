from kaa.lang import *


def main() -> i32:
    n = 0
    nonlocal n  # E: 'nonlocal' is not supported  # N: use a global or a struct
    return n
