from kaa.lang import *


def main() -> i32:
    ratio = 1.5  # E: float
    return 0
