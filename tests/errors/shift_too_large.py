from kaa.lang import *


def main() -> i32:
    x: u32 = 1
    y = x << 32  # E: shift count
    return 0
