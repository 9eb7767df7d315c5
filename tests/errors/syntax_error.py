from kaa.lang import *


def main() -> i32:
    x = = 1  # E: invalid syntax
    return 0
