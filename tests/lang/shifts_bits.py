from kaa.lang import *


def main() -> i32:
    x: u8 = 0b1011_0001
    print(x << 1)
    print(x << 4)
    print(x >> 4)
    print(~x)
    print(x & 0x0f, x | 0x0e, x ^ 0xff)
    y: i8 = -16
    print(y >> 2)
    print(y << 3)
    print(~y)
    print(y & 0x7f)
    i: i32 = 1
    print(i << 31)
    print((i << 31) >> 31)
    print(~i)
    u: u32 = 1
    print(u << 31)
    print((u << 31) >> 31)
    print(~u)
    big: u64 = 1
    print(big << 63)
    print(~big)
    s: i64 = -1
    print(s >> 63)
    print(s << 63)
    h: u16 = 0xabcd
    print((h >> 8) & 0xff, h & 0xff)
    print(u8(h >> 8) | u8(h))
    print(h ^ 0xffff)
    # Variable shift counts of the operand's own type.
    n: u8 = 3
    print(x << n, x >> n)
    m: i32 = 4
    print(i << m, -256 >> m)
    # Augmented assignment.
    f: u32 = 0
    f |= 1 << 5
    f |= 1 << 0
    print(f)
    f &= ~u32(1)
    print(f)
    f ^= 0xff
    print(f)
    f <<= 24
    print(f)
    f >>= 28
    print(f)
    # Constant expressions with no context are int.
    print(1 << 40, ~0, 0xff00 >> 4, 6 & 3, 6 | 3, 6 ^ 3)
    return 0
