"""functools.reduce: with and without an initial value, over lists, strs, generators and
ranges, with functions, nested functions and Callable values; the empty-input error and
an error raised by the function."""

import functools
from functools import reduce
from typing import Callable, Iterator


def add(a: int, b: int) -> int:
    return a + b


def longer(a: str, b: str) -> str:
    return b if len(b) > len(a) else a


def count_chars(total: int, word: str) -> int:
    return total + len(word)


def divide(a: float, b: float) -> float:
    return a / b


def evens(n: int) -> Iterator[int]:
    for i in range(0, n, 2):
        yield i


def collect(acc: list[int], x: int) -> list[int]:
    return acc + [x * 10]


def main() -> None:
    print(reduce(add, [1, 2, 3, 4]), reduce(add, [5]), reduce(add, [], 0), reduce(add, [1, 2], 100))
    print(functools.reduce(add, range(101)), reduce(add, evens(10)), reduce(add, (3, 4)))
    print(reduce(longer, ["fig", "banana", "kiwi", "cherry"]), reduce(count_chars, ["ab", "cde", ""], 0))
    print(reduce(divide, [100.0, 2.0, 5.0]), reduce(divide, [3.0], 1.5))
    start: list[int] = []
    print(reduce(collect, [1, 2, 3], start), reduce(collect, [], [7]), start)
    scale = 3

    def weighted(acc: int, x: int) -> int:
        return acc * scale + x

    print(reduce(weighted, [1, 0, 2]), reduce(weighted, [1, 1], 1))
    op: Callable[[int, int], int] = add
    print(reduce(op, [10, 20, 30]))
    try:
        reduce(add, [])
    except TypeError as e:
        print("TypeError", e)
    try:
        reduce(divide, [1.0, 0.0])
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    big = reduce(add, [2 ** 62, 2 ** 62, 2 ** 63])
    print(big, reduce(add, [-1, 1]))


main()
