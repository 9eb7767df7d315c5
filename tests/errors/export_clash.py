from kaa.lang import *


@export("foo")
def a() -> None:
    pass


@export("foo")
def b() -> None:  # E: already exported
    pass


def main() -> i32:
    return 0
