from kaa.lang import *


def main() -> i32:
    a = 0
    b = a or 5  # E: in a value take bools
    return 0
