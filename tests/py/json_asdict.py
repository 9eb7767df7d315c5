"""json.dumps(asdict(obj)) (and .encode()): the compiler fuses it into one encoder pass over the
dataclass fields; the text, errors included, must be what CPython prints."""

import dataclasses
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass
class Tag:
    name: str
    weight: float = 1.0


@dataclass
class Item:
    id: int
    name: str
    price: float
    tags: list[Tag] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    parent: Optional["Item"] = None
    ok: bool = True


@dataclass(frozen=True)
class Point:
    x: int
    y: int


@dataclass
class Empty:
    pass


@dataclass
class Weird:
    value: int

    @property
    def doubled(self) -> int:
        return self.value * 2


class Plain:
    def __init__(self) -> None:
        self.a = 1


base = Item(1, "tea \"green\" ñ", 2.5, [Tag("hot"), Tag("x", 0.1)], {"k": [1, 2, {"z": None}], "p": (1, 2)})
child = Item(2, "cup", 1e100, parent=base, ok=False)
print(json.dumps(asdict(base)))
print(json.dumps(asdict(child)))
print(json.dumps(asdict(child)).encode("utf-8"))
print(json.dumps(asdict(child)).encode())
print(json.dumps(dataclasses.asdict(Point(3, -4))))
print(json.dumps(asdict(Empty())))
print(json.dumps(asdict(Weird(21))))
print(json.dumps(asdict(base), sort_keys=True))
print(json.dumps(asdict(base), indent=2))
anyv: Any = child
print(json.dumps(asdict(anyv)))
print(json.dumps(asdict(anyv)).encode())
notdc: Any = Plain()
try:
    print(json.dumps(asdict(notdc)))
except TypeError as e:
    print("TypeError:", e)
try:
    print(json.dumps(asdict(notdc)).encode())
except TypeError as e:
    print("TypeError:", e)
nan = Item(3, "n", float("nan"))
print(json.dumps(asdict(nan)))
bad = Item(4, "b", 1.0, extra={"f": Plain()})
try:
    print(json.dumps(asdict(bad)))
except TypeError as e:
    print("TypeError:", e)
deep: list[Any] = [asdict(base)]
print(json.dumps(deep))
items = [Item(i, str(i), i / 3) for i in range(12)]
print(json.dumps(asdict(Item(99, "many", 0.0, extra={"items": [asdict(i) for i in items]}))))
