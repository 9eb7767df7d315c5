"""float: many small objects of three floats, computed, normalised and folded together.

    python3 float.py [POINTS]         (default 500000)

Point i gets x = sin(i), y = 3 cos(i), z = x^2 / 2; every point is then scaled to unit
length (the sum of all their coordinates is kept), and the points are folded into one
whose coordinates are the largest seen. sin and cos are this program's own (no math
module): the angle is reduced to [-pi, pi] by whole turns, then a Taylor polynomial of
degree 17 (sin) or 18 (cos) is summed by Horner's rule. Prints the fold's coordinates to
nine decimals, then the sum to six. Work: POINTS objects allocated and about 60 float
operations and a square root per point.
"""

import sys
from typing import Final

DEFAULT_POINTS: Final = 500000
PI: Final = 3.141592653589793
TWO_PI: Final = 2.0 * PI


def reduce_angle(t: float) -> float:
    """t minus the whole turns that bring it into [-pi, pi]."""
    turns = int((t + PI) / TWO_PI)
    r = t - float(turns) * TWO_PI
    if r > PI:
        r -= TWO_PI
    if r < -PI:
        r += TWO_PI
    return r


def sine(t: float) -> float:
    x = reduce_angle(t)
    x2 = x * x
    s = 1.0
    k = 17
    while k > 1:
        s = 1.0 - s * x2 / float(k * (k - 1))
        k -= 2
    return x * s


def cosine(t: float) -> float:
    x = reduce_angle(t)
    x2 = x * x
    s = 1.0
    k = 18
    while k > 0:
        s = 1.0 - s * x2 / float(k * (k - 1))
        k -= 2
    return s


class Point:
    def __init__(self, i: int) -> None:
        t = float(i)
        self.x: float = sine(t)
        self.y: float = cosine(t) * 3.0
        self.z: float = (self.x * self.x) / 2.0

    def normalize(self) -> None:
        norm: float = (self.x * self.x + self.y * self.y + self.z * self.z) ** 0.5
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other: "Point") -> "Point":
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self


def fold(points: list[Point]) -> Point:
    best = points[0]
    for i in range(1, len(points)):
        best = best.maximize(points[i])
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_POINTS
    points: list[Point] = []
    for i in range(n):
        points.append(Point(i))
    total = 0.0
    for p in points:
        p.normalize()
        total += p.x + p.y + p.z
    best = fold(points)
    print(f"{best.x:.9f} {best.y:.9f} {best.z:.9f}")
    print(f"sum {total:.6f}")


main()
