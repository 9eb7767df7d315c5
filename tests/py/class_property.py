"""@property getters and setters, computed attributes, validation in setters."""


class Temperature:
    def __init__(self, celsius: float) -> None:
        self._celsius = celsius

    @property
    def celsius(self) -> float:
        return self._celsius

    @celsius.setter
    def celsius(self, value: float) -> None:
        if value < -273.15:
            raise ValueError(f"{value} is below absolute zero")
        self._celsius = value

    @property
    def fahrenheit(self) -> float:
        return self._celsius * 9 / 5 + 32

    @fahrenheit.setter
    def fahrenheit(self, value: float) -> None:
        self.celsius = (value - 32) * 5 / 9

    @property
    def kelvin(self) -> float:
        return round(self._celsius + 273.15, 2)


class Rect:
    def __init__(self, w: int, h: int) -> None:
        self.w = w
        self.h = h
        self.reads = 0

    @property
    def area(self) -> int:
        self.reads += 1
        return self.w * self.h

    @property
    def is_square(self) -> bool:
        return self.w == self.h


class Stack:
    def __init__(self) -> None:
        self._items: list[str] = []

    @property
    def top(self) -> str:
        if not self._items:
            raise IndexError("top of empty stack")
        return self._items[-1]

    @property
    def size(self) -> int:
        return len(self._items)

    def push(self, item: str) -> None:
        self._items.append(item)


def main() -> None:
    t = Temperature(100.0)
    print(t.celsius, t.fahrenheit, t.kelvin)
    t.fahrenheit = 32.0
    print(t.celsius, t.fahrenheit, t.kelvin)
    t.celsius = -40.0
    print(t.celsius, t.fahrenheit)
    try:
        t.celsius = -300.0
    except ValueError as e:
        print("ValueError:", e)
    print(t.celsius)
    r = Rect(3, 4)
    print(r.area, r.is_square, r.reads)
    r.w = 4
    print(r.area, r.is_square, r.reads, r.area + r.area, r.reads)
    s = Stack()
    print(s.size)
    try:
        print(s.top)
    except IndexError as e:
        print("IndexError:", e)
    for word in ("a", "b", "c"):
        s.push(word)
        print(s.top, s.size)
    temps = [Temperature(c) for c in (12.5, -3.0, 30.25)]
    print([x.fahrenheit for x in temps], max(temps, key=lambda x: x.kelvin).celsius)


if __name__ == "__main__":
    main()
