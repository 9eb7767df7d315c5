# exit: panic
# panic: f64 to integer: NaN or out of range
from kaa.lang import *

# An f64 converts to an integer type only when its truncation fits (Python's int(x)
# then a range check): 2**31 does not fit i32, and the program stops there.


def whole(x: f64) -> i32:
    return i32(x)  # panics here


def main() -> i32:
    print(whole(2147483647.9))
    print(whole(-2147483648.9))
    print(whole(2147483648.0))
    print("never printed")
    return 0
