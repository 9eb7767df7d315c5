from kaa.lang import *


def main() -> i32:
    f = lambda x: x + 1  # E: lambda
    return 0
