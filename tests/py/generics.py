"""TypeVar and Generic: generic functions and classes (type variables are dynamic inside;
results are checked when they reach typed variables)."""

from dataclasses import dataclass
from typing import Callable, Generic, Iterator, Optional, Protocol, TypeVar

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def first(xs: list[T]) -> Optional[T]:
    return xs[0] if xs else None


def group_by(items: list[V], key: Callable[[V], K]) -> dict[K, list[V]]:
    out: dict[K, list[V]] = {}
    for it in items:
        out.setdefault(key(it), []).append(it)
    return out


class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: list[T] = []

    def push(self, item: T) -> None:
        self.items.append(item)

    def pop(self) -> T:
        return self.items.pop()

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(reversed(self.items))


@dataclass
class Pair(Generic[K, V]):
    key: K
    value: V


class Greeter(Protocol):
    def greet(self) -> str: ...


class English:
    def greet(self) -> str:
        return "hello"


def welcome(g: English) -> str:
    return g.greet() + "!"


ints: Stack[int] = Stack()
for i in range(4):
    ints.push(i * i)
top: int = ints.pop()
print(top + 1, len(ints), list(ints))
words: Stack[str] = Stack()
words.push("a")
words.push("b")
w: str = words.pop()
print(w.upper(), first([3, 1]), first(["x"]), first([]))
n = first([10, 20])
if n is not None:
    print(n * 2)
print(group_by(["apple", "avocado", "banana", "blueberry", "cherry"], lambda s: s[0]))
p = Pair("answer", 42)
print(p, p.key, p.value + 1)
print(welcome(English()))
