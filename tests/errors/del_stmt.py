from kaa.lang import *


def main() -> i32:
    x = 1
    del x  # E: del
    return 0
