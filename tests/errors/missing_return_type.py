from kaa.lang import *


def double(v: i32):  # E: return type
    return v * 2


def main() -> i32:
    return 0
