from kaa.lang import *


def take_u64(v: u64) -> u64:
    return v + 1


def widen_return(v: u8) -> i32:
    return v


def main() -> i32:
    # Mixing types widens to the smallest type that holds both.
    a: u8 = 200
    b: i16 = -300
    print(a + b)
    p: u8 = 255
    q: i8 = -1
    print(p + q)
    print(p > q)
    r: u16 = 65535
    print(r + p)
    x: u32 = 4000000000
    y: i32 = 1000000000
    print(x + y)
    print(x * y)
    s: u32 = 5
    t: i32 = -1
    print(s > t)
    print(s + t)
    # Implicit widening on assignment, argument passing and return.
    w: u32 = a
    w += 100000
    print(w)
    print(take_u64(a))
    print(take_u64(x))
    print(widen_return(p))
    wide: i64 = y
    print(wide * 10)
    # Narrowing casts truncate, as C does.
    big = 300
    print(u8(big))
    print(i8(a))
    neg = -1
    print(u16(neg))
    print(u32(neg))
    print(u64(neg))
    m: u64 = 0xffff_ffff_ffff_ffff
    print(i32(m))
    print(i64(m))
    print(u16(m))
    print(i16(40000 + big))
    print(u8(a + a))
    # Casting from bool and to bool.
    print(u8(True))
    print(i32(False))
    print(bool(5))
    print(bool(0))
    print(bool(q))
    print(bool(x - x))
    # A cast gives its type to the arithmetic that follows.
    print(u8(255) + 1)
    print(i8(big) + 100)
    print(i64(x) * 4)
    return 0
