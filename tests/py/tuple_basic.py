"""Tuples: fixed and variable length, unpacking, swapping, comparison, hashing, dict keys."""


def min_max(xs: list[int]) -> tuple[int, int]:
    return min(xs), max(xs)


def stats(xs: tuple[float, ...]) -> tuple[float, float, int]:
    total = sum(xs)
    return total, total / len(xs), len(xs)


def main() -> None:
    t = (1, "two", 3.0)
    print(t, len(t), t[0], t[-1], t[1:], t[::-1], (), (5,), ("a",), ((1, 2), (3,)))
    a, b, c = t
    print(a, b, c)
    lo, hi = min_max([4, -2, 9, 0])
    print(lo, hi)
    x, y = 1, 2
    x, y = y, x
    print(x, y)
    total, mean, n = stats((1.5, 2.5, 3.5, 4.5))
    print(total, mean, n)
    (p, q), r = (10, 20), 30
    print(p, q, r)
    nums: tuple[int, ...] = tuple(range(5))
    print(nums, nums + (5, 6), nums * 2, 3 in nums, 9 in nums, nums[-1], nums[1:3])
    print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 99), (1, "b") < (1, "c"), (1, 2) == (1, 2))
    print(sorted([(2, "b"), (1, "z"), (2, "a"), (1, "a")]), max([(1, 5), (2, 0), (1, 9)]))
    grid: dict[tuple[int, int], str] = {}
    for i in range(3):
        for j in range(3):
            grid[(i, j)] = "#" if (i + j) % 2 else "."
    print(grid[(1, 1)], grid[(0, 1)], (2, 2) in grid, (3, 3) in grid, len(grid))
    for row in range(3):
        print("".join(grid[(row, col)] for col in range(3)))
    print(hash((1, 2)) == hash((1, 2)), hash((1, 2)) == hash((2, 1)), hash(()) == hash(()))
    print(hash((1, "a", 2.5)) == hash((1, "a", 2.5)), (1, 2) != (2, 1))
    pairs = list(zip("abc", (1, 2, 3)))
    print(pairs, dict(pairs), [k * v for k, v in pairs])
    for i, (letter, number) in enumerate(pairs):
        print(i, letter, number)
    nested: tuple[tuple[str, int], ...] = (("x", 1), ("y", 2))
    print(nested, nested[1][0], tuple(reversed(nested)), tuple("hi"), tuple([1, 2]))
    try:
        print(nums[len(nums)])
    except IndexError as e:
        print("IndexError:", e)
    counts: dict[tuple[str, str], int] = {}
    words = "a b a b c a b".split()
    for first, second in zip(words, words[1:]):
        counts[(first, second)] = counts.get((first, second), 0) + 1
    print(counts, max(counts.items(), key=lambda kv: kv[1]))


if __name__ == "__main__":
    main()
