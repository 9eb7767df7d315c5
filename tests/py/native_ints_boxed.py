"""Native ints where a value is boxed: dataclass asdict, lru_cache keys and results,
functions passed as Callable values, and an iterator's __next__."""

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Callable, Iterator

from mypy_extensions import i32, i64, u8


@dataclass
class P:
    x: i32
    y: u8


@lru_cache(maxsize=None)
def sq(n: i32) -> i32:
    return n * n


def apply(f: Callable[[i64], i64], v: i64) -> i64:
    return f(v)


def twice(v: i64) -> i64:
    return v * 2


class Count:
    def __init__(self) -> None:
        self.n: u8 = 0

    def __iter__(self) -> "Count":
        return self

    def __next__(self) -> u8:
        if self.n == 3:
            raise StopIteration
        self.n += 1
        return self.n


print(asdict(P(5, 200)), sq(7), sq(7), apply(twice, 21), list(Count()))
