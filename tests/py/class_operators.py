"""Arithmetic dunders: __add__ __sub__ __mul__ __truediv__ __floordiv__ __mod__ __neg__, += via __add__."""


class Vec:
    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y

    def __repr__(self) -> str:
        return f"Vec({self.x}, {self.y})"

    def __add__(self, other: "Vec") -> "Vec":
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other: "Vec") -> "Vec":
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k: float) -> "Vec":
        return Vec(self.x * k, self.y * k)

    def __truediv__(self, k: float) -> "Vec":
        return Vec(self.x / k, self.y / k)

    def __neg__(self) -> "Vec":
        return Vec(-self.x, -self.y)

    def length(self) -> float:
        result: float = (self.x * self.x + self.y * self.y) ** 0.5
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vec) and self.x == other.x and self.y == other.y


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __add__(self, other: "Money") -> "Money":
        return Money(self.cents + other.cents)

    def __mul__(self, n: int) -> "Money":
        return Money(self.cents * n)

    def __floordiv__(self, n: int) -> "Money":
        return Money(self.cents // n)

    def __mod__(self, n: int) -> "Money":
        return Money(self.cents % n)

    def __lt__(self, other: "Money") -> bool:
        return self.cents < other.cents

    def __str__(self) -> str:
        sign = "-" if self.cents < 0 else ""
        return f"{sign}${abs(self.cents) // 100}.{abs(self.cents) % 100:02d}"


def main() -> None:
    a = Vec(1.0, 2.0)
    b = Vec(0.5, -4.0)
    print(a + b, a - b, a * 3, a / 4, -a, Vec(3.0, 4.0).length(), a == Vec(1.0, 2.0), a == b)
    total = Vec(0.0, 0.0)
    for v in [a, b, a]:
        total += v
    print(total, total * 0.5 + a - b)
    path = [Vec(0.0, 0.0), Vec(3.0, 4.0), Vec(3.0, 0.0), Vec(0.0, 0.0)]
    length = 0.0
    for p, q in zip(path, path[1:]):
        length += (q - p).length()
    print(length)
    price = Money(1999)
    cart = price * 3 + Money(250)
    print(cart, cart // 4, cart % 100, Money(-5), Money(7))
    wallet = Money(0)
    for cents in [100, 250, 5]:
        wallet += Money(cents)
    print(wallet, sorted([Money(300), Money(-1), Money(20)], key=lambda m: m.cents)[0])
    print(min([Money(300), Money(-1), Money(20)]), max([Money(3), Money(1)]))


if __name__ == "__main__":
    main()
