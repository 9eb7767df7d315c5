from kaa.lang import *


def main() -> i32:
    n = 1
    return foo + n  # E: unknown name 'foo'  # N: names come from this function's parameters
