from kaa.lang import *


def main() -> i32:
    seen = {1, 2}  # E: set
    return 0
