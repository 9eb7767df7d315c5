# exit: panic
# flags: --debug
# panic: slice bounds out of range
from kaa.lang import *


def middle(s: Bytes, lo: i64, hi: i64) -> Bytes:
    return s[lo:hi]  # panics here


def main() -> i32:
    a: Array[u8, 3]
    a[0] = 1
    a[1] = 2
    a[2] = 3
    s = a[0:3]
    print(len(middle(s, 1, 3)), len(middle(s, 3, 3)))
    print(len(middle(s, 1, 5)))
    print("never printed")
    return 0
