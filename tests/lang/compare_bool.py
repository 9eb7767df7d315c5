from kaa.lang import *

calls: i32 = 0


def tick(v: i32) -> i32:
    global calls
    calls += 1
    return v


def yes() -> bool:
    global calls
    calls += 10
    return True


def no() -> bool:
    global calls
    calls += 100
    return False


def in_range(x: i32, n: i32) -> bool:
    return 0 <= x < n


def main() -> i32:
    global calls
    print(1 < 2, 2 < 1, 3 == 3, 3 != 3, 4 >= 4, 4 <= 3)
    print(in_range(0, 5), in_range(4, 5), in_range(5, 5), in_range(-1, 5))
    a: i32 = 3
    print(1 < a <= 3, 1 < a < 3, a == 3 == a, 5 > a > 1 > 0)
    # Each operand of a chain is evaluated once, left to right, and the chain stops early.
    r = tick(1) < tick(2) < tick(3)
    print(r, calls)
    calls = 0
    r = tick(5) < tick(2) < tick(3)
    print(r, calls)
    calls = 0
    # and / or short-circuit.
    r = no() and yes()
    print(r, calls)
    calls = 0
    r = yes() or no()
    print(r, calls)
    calls = 0
    r = yes() and no()
    print(r, calls)
    calls = 0
    r = no() or yes()
    print(r, calls)
    calls = 0
    r = not yes()
    r2 = not no()
    print(r, r2, calls)
    t = True
    f = False
    print(t and not f, t or f, f or f, not (t and f))
    # Truthiness of integers and pointers.
    n: u32 = 3
    steps = 0
    while n:
        n -= 1
        steps += 1
    print(steps)
    z: i64 = 0
    if z:
        print("zero is true")
    else:
        print("zero is false")
    z = -5
    if z:
        print("nonzero is true")
    p: Ptr[i64] = None
    if p:
        print("null is true")
    else:
        print("null is false")
    p = addr(z)
    if p:
        print("pointer is true")
    count = 0
    while p:
        count += 1
        p = None
    print(count)
    return 0
