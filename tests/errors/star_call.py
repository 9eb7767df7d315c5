from kaa.lang import *


def scale(v: i32) -> i32:
    return v * 2


def main() -> i32:
    b = b"a"
    return scale(*b)  # E: '*' unpacking is not supported  # N: one by one
