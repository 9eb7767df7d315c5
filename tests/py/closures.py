"""Nested functions and closures: captured variables, nonlocal counters, late binding, factories."""

from collections.abc import Callable


def make_counter(start: int = 0, step: int = 1) -> Callable[[], int]:
    count = start

    def next_value() -> int:
        nonlocal count
        count += step
        return count

    return next_value


def make_accumulator() -> tuple[Callable[[float], float], Callable[[], list[float]]]:
    history: list[float] = []
    total = 0.0

    def add(x: float) -> float:
        nonlocal total
        total += x
        history.append(total)
        return total

    def get_history() -> list[float]:
        return list(history)

    return add, get_history


def multipliers() -> list[Callable[[int], int]]:
    late: list[Callable[[int], int]] = []
    for i in range(4):
        def mul(x: int) -> int:
            return x * i
        late.append(mul)
    return late


def bound_multipliers() -> list[Callable[[int], int]]:
    result: list[Callable[[int], int]] = []
    for i in range(4):
        def make(k: int) -> Callable[[int], int]:
            def mul(x: int) -> int:
                return x * k
            return mul
        result.append(make(i))
    return result


def outer() -> str:
    message = "outer"

    def middle() -> str:
        def inner() -> str:
            return message + "/inner"
        return inner() + "/middle"

    message = "changed"
    return middle()


def memo_fib() -> Callable[[int], int]:
    cache: dict[int, int] = {}

    def fib(n: int) -> int:
        if n < 2:
            return n
        if n not in cache:
            cache[n] = fib(n - 1) + fib(n - 2)
        return cache[n]

    return fib


def main() -> None:
    c1 = make_counter()
    c2 = make_counter(100, 10)
    print(c1(), c1(), c2(), c1(), c2(), c2())
    add, hist = make_accumulator()
    for x in (1.5, 2.25, -0.75):
        print(add(x))
    print(hist())
    print([f(10) for f in multipliers()], [f(10) for f in bound_multipliers()])
    print(outer())
    fib = memo_fib()
    print(fib(90), fib(10), fib(150))
    calls = 0

    def tracked(x: int) -> int:
        nonlocal calls
        calls += 1
        return x * x

    print(sum(tracked(i) for i in range(5)), calls)


if __name__ == "__main__":
    main()
