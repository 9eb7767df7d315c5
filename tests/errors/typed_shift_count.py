from kaa.lang import *

COUNT: Final[u8] = 40


def main() -> i32:
    x: i32 = 1
    return x << COUNT  # E: shift count 40 is out of range for i32  # N: i32 shifts take 0..31
