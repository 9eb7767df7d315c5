from kaa.lang import *


class Color(IntEnum):
    RED = 1
    GREEN = 2
    BLUE = 4


class Big(IntEnum):
    SMALL = -1
    HUGE = 0x1_0000_0000


class Perm(IntEnum):
    READ = 1 << 0
    WRITE = 1 << 1
    EXEC = 1 << 2


RW: Final = Perm.READ | Perm.WRITE
ALL: Final = Perm.READ | Perm.WRITE | Perm.EXEC


@struct
class Pixel:
    color: Color
    level: u8


def name(c: Color) -> Str:
    if c == Color.RED:
        return "red"
    elif c == Color.GREEN:
        return "green"
    return "blue"


def can_write(perms: u32) -> bool:
    return (perms & Perm.WRITE) != 0


def main() -> i32:
    c: Color = Color.GREEN
    print(name(c), name(Color.BLUE), name(Color.RED))
    print(c == Color.GREEN, c != Color.GREEN, c < Color.BLUE)
    print(c, Color.BLUE)
    c = Color.BLUE
    print(name(c))
    print(sizeof(Color), sizeof(Big))
    print(Big.SMALL, Big.HUGE)
    b: Big = Big.HUGE
    print(b == Big.HUGE, b > Big.SMALL)
    # Flags combine with | and test with &.
    perms: u32 = Perm.READ | Perm.EXEC
    print(perms, can_write(perms), can_write(RW))
    perms |= Perm.WRITE
    print(perms, perms == ALL, RW, ALL)
    small: u8 = ALL
    print(small)
    # Members in constant expressions and as fields.
    mask: u16 = ~RW & 0xff
    print(mask)
    px = Pixel(color=Color.RED, level=3)
    print(name(px.color), px.level)
    px.color = Color.GREEN
    if px.color == Color.GREEN:
        print("pixel is green")
    total = 0
    for i in range(3):
        if c == Color.BLUE:
            total += Color.BLUE
    print(total)
    return 0
