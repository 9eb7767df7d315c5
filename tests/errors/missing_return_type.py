from kaa.lang import *


def double(v: i32):  # E: return annotation
    return v * 2


def main() -> i32:
    return 0
