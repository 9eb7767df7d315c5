from kaa.lang import *


def main() -> i32:
    x: u32 = 1
    y = x << 32  # E: shift count  # N: u64(x) << n (u32 shifts take 0..31)
    return 0
