from kaa.lang import *


def numbers(n: i32) -> i32:
    for i in range(n):
        yield i  # E: yield
    return 0


def main() -> i32:
    return 0
