from kaa.lang import *

flag: bool = False


def main() -> i32:
    atomic_add(addr(flag), True)  # E: pointer to an integer
    return 0
