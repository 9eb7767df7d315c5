from kaa.lang import *


def main() -> i32:
    big: u32 = 1000
    small: u8 = big  # E: needs a cast  # N: write u8(...)
    return 0
