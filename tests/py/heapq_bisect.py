"""heapq and bisect: the heap's list after each operation, pop order, nsmallest/nlargest,
bisect positions with lo/hi and key=, insort, and their errors."""

import bisect
import heapq
from bisect import bisect_left, insort
from dataclasses import dataclass
from heapq import heappop, heappush


@dataclass(order=True)
class Job:
    priority: int
    name: str


def neg(x: int) -> int:
    return -x


def by_len(s: str) -> int:
    return len(s)


def heaps() -> None:
    h: list[int] = []
    for x in [5, 3, 8, 1, 9, 2, 7, 1, 6]:
        heappush(h, x)
        print("push", x, h)
    print("pushpop", heapq.heappushpop(h, 4), h)
    print("pushpop small", heapq.heappushpop(h, 0), h)
    print("replace", heapq.heapreplace(h, 10), h)
    out = []
    while h:
        out.append(heappop(h))
        print("pop", out[-1], h)
    print(out)
    data = [9, 4, 7, 1, 8, 2, 2, 6, 3, 5, 0]
    heapq.heapify(data)
    print("heapify", data)
    words = ["pear", "fig", "apple", "kiwi", "banana", "date"]
    heapq.heapify(words)
    print(words, heappop(words), words)
    fl = [2.5, -1.0, 3.25, 0.5]
    heapq.heapify(fl)
    print(fl, heapq.heappop(fl) + 1.0)
    pairs: list[tuple[int, str]] = []
    for p in [(3, "c"), (1, "z"), (1, "a"), (2, "b")]:
        heappush(pairs, p)
    print(pairs, [heappop(pairs) for _ in range(4)])
    jobs: list[Job] = []
    for j in [Job(2, "write"), Job(1, "read"), Job(3, "sync"), Job(1, "open")]:
        heappush(jobs, j)
    print([j.name for j in jobs], heappop(jobs).name, heappop(jobs).name)


def best() -> None:
    xs = [5, 1, 8, 3, 9, 2, 8, 7]
    print(heapq.nlargest(3, xs), heapq.nsmallest(3, xs), heapq.nlargest(1, xs), heapq.nsmallest(1, xs))
    print(heapq.nlargest(0, xs), heapq.nsmallest(-1, xs), heapq.nlargest(20, xs), heapq.nsmallest(8, xs))
    print(heapq.nsmallest(2, []), heapq.nlargest(1, []), heapq.nsmallest(4, iter(xs)), heapq.nlargest(2, "hello"))
    print(heapq.nsmallest(3, xs, key=neg), heapq.nlargest(2, ["bb", "a", "ccc", "dd"], key=by_len))
    print(heapq.nsmallest(3, (x * x for x in range(-4, 4))), heapq.nlargest(3, range(10)))


def searching() -> None:
    a = [1, 2, 2, 2, 4, 7, 9]
    for x in [0, 1, 2, 3, 7, 10]:
        print(x, bisect_left(a, x), bisect.bisect_right(a, x), bisect.bisect(a, x))
    print(bisect.bisect_left(a, 2, 2), bisect.bisect_right(a, 2, 0, 3), bisect.bisect_left(a, 9, 1, 4))
    print(bisect.bisect(a, 5, lo=2, hi=6), bisect.bisect_left(a, 4, hi=2), bisect.bisect_right([], 3))
    fs = [0.5, 1.5, 2.5]
    print(bisect.bisect(fs, 2), bisect.bisect_left(fs, 1.5), bisect.bisect_left(("a", "c", "e"), "d"))
    words = ["a", "bb", "ccc", "dddd"]
    print(bisect.bisect_left(words, 3, key=by_len), bisect.bisect_right(words, 2, key=by_len))
    grades = [60, 70, 80, 90]
    print([("FDCBA")[bisect.bisect(grades, score)] for score in [33, 99, 77, 70, 89, 90, 100]])
    s: list[int] = []
    for v in [5, 1, 4, 1, 5, 9, 2, 6]:
        insort(s, v)
    print(s)
    bisect.insort_left(s, 5)
    bisect.insort_right(s, 0, 0, 0)
    bisect.insort(s, 3, lo=2)
    print(s)
    ws: list[str] = []
    for w in ["kiwi", "fig", "banana", "apple"]:
        bisect.insort(ws, w, key=by_len)
    print(ws)


def errors() -> None:
    h: list[int] = []
    try:
        heappop(h)
    except IndexError as e:
        print("IndexError", e)
    try:
        heapq.heapreplace(h, 1)
    except IndexError as e:
        print("IndexError", e)
    print(heapq.heappushpop(h, 3), h)
    try:
        bisect.bisect_left([1, 2], 1, -1)
    except ValueError as e:
        print("ValueError", e)
    try:
        bisect.insort([1, 2], 1, lo=-2)
    except ValueError as e:
        print("ValueError", e)
    try:
        bisect.bisect([1, 2], 5, 0, 4)
    except IndexError as e:
        print("IndexError", e)


def main() -> None:
    heaps()
    best()
    searching()
    errors()


main()
