"""The iteration protocol: classes with __iter__/__next__, StopIteration, iter() over containers."""

from collections.abc import Iterator


class Countdown:
    def __init__(self, start: int) -> None:
        self.current = start

    def __iter__(self) -> "Countdown":
        return self

    def __next__(self) -> int:
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


class Span:
    """Re-iterable: each iter() gets a fresh generator."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.hi = hi

    def __iter__(self) -> Iterator[int]:
        n = self.lo
        while n < self.hi:
            yield n
            n += 1


class Pairs:
    def __init__(self, items: list[str]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return zip(self.items, self.items[1:])


def main() -> None:
    print(list(Countdown(4)))
    c = Countdown(2)
    print([x for x in c], list(c))
    it = Countdown(3)
    print(next(it), next(it), next(it), next(it, 0))
    try:
        next(it)
    except StopIteration as e:
        print("StopIteration", repr(e))
    span = Span(2, 6)
    print(list(span), list(span), sum(span), max(span), 4 in list(span))
    for a, b in Pairs(["x", "y", "z"]):
        print(a + b)
    print(dict(Pairs(["k1", "v1", "k2"])), sorted(Countdown(5)), list(enumerate(Span(7, 9))))
    iterables: list[list[int]] = [[1, 2], [], [3]]
    flat: list[int] = []
    for sub in iterables:
        sub_it = iter(sub)
        while True:
            try:
                flat.append(next(sub_it))
            except StopIteration:
                break
    print(flat)
    for name, source in (("str", iter("ab")), ("tuple", iter(("c", "d"))), ("dict", iter({"e": 1, "f": 2}))):
        print(name, list(source))
    zipped = zip(Countdown(3), Span(10, 20), "abcdef")
    print(list(zipped))


if __name__ == "__main__":
    main()
