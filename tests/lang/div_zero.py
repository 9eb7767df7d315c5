# exit: panic
from kaa.lang import *


def ratio(a: i32, b: i32) -> i32:
    return a // b  # panics here


def main() -> i32:
    print(ratio(10, 3))
    print(ratio(-10, 3))
    print(ratio(1, 0))
    print("never printed")
    return 0
