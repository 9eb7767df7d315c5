"""lambda expressions: as sort keys, stored in containers, returned, immediately applied."""

from collections.abc import Callable


def apply_all(fs: list[Callable[[int], int]], x: int) -> list[int]:
    return [f(x) for f in fs]


def compose(f: Callable[[int], int], g: Callable[[int], int]) -> Callable[[int], int]:
    return lambda x: f(g(x))


def adder(n: int) -> Callable[[int], int]:
    return lambda x: x + n


def main() -> None:
    square: Callable[[int], int] = lambda x: x * x
    mul: Callable[[int, int], int] = lambda a, b: a * b
    constant: Callable[[], str] = lambda: "no args"
    print(square(7), mul(6, 7), constant())
    fs: list[Callable[[int], int]] = [lambda x: x + 1, lambda x: x * 2, lambda x: -x, square, abs]
    print(apply_all(fs, 5), apply_all(fs, -3))
    inc_then_double = compose(lambda x: x * 2, adder(1))
    double_then_inc = compose(adder(1), lambda x: x * 2)
    print(inc_then_double(5), double_then_inc(5))
    ops: dict[str, Callable[[float, float], float]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
    }
    for sym in ops:
        print(f"6 {sym} 4 = {ops[sym](6.0, 4.0)}")
    pairs = [(1, "one"), (3, "three"), (2, "two"), (10, "ten")]
    print(sorted(pairs, key=lambda p: p[1]), sorted(pairs, key=lambda p: -p[0]))
    print(max(pairs, key=lambda p: len(p[1])), min(pairs, key=lambda p: p[1][-1]))
    late: list[Callable[[int], int]] = [lambda x: x + k for k in range(3)]
    bound = [adder(k) for k in range(3)]
    print([f(100) for f in late], [f(100) for f in bound])
    pick: Callable[[bool], str] = lambda flag: "yes" if flag else "no"
    print(pick(True), pick(False), [pick(b) for b in (1 > 0, 1 < 0)])
    nested: Callable[[int], Callable[[int], int]] = lambda x: (lambda y: x * 10 + y)
    print(nested(4)(2))


if __name__ == "__main__":
    main()
