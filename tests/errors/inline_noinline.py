from kaa.lang import *


@inline
@noinline
def f() -> None:  # E: both @inline and @noinline  # N: keep one
    pass


def main() -> i32:
    return 0
