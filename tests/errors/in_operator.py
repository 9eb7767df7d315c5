from kaa.lang import *


def main() -> i32:
    b = b"abc"
    if 97 in b:  # E: 'in' is not supported  # N: compare explicitly
        return 1
    return 0
