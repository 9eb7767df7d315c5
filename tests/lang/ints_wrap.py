from kaa.lang import *


def main() -> i32:
    # Unsigned: every operation wraps at the width of the operands' type.
    a: u8 = 250
    print(a + 10)
    print(a * 2)
    x: u8 = 200
    y: u8 = 100
    print(x + y)
    print(y - x)
    b: u8 = 3
    print(b - 5)
    print(-b)
    a += 10
    print(a)
    a -= 5
    print(a)
    c: u16 = 65535
    c += 1
    print(c)
    print(c - 1)
    c = 300
    c *= 300
    print(c)
    d: u32 = 4000000000
    print(d + d)
    print(d * 3)
    print(-d)
    e: u64 = 0xffff_ffff_ffff_ffff
    print(e)
    print(e + 2)
    print(e * e)
    print(-e)
    # Signed: two's complement.
    f: i8 = 127
    print(f + 1)
    f = -128
    print(-f)
    print(f - 1)
    m: i8 = 100
    m *= 3
    print(m)
    m -= 100
    print(m)
    g: i16 = 32767
    g += 1
    print(g)
    g *= 2
    print(g)
    h: i32 = 2147483647
    print(h + 1)
    print(h * h)
    print(-h - 2)
    k: i64 = 9223372036854775807
    print(k + 1)
    print(k * 2)
    n = 9223372036854775807
    n += 1
    print(n)
    n -= 1
    print(n)
    return 0
