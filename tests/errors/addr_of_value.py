from kaa.lang import *


def main() -> i32:
    p = addr(3)  # E: addr
    return 0
