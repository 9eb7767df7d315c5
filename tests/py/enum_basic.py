"""enum: Enum, IntEnum and StrEnum members, auto(), iteration, lookup by value and by
name, str/repr/format, members as dict keys and in sets, comparisons of IntEnum."""

import enum
from enum import Enum, IntEnum, StrEnum, auto


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3

    def is_warm(self) -> bool:
        return self is Color.RED


class Priority(IntEnum):
    LOW = auto()
    MEDIUM = auto()
    HIGH = 10
    URGENT = auto()


class Method(StrEnum):
    GET = auto()
    POST = "POST"


class Shape(enum.Enum):
    POINT = (0, 0)
    UNIT = (1, 1)


print(Color.RED, repr(Color.GREEN), Color.BLUE.name, Color.BLUE.value, f"{Color.RED}")
print([c.name for c in Color], len(Color), list(Color))
def differ(a: Color, b: Color) -> bool:
    return a != b


print(Color(2), Color["BLUE"], Color(3) is Color.BLUE, differ(Color.RED, Color.RED), differ(Color.RED, Color.GREEN))
print(Color.RED.is_warm(), Color.GREEN.is_warm())
counts = {Color.RED: 0, Color.GREEN: 5}
counts[Color.RED] += 2
print(counts, {Color.BLUE, Color.RED, Color.BLUE} == {Color.RED, Color.BLUE})
print(Priority.LOW, Priority.MEDIUM.value, Priority.URGENT.value, repr(Priority.HIGH), f"{Priority.HIGH}")
def level(p: Priority) -> Priority:
    return p


print(Priority.HIGH > Priority.LOW, Priority.HIGH >= 10, Priority.LOW < 2, level(Priority.MEDIUM) == 2)
print(sorted([Priority.URGENT, Priority.LOW, Priority.HIGH]), max(Priority).name)
print(Method.GET, Method.POST, repr(Method.GET), Method("get") == "get", Method("POST").name)
print(Shape.UNIT.value, Shape((0, 0)).name)
try:
    print(Color(4))
except ValueError as e:
    print("ValueError", e)
try:
    print(Color["PURPLE"])
except KeyError as e:
    print("KeyError", e)
