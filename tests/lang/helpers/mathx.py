"""Helper module for tests/lang/imports.py (no main, no .out)."""

from kaa.lang import *

LIMIT: Final = 100
SCALE: Final[u32] = 3


class Mode(IntEnum):
    SLOW = 1
    FAST = 2


@struct
class Point:
    x: i32
    y: i32

    def total(self) -> i32:
        return self.x + self.y


calls: u32 = 0


def square(v: i32) -> i32:
    return v * v


def clamp(v: i32, lo: i32, hi: i32) -> i32:
    if v < lo:
        return lo
    if v > hi:
        return hi
    return v


def describe() -> i32:
    return 1


def counted() -> u32:
    global calls
    calls += 1
    return calls
