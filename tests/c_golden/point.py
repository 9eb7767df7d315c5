from kaa.lang import *


@struct
class Point:
    x: i32
    y: i32

    def shift(self, dx: i32) -> None:
        self.x += dx


def scaled(p: Ptr[Point], k: u8) -> i64:
    total = 0
    for i in range(k):
        total += p.x * i - p.y // 2
    return total


def main() -> i32:
    p = Point(x=3, y=-7)
    p.shift(1)
    print(f"{p.x:>4} {scaled(addr(p), 3)}")
    return 0
