"""Default parameter values, keyword arguments, recursion, early return, None defaults."""

from typing import Optional


def greet(name: str, greeting: str = "Hello", punct: str = "!") -> str:
    return f"{greeting}, {name}{punct}"


def power(base: int, exp: int = 2) -> int:
    result = 1
    for _ in range(exp):
        result *= base
    return result


def append_to(item: int, target: Optional[list[int]] = None) -> list[int]:
    if target is None:
        target = []
    target.append(item)
    return target


def scale(values: list[float], factor: float = 2.0, offset: float = 0.0) -> list[float]:
    return [v * factor + offset for v in values]


def ackermann(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def gcd(a: int, b: int) -> int:
    return a if b == 0 else gcd(b, a % b)


def hanoi(n: int, src: str = "A", dst: str = "C", via: str = "B", moves: Optional[list[str]] = None) -> list[str]:
    if moves is None:
        moves = []
    if n > 0:
        hanoi(n - 1, src, via, dst, moves)
        moves.append(f"{src}->{dst}")
        hanoi(n - 1, via, dst, src, moves)
    return moves


def first_negative(xs: list[int]) -> int:
    for x in xs:
        if x < 0:
            return x
    return 0


def nothing() -> None:
    return


def main() -> None:
    print(greet("kaa"), greet("kaa", "Hi"), greet("kaa", punct="?"), greet(greeting="Yo", name="x"))
    print(power(5), power(2, 10), power(exp=3, base=4), power(10, exp=20))
    a = append_to(1)
    b = append_to(2)
    print(a, b, a is b, append_to(3, a), a)
    print(scale([1.0, 2.5]), scale([1.0], 0.5), scale([1.0], offset=-1.0), scale([], 9.0, 9.0))
    print(ackermann(2, 3), gcd(1071, 462), gcd(2 ** 40, 6 ** 20))
    print(hanoi(3), len(hanoi(10)))
    nothing()
    print(first_negative([3, 1, -4, -1]), first_negative([]))


if __name__ == "__main__":
    main()
