from kaa.lang import *


def check(n: i32) -> i32:
    if n < 0:
        raise ValueError("negative")  # E: raise
    return n


def main() -> i32:
    return check(1)
