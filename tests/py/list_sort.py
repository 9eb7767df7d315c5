"""Sorting: list.sort and sorted with key and reverse, stability, tuples, strings, floats."""


def main() -> None:
    nums = [5, 3, 9, -1, 0, 3, 12, -7, 9, 2]
    sorted_nums = sorted(nums)
    print(sorted_nums, nums)
    nums.sort(reverse=True)
    print(nums)
    nums.sort(key=abs)
    print(nums)
    nums.sort(key=lambda n: (n % 3, -n))
    print(nums)
    people = [("alice", 30), ("bob", 25), ("carol", 30), ("dave", 25), ("eve", 35), ("frank", 30)]
    print(sorted(people, key=lambda p: p[1]))
    print(sorted(people, key=lambda p: p[1], reverse=True))
    print(sorted(people))
    print(sorted(people, key=lambda p: (-p[1], p[0])))
    by_len = sorted(["ccc", "a", "bb", "aaa", "b", "cc", "c"], key=len)
    print(by_len, sorted(by_len, key=len, reverse=True))
    floats = [2.5, -0.0, 0.0, 1e-9, -3.75, 1e9, 0.1]
    print(sorted(floats), sorted(floats, reverse=True))
    words = "The quick brown Fox jumps over the lazy dog".split()
    print(sorted(words))
    print(sorted(words, key=lambda w: w.lower()))
    print(sorted(words, key=lambda w: (len(w), w.lower())))
    records: list[tuple[str, int, float]] = [
        ("x", 2, 1.5), ("y", 1, 2.5), ("x", 1, 0.5), ("y", 2, 0.5), ("x", 2, 0.25),
    ]
    records.sort(key=lambda r: r[2])
    records.sort(key=lambda r: r[0])
    print(records)
    big = [(i * 7919) % 101 for i in range(60)]
    big.sort()
    print(big[:10], big[-10:], all(big[i] <= big[i + 1] for i in range(len(big) - 1)))
    stable = [(k % 4, k) for k in range(20)]
    stable.sort(key=lambda t: t[0], reverse=True)
    print(stable)
    nested = [[3, 1], [2], [3], [], [2, 5], [1, 9, 9]]
    print(sorted(nested))
    chars = sorted("kaa unikernel")
    print(chars, "".join(sorted("kaa unikernel", reverse=True)))
    empty: list[int] = []
    empty.sort()
    print(empty, sorted(empty), sorted([1]), sorted((3, 1, 2)), sorted({"b": 1, "a": 2}))


if __name__ == "__main__":
    main()
