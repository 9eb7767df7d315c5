from kaa.lang import *

count: u32 = 0


def main() -> i32:
    global cuont  # E: 'cuont' is not a global of this module  # N: did you mean 'count'?
    return 0
