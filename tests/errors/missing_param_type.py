from kaa.lang import *


def double(v) -> i32:  # E: annotation
    return 0


def main() -> i32:
    return 0
