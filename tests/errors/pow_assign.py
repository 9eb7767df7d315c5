from kaa.lang import *


def main() -> i32:
    x = 2
    x **= 3  # E: '**=' is not supported  # N: write the multiplication out
    return i32(x)
