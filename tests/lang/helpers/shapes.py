"""Helper module for tests/lang/imports.py: it imports another helper itself."""

from kaa.lang import *
from helpers.mathx import Point, square


@struct
class Rect:
    lo: Point
    hi: Point


def area(r: Ptr[Rect]) -> i32:
    return (r.hi.x - r.lo.x) * (r.hi.y - r.lo.y)


def diag2(r: Ptr[Rect]) -> i32:
    return square(r.hi.x - r.lo.x) + square(r.hi.y - r.lo.y)


def describe() -> i32:
    return 2
