"""abc.ABC and @abstractmethod: an abstract base class, subclasses that implement it,
dispatch through the base type."""

import abc
from abc import ABC, abstractmethod


class Shape(ABC):
    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    def area(self) -> float:
        ...

    @abstractmethod
    def sides(self) -> int:
        """How many sides."""

    def describe(self) -> str:
        return f"{self.name}: {self.sides()} sides, area {self.area():.2f}"


class Square(Shape):
    def __init__(self, side: float) -> None:
        super().__init__("square")
        self.side = side

    def area(self) -> float:
        return self.side * self.side

    def sides(self) -> int:
        return 4


class Triangle(Shape):
    def __init__(self, base: float, height: float) -> None:
        super().__init__("triangle")
        self.base = base
        self.height = height

    def area(self) -> float:
        return self.base * self.height / 2

    def sides(self) -> int:
        return 3


class Store(abc.ABC):
    @abc.abstractmethod
    def get(self, key: str) -> str | None:
        raise NotImplementedError

    def get_or(self, key: str, default: str) -> str:
        v = self.get(key)
        return v if v is not None else default


class DictStore(Store):
    def __init__(self) -> None:
        self.data: dict[str, str] = {"a": "1"}

    def get(self, key: str) -> str | None:
        return self.data.get(key)


shapes: list[Shape] = [Square(2), Triangle(3, 4), Square(1.5)]
for s in shapes:
    print(s.describe())
print(sum(s.area() for s in shapes), max(shapes, key=lambda s: s.area()).name)
store: Store = DictStore()
print(store.get_or("a", "-"), store.get_or("b", "-"))
