from kaa.lang import *


def sub(a: i32, b: i32) -> i32:
    return a - b


def main() -> i32:
    return sub(a=3, b=1)  # E: keyword  # N: by position
