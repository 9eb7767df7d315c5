"""Functions as values: Callable[[int], str] parameters, dispatch tables, methods and classes as values."""

from collections.abc import Callable


def describe(n: int) -> str:
    return "even" if n % 2 == 0 else "odd"


def stars(n: int) -> str:
    return "*" * n


def apply(f: Callable[[int], str], values: list[int]) -> list[str]:
    return [f(v) for v in values]


def twice(f: Callable[[int], int]) -> Callable[[int], int]:
    def g(x: int) -> int:
        return f(f(x))
    return g


def pipeline(steps: list[Callable[[int], int]]) -> Callable[[int], int]:
    def run(x: int) -> int:
        for step in steps:
            x = step(x)
        return x
    return run


class Greeter:
    def __init__(self, word: str) -> None:
        self.word = word

    def greet(self, name: str) -> str:
        return f"{self.word}, {name}"


def call_with(cb: Callable[[str], str], arg: str) -> str:
    return cb(arg)


def is_square(n: int) -> bool:
    return n >= 0 and any(r * r == n for r in range(n + 1))


def inc(x: int) -> int:
    return x + 1


def main() -> None:
    print(apply(describe, [1, 2, 3]), apply(stars, [0, 3]), apply(str, [10, -1]))
    formatters: dict[str, Callable[[int], str]] = {"parity": describe, "bar": stars, "hex": lambda n: f"{n:#x}"}
    for name, fmt in formatters.items():
        print(name, fmt(5), fmt(12))
    add_two = twice(inc)
    add_four = twice(add_two)
    print(add_two(0), add_four(0), twice(lambda x: x * x)(3))
    p = pipeline([inc, lambda x: x * 10, twice(inc), abs])
    print(p(1), p(-5), pipeline([])(7))
    hello = Greeter("Hello")
    bound = hello.greet
    print(bound("world"), call_with(bound, "kaa"), call_with(Greeter("Hi").greet, "you"))
    print(call_with(lambda s: s.upper(), "shout"), call_with(lambda s: s[::-1], "stressed"))
    make: Callable[[str], Greeter] = lambda word: Greeter(word)
    print(make("Hey").greet("there"))
    chosen = describe if len("abc") > 2 else stars
    print(chosen(4))
    handlers: list[tuple[str, Callable[[int], bool]]] = [
        ("positive", lambda n: n > 0), ("small", lambda n: abs(n) < 10), ("square", is_square),
    ]
    for n in (-4, 9, 49, 50):
        print(n, [label for label, test in handlers if test(n)])


if __name__ == "__main__":
    main()
