from kaa.lang import *


def main() -> i32:
    yield from range(3)  # E: generators (yield) are not supported  # N: callback Fn
    return 0
