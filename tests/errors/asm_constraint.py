from kaa.lang import *


def main() -> i32:
    x: u64 = 0
    asm("nop", ins=[("r\"", x)])  # E: is not an asm constraint
    return 0
