"""Single inheritance: overriding, dynamic dispatch through base-class references, isinstance."""


class Shape:
    sides = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def area(self) -> float:
        return 0.0

    def describe(self) -> str:
        return f"{self.name} with {self.sides} sides and area {self.area():.2f}"

    def kind(self) -> str:
        return "shape"

    def perimeter(self) -> float:
        raise NotImplementedError(f"{self.name} has no perimeter formula")


class Rectangle(Shape):
    sides = 4

    def __init__(self, w: float, h: float) -> None:
        super().__init__("rectangle")
        self.w = w
        self.h = h

    def area(self) -> float:
        return self.w * self.h

    def kind(self) -> str:
        return "quad"

    def perimeter(self) -> float:
        return 2 * (self.w + self.h)


class Square(Rectangle):
    def __init__(self, side: float) -> None:
        super().__init__(side, side)
        self.name = "square"


class Triangle(Shape):
    sides = 3

    def __init__(self, base: float, height: float) -> None:
        super().__init__("triangle")
        self.base = base
        self.height = height

    def area(self) -> float:
        return self.base * self.height / 2


class Circle(Shape):
    def __init__(self, r: float) -> None:
        super().__init__("circle")
        self.r = r

    def area(self) -> float:
        return 3.14159 * self.r * self.r

    def describe(self) -> str:
        return f"circle of radius {self.r} (base says: {super().describe()})"


def main() -> None:
    shapes: list[Shape] = [Rectangle(2.0, 3.5), Square(4.0), Triangle(3.0, 5.0), Circle(1.5), Shape("blob")]
    for s in shapes:
        print(s.describe(), "|", s.kind())
    print(sum(s.area() for s in shapes))
    for s in shapes:
        try:
            print(s.name, "perimeter", s.perimeter())
        except NotImplementedError as e:
            print(s.name, "NotImplementedError:", e)
    for s in shapes:
        print(s.name, isinstance(s, Shape), isinstance(s, Rectangle), isinstance(s, Square),
              isinstance(s, Triangle), isinstance(s, Circle))
    rects = [s for s in shapes if isinstance(s, Rectangle)]
    for r in rects:
        print(r.name, r.w, r.h)
    biggest = max(shapes, key=lambda s: s.area())
    print("biggest:", biggest.name, Square.sides, Triangle.sides, Shape.sides)
    print(isinstance(3, int), isinstance(True, int), isinstance(3.0, int), isinstance("s", str))
    print(isinstance(shapes, list), isinstance((1, 2), tuple), isinstance({}, dict))
    by_kind: dict[str, list[str]] = {}
    for s in shapes:
        by_kind.setdefault(s.kind(), []).append(s.name)
    print(by_kind)


if __name__ == "__main__":
    main()
