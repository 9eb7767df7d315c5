# exit: panic
# panic: boom
from kaa.lang import *


def check(n: i32) -> i32:
    if n > 2:
        panic("boom")  # panics here
    return n


def main() -> i32:
    print("before")
    for i in range(5):
        print("step", check(i32(i)))
    print("never printed")
    return 0
