from kaa.lang import *

big: Array[u64, 1 << 40]  # E: an Array holds at most 1 GiB


def main() -> i32:
    return 0
