from kaa.lang import *


def main() -> i32:
    xs = [1, 2, 3]  # E: list
    return 0
