from kaa.lang import *


@export("foo bar")  # E: is not a C symbol name
def a() -> None:
    pass


def main() -> i32:
    return 0
