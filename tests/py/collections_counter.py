"""collections.Counter: counting words and letters, most_common (ties in first-seen order),
update/subtract with iterables and mappings, elements, total, missing keys reading 0,
comparisons as multisets, | (largest counts), copies, and a Counter used as a dict."""

import collections
from collections import Counter

TEXT = """
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness
"""


def words(text: str) -> list[str]:
    return [w.strip(",.").lower() for w in text.split() if w.strip(",.")]


def word_report(ws: list[str]) -> None:
    counts = Counter(ws)
    print(len(ws), "words,", len(counts), "distinct, total", counts.total())
    for rank, (w, n) in enumerate(counts.most_common(6), 1):
        print(f"{rank}. {w:<8} {n:2} {'*' * n}")
    print(counts.most_common(1), counts.most_common(0), counts.most_common(-2))
    print(counts["was"], counts["zebra"], "zebra" in counts, len(counts))
    rare = sorted(w for w, n in counts.items() if n == 1)
    print(rare)


def letters() -> None:
    c = Counter("abracadabra")
    print(c)
    print(c.most_common())
    print(sorted(c.elements()))
    print(list(c.elements()))
    print(c.total(), c["a"], c["z"])
    c["z"] += 2
    c["a"] -= 5
    print(c)
    del c["z"]
    print(c, len(c))


def incremental() -> None:
    tally: Counter[str] = Counter()
    print(tally, len(tally), tally.total())
    for w in "one two two three three three".split():
        tally[w] += 1
    print(tally)
    tally.update(["two", "four"])
    tally.update({"one": 10})
    print(tally)
    tally.subtract(["three", "three", "five"])
    tally.subtract({"one": 4})
    print(tally)
    print(tally.most_common(3))
    tally.update()
    print(tally.get("six"), tally.get("one"), tally.get("six", 0))


def multisets() -> None:
    a = Counter("aab")
    b = Counter("abbb")
    print(a == Counter("aba"), a == b, a != b)
    print(Counter({"x": 1, "y": 0}) == Counter({"x": 1}))
    print(a <= Counter("aabbc"), a < a, a <= a, Counter("ab") < a, a >= Counter("a"), a > b)
    print(a | b)
    m = a.copy()
    m |= Counter({"a": 5, "c": -1})
    print(m, a)
    both = a | Counter({"b": 7, "c": 1})
    print(both, type(both).__name__)


def counts_of_counts() -> None:
    rolls = [3, 5, 3, 6, 1, 3, 5, 5, 2, 6, 6, 6]
    by_value = Counter(rolls)
    print(by_value)
    freq = Counter(by_value.values())
    print(freq, sorted(freq.items()))
    plain: dict[int, int] = by_value
    print(plain[6], sorted(plain))
    pairs = Counter(zip("abab", "xyxy"))
    print(pairs.most_common())
    print(collections.Counter([True, False, True]))


def main() -> None:
    ws = words(TEXT)
    word_report(ws)
    letters()
    incremental()
    multisets()
    counts_of_counts()


if __name__ == "__main__":
    main()
