from kaa.lang import *


@inline
def fact(n: u64) -> u64:
    if n < 2:
        return 1
    return n * fact(n - 1)  # E: @inline function 'fact' calls itself (fact -> fact)  # N: drop @inline


def main() -> i32:
    return i32(fact(5))
