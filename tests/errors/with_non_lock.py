from kaa.lang import *


def main() -> i32:
    n: i32 = 0
    with n:  # E: SpinLock
        n = 1
    return 0
