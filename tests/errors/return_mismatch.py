from kaa.lang import *


def nothing() -> None:
    return 5  # E: None


def main() -> i32:
    return 0
