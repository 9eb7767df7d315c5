from kaa.lang import *


def main() -> i32:
    a = b = 0  # E: chained assignment  # N: assign one at a time
    return a
