"""itertools: count, chain, islice, product, permutations, combinations, groupby (groups
sharing one input), accumulate, zip_longest, pairwise, cycle, repeat, takewhile,
dropwhile, filterfalse, compress, and their argument errors."""

import itertools
from itertools import chain, count, groupby, islice, permutations
from typing import Iterator


def numbers(n: int) -> Iterator[int]:
    for i in range(n):
        print("  gen", i)
        yield i


def is_small(x: int) -> bool:
    return x < 4


def is_even(x: int) -> bool:
    return x % 2 == 0


def first_letter(s: str) -> str:
    return s[0]


def mul(a: int, b: int) -> int:
    return a * b


def bigger(a: int, b: int) -> int:
    return a if a > b else b


def infinite() -> None:
    print(list(islice(count(), 5)), list(islice(count(10), 3)), list(islice(count(2, 3), 4)))
    print(list(islice(count(5, -2), 4)), list(islice(count(0.5), 3)), list(islice(count(1.0, 0.25), 4)))
    total = 0
    for i in count(1):
        if i > 4:
            break
        total += i
    print(total)
    print(list(islice(itertools.cycle("abc"), 7)), list(islice(itertools.cycle([1, 2]), 5)))
    print(list(itertools.repeat("x", 3)), list(itertools.repeat(7, 0)), list(islice(itertools.repeat(1.5), 2)))
    print(list(itertools.repeat([1], -2)), [n * 2 for n in itertools.repeat(4, 2)])


def slicing() -> None:
    print(list(islice("abcdefg", 3)), list(islice("abcdefg", 2, 5)), list(islice("abcdefg", 1, None, 2)))
    print(list(islice(range(10), 0, 10, 3)), list(islice([1, 2], 5)), list(islice("abc", None)))
    print(list(islice(range(10), None, 4)), list(islice(range(10), 8, 2)))
    it = numbers(10)
    print(list(islice(it, 2, 4)))
    print("next after islice:", next(it))
    for args in [[-1], [0, -1], [-2, 4], [0, 4, 0], [1, 2, -1]]:
        try:
            if len(args) == 1:
                print(list(islice("abc", args[0])))
            elif len(args) == 2:
                print(list(islice("abc", args[0], args[1])))
            else:
                print(list(islice("abc", args[0], args[1], args[2])))
        except ValueError as e:
            print("ValueError", e)


def chaining() -> None:
    print(list(chain([1, 2], [3])), list(chain("ab", "cd", "e")), list(chain([], [1], [], [2, 3])))
    print(list(itertools.chain(range(2), range(3), range(1), range(2), range(1), [9])))
    print(list(chain(numbers(2), numbers(1))))
    words = [w.upper() for w in chain(["x"], ("y", "z"))]
    print(words)
    print(list(itertools.zip_longest("abc", "x")), list(itertools.zip_longest([1, 2], [3], [4, 5, 6])))
    print(list(itertools.zip_longest("ab", "xyz", fillvalue="-")), list(itertools.zip_longest([], [])))
    for a, b in itertools.zip_longest([1, 2, 3], [10]):
        print(a, b)
    print(list(itertools.pairwise("abcd")), list(itertools.pairwise([1])), list(itertools.pairwise(range(4))))
    for x, y in itertools.pairwise([3, 5, 9]):
        print(y - x)


def combinatorics() -> None:
    print(list(itertools.product("ab", "xy")), list(itertools.product([1, 2], repeat=2)))
    print(list(itertools.product([0, 1], [2], [3, 4])), list(itertools.product("ab", [], )))
    print(list(itertools.product(range(2), repeat=3)), list(itertools.product("ab", repeat=0)))
    for a, b in itertools.product([1, 2], [10, 20]):
        print(a * b, end=" ")
    print()
    print(list(permutations("abc")), list(permutations([1, 2, 3], 2)), list(permutations("ab", 3)))
    print(list(permutations([], 0)), list(permutations("abcd", 1)), len(list(permutations(range(5)))))
    print(list(itertools.combinations("abcd", 2)), list(itertools.combinations(range(4), 3)))
    print(list(itertools.combinations("ab", 0)), list(itertools.combinations("ab", 3)))
    print(list(itertools.combinations_with_replacement("abc", 2)), list(itertools.combinations_with_replacement([], 2)))
    print(sum(1 for _ in itertools.combinations(range(10), 4)), [sum(c) for c in itertools.combinations([1, 2, 3], 2)])
    for bad in (-1, -5):
        try:
            print(list(itertools.combinations("abc", bad)))
        except ValueError as e:
            print("ValueError", e)
        try:
            print(list(permutations("abc", bad)))
        except ValueError as e:
            print("ValueError", e)
    try:
        print(list(itertools.product("ab", repeat=-1)))
    except ValueError as e:
        print("ValueError", e)


def grouping() -> None:
    for k, g in groupby("aaabccdddd"):
        print(k, list(g))
    for n, ns in groupby([1, 1, 2, 3, 3, 3, 1]):
        print(n, len(list(ns)))
    words = ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]
    for k, g in groupby(words, key=first_letter):
        print(k, list(g))
    print([(k, len(list(g))) for k, g in groupby(sorted("mississippi"))])
    groups = groupby("aabbbc")               # the groups share the input: an older one is empty
    saved: list[Iterator[str]] = []
    for k, g in groups:
        saved.append(g)
    print([list(g) for g in saved])
    gb = groupby([1, 1, 1, 2, 2, 3])
    k1, g1 = next(gb)
    print(k1, next(g1))
    k2, g2 = next(gb)                        # skips the rest of group 1
    print(k2, list(g2), list(g1))
    print(list(groupby([])))


def running() -> None:
    print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.accumulate([1, 2, 3], mul)))
    print(list(itertools.accumulate([1.5, 2.5])), list(itertools.accumulate(["a", "b", "c"])))
    print(list(itertools.accumulate([1, 2], initial=100)), list(itertools.accumulate([], initial=0)))
    print(list(itertools.accumulate([3, 1, 4, 1, 5], bigger)), list(itertools.accumulate(range(5), mul, initial=1)))
    print(list(itertools.takewhile(is_small, [1, 3, 5, 2, 1])), list(itertools.dropwhile(is_small, [1, 3, 5, 2, 1])))
    print(list(itertools.filterfalse(is_even, range(10))), list(itertools.filterfalse(None, [0, 1, 0, 2, 3])))
    print(list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])), list(itertools.compress(range(5), [True, False])))


def main() -> None:
    infinite()
    slicing()
    chaining()
    combinatorics()
    grouping()
    running()


main()
