from kaa.lang import *


def nothing() -> None:
    return 5  # E: None  # N: -> i32


def main() -> i32:
    return 0
