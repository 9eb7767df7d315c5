from kaa.lang import *


def main() -> i32:
    y = 2 @ 3  # E: operator '@' is not supported  # N: call a function
    return 0
