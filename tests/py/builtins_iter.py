"""Iteration built-ins: len range enumerate zip reversed sorted iter next list dict set tuple."""


def main() -> None:
    print(len("kaa"), len([1, 2]), len((1,)), len({"a": 1}), len({1, 2, 3}), len(range(10)), len(b"xy"))
    print(list(range(5)), list(range(2, 8)), list(range(10, 0, -3)), list(range(0)), list(range(5, 2)))
    r = range(3, 20, 4)
    print(len(r), r[0], r[-1], 7 in r, 8 in r, list(reversed(r)), list(r), sum(r))
    names = ["ann", "bob", "cy"]
    print(list(enumerate(names)), list(enumerate(names, start=1)), list(enumerate("ab", 10)))
    for i, name in enumerate(names):
        print(i, name, end=" | ")
    print()
    ages = [31, 25, 40, 99]
    print(list(zip(names, ages)), list(zip(names, ages, "xyz")), list(zip(names, ages[:0])))
    print(dict(zip(names, ages)), [a - b for a, b in zip(ages, ages[1:])])
    print(list(reversed(names)), list(reversed("abc")), list(reversed((1, 2))), list(reversed([])))
    print(sorted("hello"), sorted(ages, reverse=True), sorted({"b": 1, "a": 2}.items()))
    it = iter(names)
    print(next(it), next(it), next(it), next(it, "done"), next(it, "still done"))
    it2 = iter(range(3))
    print(list(it2), list(it2))
    print(list("abc"), list((1, 2)), list({"x": 1}), tuple([1, 2]), tuple("ab"), tuple(range(3)))
    print(dict([("a", 1), ("b", 2)]), dict({"c": 3}), dict(zip("ab", "xy")))
    print(sorted(set([3, 1, 3, 2])), sorted(set("banana")), len(set(range(100)) & set(range(50, 150))))
    for c in "hi":
        print(c)
    for k in {"one": 1, "two": 2}:
        print(k)
    for v in (1.5, 2.5):
        print(v)
    for b in b"AB":
        print(b)
    count = 0
    for _ in range(1000):
        count += 1
    print(count)
    i = 0
    while i < len(names):
        print(names[i][::-1], end=",")
        i += 1
    print()


if __name__ == "__main__":
    main()
