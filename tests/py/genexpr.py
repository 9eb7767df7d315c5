"""Generator expressions: laziness, consumed once, passed to sum/any/all/min/max/sorted/join."""

from collections.abc import Iterator


def noisy(n: int) -> Iterator[int]:
    for i in range(n):
        print(f"  producing {i}")
        yield i


def main() -> None:
    print(sum(x * x for x in range(10)), sum(x for x in range(100) if x % 7 == 0))
    print(any(x > 8 for x in range(10)), all(x < 8 for x in range(10)), any(x > 0 for x in range(0)))
    print(max(len(w) for w in "a bb ccc dd".split()), min(-x for x in range(1, 4)))
    print(", ".join(str(x) for x in range(5)), "".join(c.upper() for c in "kaa" if c != "k"))
    print(sorted((x % 4, x) for x in range(8)), list(x for x in "abc"), tuple(x * 2 for x in (1, 2)))
    lazy = (x * 10 for x in noisy(3))
    print("generator created")
    for v in lazy:
        print("got", v)
    print("any short-circuits:", any(x == 1 for x in noisy(5)))
    g = (c for c in "xyz")
    print(list(g), list(g))
    matrix = [[1, 2], [3, 4], [5, 6]]
    print(sum(sum(row) for row in matrix), list(x for row in matrix for x in row if x % 2))
    print(dict((k, len(k)) for k in ["a", "bb"]), set(x % 3 for x in range(10)) == {0, 1, 2})
    words = ["apple", "Banana", "cherry", "date"]
    print(next(w for w in words if w[0].isupper()), next((w for w in words if "z" in w), "none"))
    total = 0.0
    count = 0
    for value in (float(x) / 4 for x in range(1, 9)):
        total += value
        count += 1
    print(total, count, total / count)
    pairs = ((a, b) for a in range(3) for b in range(a))
    print(list(pairs))


if __name__ == "__main__":
    main()
