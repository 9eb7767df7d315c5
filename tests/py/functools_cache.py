"""functools: lru_cache and cache on recursive and multi-argument functions (calls counted
to show what was cached, evictions included), cmp_to_key."""

import functools
from functools import cache, cmp_to_key, lru_cache

calls: dict[str, int] = {}


def count(name: str) -> None:
    calls[name] = calls.get(name, 0) + 1


@lru_cache(maxsize=None)
def fib(n: int) -> int:
    count("fib")
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@cache
def grid_paths(rows: int, cols: int) -> int:
    count("grid")
    if rows == 0 or cols == 0:
        return 1
    return grid_paths(rows - 1, cols) + grid_paths(rows, cols - 1)


@functools.lru_cache(maxsize=2)
def slow_square(x: float) -> float:
    count("square")
    return x * x


@lru_cache()
def is_prime(n: int) -> bool:
    count("prime")
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))


@lru_cache
def label(word: str) -> str | None:
    count("label")
    return word.upper() if word else None


print(fib(90), fib(50), calls["fib"])
print(grid_paths(10, 10), calls["grid"])
for x in (1.5, 2.0, 1.5, 3.0, 1.5, 2.0):
    print(slow_square(x), end=" ")
print(calls["square"])
print([n for n in range(30) if is_prime(n)], sum(1 for n in range(30) if is_prime(n)), calls["prime"])
print(label("a"), label(""), label("a"), label(""), calls["label"])


def by_length_then_reverse(a: str, b: str) -> int:
    if len(a) != len(b):
        return len(a) - len(b)
    return (a < b) - (a > b)


words = ["pear", "fig", "apple", "kiwi", "date", "banana"]
print(sorted(words, key=cmp_to_key(by_length_then_reverse)))


def descending(a: int, b: int) -> int:
    return b - a


print(sorted([3, 1, 2], key=functools.cmp_to_key(descending)))
