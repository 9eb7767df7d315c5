from kaa.lang import *


def main() -> i32:
    x: u8 = 300  # E: out of range for u8
    return 0
