"""A class with a field, a method a subclass overrides (vtable), and an exception."""


class Shape:
    def __init__(self, name: str) -> None:
        self.name = name

    def area(self) -> float:
        return 0.0


class Square(Shape):
    def __init__(self, side: float) -> None:
        super().__init__("square")
        self.side = side

    def area(self) -> float:
        if self.side < 0:
            raise ValueError(f"negative side {self.side}")
        return self.side * self.side


print(Square(2.0).area())
