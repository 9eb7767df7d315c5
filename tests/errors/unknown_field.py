from kaa.lang import *


@struct
class Point:
    x: i32
    y: i32


def main() -> i32:
    p = Point(x=1, y=2)
    p.z = 3  # E: no field 'z'  # N: its fields are: x, y
    return 0
