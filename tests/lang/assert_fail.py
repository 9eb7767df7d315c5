# exit: panic
# panic: boom
from kaa.lang import *


def main() -> i32:
    x: u32 = 3
    print("checking", x)
    assert x < 10
    assert x == 4, "boom"  # panics here
    print("never printed")
    return 0
