# exit: panic
# flags: --debug
from kaa.lang import *


def main() -> i32:
    a: Array[u8, 4]
    for i in range(4):
        a[i] = u8(i + 1)
    total: u32 = 0
    for i in range(4):
        total += a[i]
    print("sum", total)
    s = a[1:3]
    print(len(s), s[1])
    k = 4
    print(a[k])  # panics here
    print("never printed")
    return 0
