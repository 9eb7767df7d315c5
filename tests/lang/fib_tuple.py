from kaa.lang import *


def fib(n: i32) -> u64:
    a: u64 = 0
    b: u64 = 1
    for i in range(n):
        a, b = b, a + b
    return a


def main() -> i32:
    print(fib(0), fib(1), fib(2), fib(10), fib(50), fib(93))
    # fib(94) no longer fits in u64: it wraps.
    print(fib(94))
    # Swap, and the right side is evaluated before any assignment.
    x: i32 = 1
    y: i32 = 2
    x, y = y, x
    print(x, y)
    p = 10
    q = 20
    r = 30
    p, q, r = r, p, q
    print(p, q, r)
    p, q = p + q, p - q
    print(p, q)
    # Targets may be elements and fields.
    arr: Array[i32, 3]
    arr[0] = 7
    arr[2] = 9
    arr[0], arr[2] = arr[2], arr[0]
    print(arr[0], arr[1], arr[2])
    # Narrow types wrap in tuple assignment too.
    s: u8 = 200
    t: u8 = 100
    s, t = s + t, s - t
    print(s, t)
    return 0
