"""typing.NamedTuple: fields by name and by index, defaults, unpacking, iteration,
tuple equality, ordering and hashing, _replace and _asdict, a method."""

import typing
from typing import NamedTuple


class Point(NamedTuple):
    x: int
    y: int = 0

    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)


class Reading(typing.NamedTuple):
    sensor: str
    value: float
    ok: bool = True


def total(t: tuple[int, int]) -> int:
    return t[0] + t[1]


p = Point(3, -4)
q = Point(1)
print(p, q, repr(p), p.x, p.y, p[0], p[-1], len(p), p.norm1())
x, y = p
print(x, y, list(p), p == (3, -4), p == Point(3, -4), p != q, q < p, hash(p) == hash((3, -4)))
print(sorted([Point(2, 1), Point(1, 5), Point(2, 0)]), total(p), p[:1], 3 in p)
r = Reading("t1", 21.5)
print(r, r.value + 1, r.ok, r._replace(value=19.0, ok=False), r._asdict())
seen = {Point(0, 0): "origin", p: "p"}
print(seen[Point(3, -4)], {q, Point(1, 0)})
for i, v in enumerate(r):
    print(i, v)
