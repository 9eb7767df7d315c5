from kaa.lang import *


def f() -> None:
    pass


def main() -> i32:
    if f() == f():  # E: is not a value
        return 1
    return 0
