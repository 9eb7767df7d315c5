"""dataclasses beyond the class: asdict (nested), replace, frozen instances (hashable,
usable as keys), field(default_factory=...)."""

import dataclasses
import json
from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0


@dataclass
class Segment:
    name: str
    ends: tuple[Point, Point]
    weight: float = 1.0
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Point] = field(default_factory=dict)


@dataclass(order=True)
class Version:
    major: int
    minor: int
    label: str = ""


p = Point(1, 2)
q = replace(p, y=5)
print(p, q, p == Point(1, 2), p == q, hash(p) == hash(Point(1, 2)))
seen = {p: "first", q: "second"}
print(seen[Point(1, 5)], len({p, Point(1, 2), q}))
s = Segment("s1", (p, q), tags=["a"], meta={"mid": Point(3)})
d = asdict(s)
print(d)
print(dataclasses.asdict(p), asdict(Point(7)))
print(json.dumps(asdict(s), sort_keys=True))
s2 = dataclasses.replace(s, weight=2.5)
s2.tags.append("shared")
print(s2, s.tags is s2.tags)
print(sorted([Version(1, 2), Version(1, 0, "rc"), Version(0, 9)]))
print(replace(Version(1, 0), label="final"))
