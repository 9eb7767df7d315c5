from kaa.lang import *


@inline
def square(x: i32) -> i32:
    return x * x


@noinline
def cube(x: i32) -> i32:
    return x * square(x)


@inline
def clamp_u8(v: i32) -> u8:
    if v < 0:
        return 0
    if v > 255:
        return 255
    return u8(v)


@noinline
def log_value(tag: Str, v: i32) -> None:
    print(tag, v)


@struct
class Acc:
    total: i64

    @inline
    def add(self, v: i32) -> None:
        self.total += v

    @noinline
    def get(self) -> i64:
        return self.total


def main() -> i32:
    print(square(12), cube(-3), cube(cube(2)))
    print(clamp_u8(-5), clamp_u8(100), clamp_u8(1000))
    log_value("noinline", square(9))
    a: Acc
    for i in range(5):
        a.add(cube(i32(i)))
    print(a.get())
    f: Fn[[i32], i32] = square
    g: Fn[[i32], i32] = cube
    print(f(5), g(5))
    return 0
