from kaa.lang import *


def main() -> i32:
    if (n := 5) > 3:  # E: :=
        return 1
    return 0
