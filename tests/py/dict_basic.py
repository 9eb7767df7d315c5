"""dict operations: [] get setdefault pop update keys values items in del | iteration, KeyError."""


def main() -> None:
    d: dict[str, int] = {"one": 1, "two": 2}
    d["three"] = 3
    print(d, len(d), d["two"], d.get("four"), d.get("four", 4), d.get("one", 100))
    print("one" in d, "four" in d, "four" not in d, 1 in d.values(), ("two", 2) in d.items())
    print(d.setdefault("four", 4), d.setdefault("one", 99), d)
    print(d.pop("two"), d.pop("missing", -1), d)
    d.update({"five": 5, "one": 10})
    d.update([("six", 6)])
    print(d)
    print(list(d.keys()), list(d.values()), list(d.items()))
    print(d.keys(), d.values(), d.items())
    del d["three"]
    print(d, len(d))
    merged = d | {"seven": 7, "one": -1}
    print(merged, d)
    d |= {"eight": 8}
    print(d)
    for key in d:
        print(key, d[key], end="; ")
    print()
    for key, value in d.items():
        d[key] = value * 10
    print(d)
    total = 0
    for v in d.values():
        total += v
    print(total, sum(d.values()), max(d), min(d.values()), sorted(d))
    for missing in ("two", "nine"):
        try:
            print(d[missing])
        except KeyError as e:
            print("KeyError:", e, repr(e))
    try:
        d.pop("nope")
    except KeyError as e:
        print("KeyError on pop:", e)
    try:
        del d["nope"]
    except KeyError as e:
        print("KeyError on del:", e)
    copy = dict(d)
    copy["one"] = 0
    print(d["one"], copy["one"], d == copy, dict([("x", 1), ("y", 2)]))
    squares = {n: n * n for n in range(6)}
    print(squares, squares[5], 3 in squares)
    inverse = {v: k for k, v in squares.items() if k % 2 == 0}
    print(inverse)
    empty: dict[int, str] = {}
    print(empty, len(empty), bool(empty), empty.get(1), {1: "a"} == {1: "a"}, {1: "a"} != {1: "b"})
    cleared = {"k": 1, "j": 2}
    for k in list(cleared):
        del cleared[k]
    print(cleared, len(cleared))
    nums: dict[int, float] = {1: 1.5, -2: 2.5, 10 ** 20: 0.1}
    print(nums, nums[10 ** 20], nums[-2])
    floats: dict[float, str] = {0.5: "half", 1.0: "one"}
    print(floats[1], floats[0.5], 1 in floats, True in floats)


if __name__ == "__main__":
    main()
