from kaa.lang import *


class Color(IntEnum):
    RED = 1
    RED = 2  # E: defined twice


def main() -> i32:
    return 0
