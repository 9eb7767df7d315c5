from kaa.lang import *


def main() -> i32:
    table = {1: 2, 3: 4}  # E: dict
    return 0
