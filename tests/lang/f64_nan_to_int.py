# exit: panic
# panic: f64 to integer: NaN or out of range
from kaa.lang import *

# NaN has no integer value: converting it panics (CPython raises ValueError).


def whole(x: f64) -> u64:
    return u64(x)  # panics here


def main() -> i32:
    print(whole(1e19))
    print(whole(-0.9))
    zero = 0.0
    print(whole(zero / zero))
    print("never printed")
    return 0
