from kaa.lang import *


def outer(a: i32) -> i32:
    def inner(b: i32) -> i32:  # E: nested function
        return a + b
    return a


def main() -> i32:
    return outer(1)
