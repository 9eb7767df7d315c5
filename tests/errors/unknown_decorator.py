from kaa.lang import *


@staticmethod  # E: decorator
def answer() -> i32:
    return 42


def main() -> i32:
    return 0
