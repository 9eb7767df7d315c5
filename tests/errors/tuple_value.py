from kaa.lang import *


def main() -> i32:
    pair = (1, 2)  # E: tuple
    return 0
