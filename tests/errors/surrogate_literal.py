from kaa.lang import *


def main() -> i32:
    print("\ud800")  # E: not valid UTF-8
    return 0
