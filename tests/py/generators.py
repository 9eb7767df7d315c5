"""Generators: yield, state across calls, early exit, next() with defaults, StopIteration."""

from collections.abc import Iterator


def countdown(n: int) -> Iterator[int]:
    print("  countdown starts")
    while n > 0:
        yield n
        n -= 1
    print("  countdown ends")


def fib() -> Iterator[int]:
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(n: int, it: Iterator[int]) -> list[int]:
    out: list[int] = []
    for x in it:
        if len(out) >= n:
            break
        out.append(x)
    return out


def chunks(xs: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(xs), size):
        yield xs[i:i + size]


def primes() -> Iterator[int]:
    found: list[int] = []
    n = 2
    while True:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1


def tokens(text: str) -> Iterator[str]:
    word = ""
    for ch in text:
        if ch.isalnum():
            word += ch
        else:
            if word:
                yield word
                word = ""
            if not ch.isspace():
                yield ch
    if word:
        yield word


def main() -> None:
    for x in countdown(3):
        print(x)
    gen = countdown(2)
    print("created")
    print(next(gen), next(gen), next(gen, -1), next(gen, -2))
    print(take(15, fib()), take(10, primes()))
    print(list(chunks(list("abcdefg"), 3)), list(chunks([], 2)))
    print(list(tokens("x = foo(a, 42) + bar;")))
    it = iter([1, 2])
    print(next(it), next(it))
    try:
        next(it)
    except StopIteration:
        print("StopIteration caught")
    f = fib()
    total = 0
    for v in f:
        if v > 1000:
            break
        total += v
    print(total, next(f), next(f))
    squares = (i * i for i in range(5))
    print(next(squares), list(squares), list(squares))
    print(sum(countdown(4)), max(take(20, fib())), sorted(tokens("b a c")))


if __name__ == "__main__":
    main()
