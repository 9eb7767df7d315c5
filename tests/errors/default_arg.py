from kaa.lang import *


def scale(v: i32, k: i32 = 2) -> i32:  # E: default
    return v * k


def main() -> i32:
    return 0
