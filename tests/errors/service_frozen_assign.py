from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    x: int


p = Point(1)
p.x = 2  # E: cannot assign to field 'x' of frozen dataclass 'Point' # N: dataclasses.replace(obj, x=...)
