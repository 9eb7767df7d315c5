from kaa.lang import *


class Point:  # E: @struct
    x: i32
    y: i32


def main() -> i32:
    return 0
