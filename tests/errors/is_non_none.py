from kaa.lang import *


def main() -> i32:
    a = 1
    b = 1
    if a is b:  # E: None
        return 1
    return 0
