from kaa.lang import *

PAGE_SHIFT: Final = 12
PAGE_SIZE: Final = 1 << PAGE_SHIFT
PAGE_MASK: Final = PAGE_SIZE - 1
SMALL: Final = 200
MAX_PORTS: Final[u16] = 1024
KERNEL_BASE: Final[u64] = 0xffff_8000_0000_0000
BUF_SIZE: Final = 16

table: Array[u8, BUF_SIZE]


def main() -> i32:
    print(0xff, 0XFF, 0xDead_Beef)
    print(0b1010, 0B1111_0000, 0o17, 0o777)
    print(1_000_000, 0, 00)
    print(PAGE_SHIFT, PAGE_SIZE, PAGE_MASK)
    # Untyped constants take the type their use needs.
    a: u8 = SMALL
    b: u8 = SMALL + 55
    c: i64 = SMALL * 1000
    print(a, b, c)
    print(SMALL * 1000)
    print(a + 56)
    pg: u16 = PAGE_SIZE
    print(pg * 16)
    print(12345 & PAGE_MASK, 12345 & ~PAGE_MASK)
    # Typed constants keep their type.
    print(MAX_PORTS, MAX_PORTS + 1)
    print(KERNEL_BASE)
    print(KERNEL_BASE + 0x1000)
    # Literals at the edges of their types.
    m8: i8 = -128
    x8: u8 = 255
    m64: i64 = -9223372036854775808
    x64: u64 = 18446744073709551615
    print(m8, x8, m64, x64)
    # With no context a literal is int (i64): no 32-bit wrap.
    print(0x7fff_ffff + 1)
    print(2147483647 * 4)
    print(len(table), BUF_SIZE * 2)
    # Constant expressions are folded with the usual rules.
    print((1 << 16) - 1, -(3 * 4) + 2, 100 // 7 * 7 + 100 % 7)
    return 0
