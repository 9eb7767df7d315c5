"""min/max (iterables, several arguments, key=, default=), any, all."""


def main() -> None:
    nums = [4, -7, 12, 0, 12, -7]
    print(min(nums), max(nums), min(3, 9), max(3, 9, 27, 1), min(2.5, 1.0), max(-0.5, -1.0), max(-0.0, 0.0), min(0.0, -0.0))
    print(min("kaa"), max(["pear", "apple", "fig"]), min(("b", 2), ("a", 5)), max([(1, "z"), (1, "zz")]))
    words = ["banana", "kiwi", "apple", "cherry", "fig"]
    print(min(words, key=len), max(words, key=len), min(words, key=lambda w: w[-1]), max(words, key=lambda w: w[1]))
    print(max(nums, key=abs), min(nums, key=abs), max(nums, key=lambda n: -n))
    people = [("ann", 31), ("bob", 25), ("cy", 31), ("dee", 25)]
    print(max(people, key=lambda p: p[1]), min(people, key=lambda p: p[1]))
    empty: list[int] = []
    print(min(empty, default=-1), max(empty, default=99), max([5], default=0))
    try:
        print(max(empty))
    except ValueError as e:
        print("ValueError:", e)
    print(max(2 ** 70, 2 ** 69 * 3), min(-(2 ** 70), 0), max(1e308, 2 ** 1000), max(0.1, 1 / 3))
    print(any(empty), all(empty), any([0, 0, 1]), all([1, 2, 0]), any(x > 10 for x in nums), all(x < 13 for x in nums))
    zero_key: dict[int, int] = {0: 1}
    print(any(["", "x"]), all(["a", "b"]), any(zero_key), all(["s", "", "t"]), all([[0], [1]]))
    scores = {"alice": 88, "bob": 95, "carol": 95, "dan": 70}
    best = max(scores, key=lambda name: scores[name])
    worst = min(scores.items(), key=lambda kv: kv[1])
    print(best, worst, max(scores.values()), min(scores))
    grid = [[3, 8, 1], [9, 2, 7], [4, 6, 5]]
    print(max(max(row) for row in grid), min(min(row) for row in grid), max(grid, key=lambda r: sum(r)), min(grid))
    running_max: list[int] = []
    current = nums[0]
    for n in nums:
        current = max(current, n)
        running_max.append(current)
    print(running_max)


if __name__ == "__main__":
    main()
