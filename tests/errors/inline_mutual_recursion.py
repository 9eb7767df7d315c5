from kaa.lang import *


@inline
def is_even(n: u64) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)  # E: calls itself (is_even -> is_odd -> is_even)  # N: from one of them


@inline
def is_odd(n: u64) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


def main() -> i32:
    return 1 if is_even(4) else 0
