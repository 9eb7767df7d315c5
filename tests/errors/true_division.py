from kaa.lang import *


def main() -> i32:
    n: i32 = 10
    half = n / 2  # E: //  # N: '//' floors
    return 0
