"""collections.defaultdict and OrderedDict: grouping into lists and sets, counting with
int, nested defaultdicts, lambda and function factories, a class as factory, what reads
insert (d[k]) and what does not (get, in), reprs, copies, a defaultdict passed as a
dict; OrderedDict's move_to_end and popitem at both ends, order-sensitive ==, and the
KeyErrors of missing keys."""

from collections import OrderedDict, defaultdict
from typing import DefaultDict


class Bucket:
    def __init__(self) -> None:
        self.items: list[str] = []

    def __repr__(self) -> str:
        return f"Bucket({self.items})"


def grouping() -> None:
    words = "apple avocado banana blueberry cherry apricot bean cranberry".split()
    by_letter: defaultdict[str, list[str]] = defaultdict(list)
    for w in words:
        by_letter[w[0]].append(w)
    print(by_letter)
    print(len(by_letter), sorted(by_letter), by_letter["b"])
    lengths: defaultdict[int, set[str]] = defaultdict(set)
    for w in words:
        lengths[len(w)].add(w[0])
    print(sorted((k, sorted(v)) for k, v in lengths.items()))
    counts: DefaultDict[str, int] = defaultdict(int)
    for ch in "mississippi":
        counts[ch] += 1
    print(counts, counts["z"], len(counts))
    totals: defaultdict[str, float] = defaultdict(float)
    for name, amount in [("rent", 700.0), ("food", 12.5), ("food", 7.25)]:
        totals[name] += amount
    print(totals)


def reads() -> None:
    d: defaultdict[str, list[int]] = defaultdict(list)
    print(d.get("a"), "a" in d, len(d))
    print(d["a"], "a" in d, len(d))
    d["b"].extend([1, 2])
    d.setdefault("c", []).append(3)
    print(d, d.pop("a"), d)
    first = d.copy()
    first["new"].append(9)
    print(first, d)
    print(sorted(d.keys()), list(d.values()), list(d.items()))
    names: defaultdict[str, str] = defaultdict(str)
    print(repr(names["x"]), names)
    flags: defaultdict[int, bool] = defaultdict(bool)
    flags[3] = not flags[1]
    print(flags)


def size_of(d: dict[str, list[int]]) -> int:
    return sum(len(v) for v in d.values())


def make_default() -> list[int]:
    return [0, 0]


def factories() -> None:
    nested: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for city, kind in [("Oslo", "cafe"), ("Oslo", "bar"), ("Rome", "cafe"), ("Oslo", "cafe")]:
        nested[city][kind] += 1
    for city in sorted(nested):
        print(city, dict(nested[city]))
    start = 100
    ids: defaultdict[str, int] = defaultdict(lambda: start)
    ids["a"] += 1
    print(dict(ids))
    pairs: defaultdict[str, list[int]] = defaultdict(make_default)
    pairs["p"][1] = 5
    print(dict(pairs), size_of(pairs))
    buckets: defaultdict[str, Bucket] = defaultdict(Bucket)
    buckets["x"].items.append("one")
    buckets["x"].items.append("two")
    print(dict(buckets))
    seeded = defaultdict(int, {"a": 1, "b": 2})
    seeded["c"] += 3
    from_pairs = defaultdict(list, [("k", [1])])
    from_pairs["j"].append(2)
    empty_seed: defaultdict[str, int] = defaultdict(int, {})
    empty_seed["e"] -= 1
    print(seeded, from_pairs, empty_seed)
    none: defaultdict[str, int] = defaultdict(None)
    try:
        print(none["missing"])
    except KeyError as e:
        print("KeyError", e)
    print(none)


def ordered() -> None:
    od: OrderedDict[str, int] = OrderedDict()
    for k in "bcad":
        od[k] = ord(k)
    print(od)
    od.move_to_end("b")
    print(list(od))
    od.move_to_end("d", last=False)
    print(list(od), od)
    print(od.keys(), od.values(), od.items(), list(reversed(od)))
    print(od.popitem(), od.popitem(last=False), od)
    od["z"] = 26
    same = OrderedDict([("c", 99), ("a", 97), ("z", 26)])
    other = OrderedDict([("a", 97), ("c", 99), ("z", 26)])
    print(od == same, od == other, dict(od) == dict(other), od != other)
    print(OrderedDict(), OrderedDict({"x": 1}), od.copy())
    try:
        od.move_to_end("missing")
    except KeyError as e:
        print("KeyError", e)
    empty: OrderedDict[str, int] = OrderedDict()
    try:
        empty.popitem()
    except KeyError as e:
        print("KeyError", e)
    lru: OrderedDict[int, str] = OrderedDict()
    for key in [1, 2, 3, 1, 4, 2, 5]:
        if key in lru:
            lru.move_to_end(key)
        else:
            lru[key] = f"v{key}"
            if len(lru) > 3:
                print("evict", lru.popitem(last=False))
    print(lru)


def main() -> None:
    grouping()
    reads()
    factories()
    ordered()


if __name__ == "__main__":
    main()
