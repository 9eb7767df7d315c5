from kaa.lang import *


def show8(a: i8, b: i8) -> None:
    print(a // b, a % b)


def show16(a: i16, b: i16) -> None:
    print(a // b, a % b)


def show32(a: i32, b: i32) -> None:
    print(a // b, a % b)


def show64(a: i64, b: i64) -> None:
    print(a // b, a % b)


def main() -> i32:
    # Floor division rounds toward minus infinity; the remainder takes the divisor's sign.
    show8(7, 2)
    show8(-7, 2)
    show8(7, -2)
    show8(-7, -2)
    show8(-6, 3)
    show8(-128, 3)
    show8(127, -10)
    show16(-1000, 7)
    show16(1000, -7)
    show16(-32768, 100)
    show32(-7, 2)
    show32(2147483647, -2)
    show32(-2147483648, 10)
    show32(-9, -3)
    show64(-7, 2)
    show64(7, -2)
    show64(-9223372036854775808, 10)
    show64(9223372036854775807, -1000)
    # Unsigned operands.
    ua: u8 = 250
    print(ua // 7, ua % 7)
    ub: u16 = 65535
    print(ub // 256, ub % 256)
    uc: u32 = 4000000000
    print(uc // 3, uc % 3)
    ud: u64 = 0xffff_ffff_ffff_ffff
    print(ud // 10, ud % 10)
    # Augmented forms.
    n: i32 = -17
    n //= 5
    print(n)
    r: i32 = -17
    r %= 5
    print(r)
    r = 17
    r %= -5
    print(r)
    # Constant expressions follow the same rules.
    print(-7 // 2, -7 % 2, 7 // -2, 7 % -2)
    big = -1000000000000
    print(big // 7, big % 7)
    return 0
