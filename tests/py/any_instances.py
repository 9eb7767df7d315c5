"""typing.Any holding instances of the program's classes: fields read and assigned,
properties, methods called (virtual dispatch, defaults, keywords) or read as bound
methods, class constants, NamedTuples, enums, frozen dataclasses, and CPython's
AttributeError and TypeError messages when an attribute or an argument is wrong."""

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, NamedTuple, Optional, cast


class Shape:
    sides = 0
    unit = "cm"

    def __init__(self, name: str, scale: float = 1.0) -> None:
        self.name = name
        self.scale = scale
        self.visible = True
        self.tag: Optional[str] = None

    def area(self) -> float:
        return 0.0

    def describe(self, prefix: str = "a", *, upper: bool = False) -> str:
        text = f"{prefix} {self.name} of area {self.area():.2f} {self.unit}"
        return text.upper() if upper else text

    def grow(self, by: float) -> None:
        self.scale *= by

    @staticmethod
    def kinds() -> int:
        return 3

    @classmethod
    def family(cls) -> str:
        return f"{cls.sides} sides"

    def __repr__(self) -> str:
        return f"<{self.name} x{self.scale}>"


class Square(Shape):
    sides = 4

    def __init__(self, side: int) -> None:
        super().__init__("square")
        self.side = side

    def area(self) -> float:
        return self.side * self.side * self.scale

    @property
    def perimeter(self) -> int:
        return 4 * self.side

    @property
    def double_side(self) -> int:
        return 2 * self.side

    @double_side.setter
    def double_side(self, value: int) -> None:
        self.side = value // 2


class Circle(Shape):
    def __init__(self, r: float) -> None:
        super().__init__("circle", 2.0)
        self.r = r

    def area(self) -> float:
        return 3.0 * self.r * self.r * self.scale

    def between(self, lo: int, mid: int, hi: int, *, strict: bool, exact: bool, fuzzy: bool = False) -> bool:
        return lo < mid < hi if strict else lo <= mid <= hi

    def fail(self, n: int) -> int:
        if n > 1:
            raise ValueError(f"too big: {n}")
        return n


@dataclass(frozen=True)
class Frozen:
    x: int
    label: str = "f"


@dataclass
class Account:
    owner: str
    balance: float = 0.0
    active: bool = True

    def deposit(self, amount: float) -> float:
        self.balance += amount
        return self.balance


class Pair(NamedTuple):
    left: int
    right: str = "r"

    def joined(self, sep: str) -> str:
        return f"{self.left}{sep}{self.right}"


class Color(Enum):
    RED = 1
    GREEN = 2

    def shout(self) -> str:
        return self.name.upper() + "!"


class AppError(Exception):
    def __init__(self, code: int, why: str) -> None:
        super().__init__(code, why)
        self.code = code


def show(label: str, f: Callable[[], object]) -> None:
    try:
        print(label, f())
    except (AttributeError, TypeError, ValueError) as e:
        print(label, type(e).__name__, e)


def assign(label: str, obj: Any, value: Any) -> None:
    """obj.<label> = value, and what it raised."""
    try:
        if label == "x":
            obj.x = value
        elif label == "left":
            obj.left = value
        elif label == "name":
            obj.name = value
        else:
            obj.perimeter = value
        print("set", label)
    except AttributeError as e:
        print("set", label, type(e).__name__, e)


shapes: list[Any] = [Square(3), Circle(1.5), Shape("blob")]
for s in shapes:
    print(s.name, s.scale, s.visible, s.tag, s.sides, s.unit, s.area(), s.describe())
    print(s.describe("the", upper=True), s.describe(prefix="one"), s.kinds(), s.family())

sq: Any = shapes[0]
print(sq.side, sq.perimeter, sq.double_side, sq.side * 2 + 1, sq.scale / 4)
sq.double_side = 10
sq.side += 1
sq.tag = "big"
sq.visible = False
sq.scale = 0.5
print(sq.side, sq.perimeter, sq.tag, sq.visible, sq.area(), sq)
sq.tag = None
sq.grow(3.0)
print(sq.tag, sq.scale, sq.grow(2.0), sq.scale)

bound = sq.area
print(bound, bound())
describe = cast(Callable[[str], str], sq.describe)
print(describe("my"))
print(cast(Callable[[], int], sq.kinds)())
print(cast(Callable[[], str], shapes[1].family)())

acct: Any = Account("ann")
print(acct.owner, acct.balance, acct.active, acct.deposit(2.5), acct.deposit(1), acct.balance)
acct.balance = 10.25
acct.active = False
print(acct)

fz: Any = Frozen(1)
print(fz.x, fz.label, fz)
assign("x", fz, 2)

pair: Any = Pair(7)
print(pair.left, pair.right, pair.joined("-"), pair.count(7), pair.index("r"), pair[0], len(pair))
assign("left", pair, 1)
show("tuple missing", lambda: pair.middle)

color: Any = Color.GREEN
print(color.name, color.value, color.shout(), color.value + 1, color == Color.GREEN)
assign("name", color, "BLUE")

err: Any = AppError(4, "bad")
print(err.code, err.args, err)

circle: Any = shapes[1]
print(circle.fail(1), circle.between(1, 2, 3, strict=True, exact=False),
      circle.between(1, 1, 3, exact=True, strict=False))
show("raise", lambda: circle.fail(5))
show("missing attribute", lambda: circle.radius)
show("missing method", lambda: circle.spin(1))
show("method on a built-in value", lambda: cast(Any, 5).spin())
show("read a missing method", lambda: circle.area2)
show("missing argument", lambda: circle.fail())
show("missing arguments", lambda: circle.describe(1, 2, 3))
show("too many", lambda: circle.fail(1, 2))
show("missing three", lambda: circle.between())
show("missing two", lambda: circle.between(lo=1))
show("keyword", lambda: circle.fail(m=1))
show("twice", lambda: circle.fail(1, n=2))
show("keyword-only", lambda: circle.describe("x", True))
show("keyword-only missing", lambda: circle.between(1, 2, 3))
show("keyword-only given", lambda: circle.between(1, 2, 3, 4, strict=True))
show("static extra", lambda: circle.kinds(1))
show("bound extra", lambda: cast(Callable[[int, int], int], circle.fail)(1, 2))
assign("perimeter", sq, 3)
show("not callable", lambda: circle.scale())
show("calls a field", lambda: circle.name.upper())


def total_area(items: list[Any]) -> float:
    total = 0.0
    for item in items:
        total += item.area()
    return total


print(total_area(shapes))
print([s.describe("any") for s in shapes if s.sides > 0])
