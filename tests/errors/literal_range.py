from kaa.lang import *


def main() -> i32:
    x: u8 = 300  # E: out of range for u8  # N: use a wider type such as u16, or truncate on purpose with u8(300)
    return 0
