from kaa.lang import *


@struct
class Point:
    x: i32
    y: i32

    def shift(self, dx: i32, dy: i32) -> None:
        self.x += dx
        self.y += dy

    def sum(self) -> i32:
        return self.x + self.y

    def scaled(self, k: i32) -> Point:
        return Point(x=self.x * k, y=self.y * k)


@struct
class Rect:
    lo: Point
    hi: Point
    tag: u8

    def area(self) -> i32:
        return (self.hi.x - self.lo.x) * (self.hi.y - self.lo.y)


@struct
class Path:
    points: Array[Point, 3]
    n: u32

    def add(self, x: i32, y: i32) -> None:
        self.points[self.n] = Point(x=x, y=y)
        self.n += 1


def make_point(x: i32, y: i32) -> Point:
    p = Point(x=x, y=y)
    return p


def move_via_pointer(p: Ptr[Point]) -> None:
    p.shift(100, 200)
    p.x -= 1


def main() -> i32:
    z: Point
    print(z.x, z.y)
    p = Point(x=1, y=2)
    print(p.x, p.y, p.sum())
    p.shift(10, 20)
    print(p.x, p.y)
    half = Point(y=5)
    print(half.x, half.y)
    zero = Point()
    print(zero.x, zero.y)
    # A method called through a pointer, and a pointer to a local.
    move_via_pointer(addr(p))
    print(p.x, p.y)
    pp = addr(p)
    pp.shift(-110, -222)
    print(p.x, p.y, pp.sum())
    # Assignment copies.
    q = p
    q.x = 1000
    print(p.x, q.x)
    # Structs returned by value.
    r = make_point(3, 4)
    s = r.scaled(3)
    print(r.x, r.y, s.x, s.y)
    # Nested structs.
    box = Rect(lo=Point(x=1, y=1), hi=Point(x=4, y=6), tag=9)
    print(box.area(), box.tag, box.hi.y)
    box.hi.shift(1, 1)
    box.lo.x = 0
    print(box.area(), box.hi.x, box.lo.x)
    copy = box
    copy.hi.x = 0
    print(box.hi.x, copy.hi.x)
    # A struct holding an array of structs.
    path: Path
    path.add(1, 2)
    path.add(3, 4)
    print(path.n, path.points[1].x, path.points[1].y, path.points[2].x)
    path.points[0].shift(5, 5)
    print(path.points[0].sum())
    return 0
