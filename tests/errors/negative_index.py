from kaa.lang import *


def main() -> i32:
    s = "hello"
    return i32(s[-1])  # E: negative index  # N: len(x) - 1
