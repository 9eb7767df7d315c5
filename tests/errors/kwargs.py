from kaa.lang import *


def configure(**options: i32) -> i32:  # E: **kwargs
    return 0


def main() -> i32:
    return 0
