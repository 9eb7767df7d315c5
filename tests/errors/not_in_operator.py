from kaa.lang import *


def main() -> i32:
    b = b"abc"
    if 97 not in b:  # E: 'not in' is not supported  # N: loop over
        return 1
    return 0
