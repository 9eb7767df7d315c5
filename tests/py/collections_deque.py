"""collections.deque: a FIFO work queue (breadth-first search), a bounded window with
maxlen, both ends, rotate, indexing, searching, insert/remove, comparisons, reprs, and
the errors (IndexError from an empty deque, ValueError for a missing item)."""

from collections import deque
import collections

GRID = ["..#....",
        ".##.##.",
        "...#...",
        "#.....#",
        "...#..."]


def bfs(start: tuple[int, int], goal: tuple[int, int]) -> int:
    """Shortest path length on GRID, -1 when unreachable."""
    seen = {start}
    queue: deque[tuple[tuple[int, int], int]] = deque([(start, 0)])
    while queue:
        (r, c), dist = queue.popleft()
        if (r, c) == goal:
            return dist
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < len(GRID) and 0 <= nc < len(GRID[0]) and GRID[nr][nc] == "." and (nr, nc) not in seen:
                seen.add((nr, nc))
                queue.append(((nr, nc), dist + 1))
    return -1


def moving_average(values: list[float], width: int) -> list[float]:
    window: deque[float] = deque(maxlen=width)
    out: list[float] = []
    for v in values:
        window.append(v)
        out.append(round(sum(window) / len(window), 3))
    return out


def ends() -> None:
    d = deque("bcd")
    d.append("e")
    d.appendleft("a")
    print(d, len(d), d[0], d[-1], d[2])
    d.extend("fg")
    d.extendleft("yz")
    print(d)
    print(d.pop(), d.popleft(), d)
    d[0] = "Y"
    d[-1] = "F"
    print(d, "c" in d, "q" in d, d.count("c"), d.index("c"), d.index("e", 2, 6))
    d.insert(1, "ins")
    d.insert(-1, "before_last")
    d.insert(100, "end")
    d.remove("c")
    print(d, list(reversed(d)))
    d.reverse()
    print(d)
    d.clear()
    print(d, len(d), bool(d))


def rotation() -> None:
    d = deque(range(8))
    d.rotate()
    print(d)
    d.rotate(3)
    print(d)
    d.rotate(-5)
    print(d)
    d.rotate(19)
    print(d)
    d.rotate(-20)
    print(d, list(d) == sorted(d))
    dealer = deque(["north", "east", "south", "west"])
    for _ in range(6):
        print(dealer[0], end=" ")
        dealer.rotate(-1)
    print()


def bounded() -> None:
    recent: deque[int] = deque(maxlen=3)
    for i in range(7):
        recent.append(i)
        print(recent, recent.maxlen)
    recent.appendleft(-1)
    print(recent)
    recent.extend([10, 11])
    print(recent)
    recent.extendleft([20, 21])
    print(recent)
    try:
        recent.insert(0, 99)
    except IndexError as e:
        print("IndexError", e)
    zero: deque[int] = deque([1, 2], maxlen=0)
    zero.append(3)
    print(zero, len(zero))
    print(deque([1, 2, 3], 2), deque(maxlen=5), deque().maxlen)
    copy = recent.copy()
    copy.append(12)
    print(recent, copy, copy.maxlen)
    print(moving_average([1.0, 2.0, 6.0, 3.0, 8.0, 5.0], 3))


def compare_and_errors() -> None:
    a = deque([1, 2, 3])
    print(a == deque([1, 2, 3]), a == deque([1, 2]), a != deque([3, 2, 1]))
    print(a < deque([1, 3]), a <= a, a > deque([1, 2]), deque([2]) >= a)
    print(sorted([deque([3]), deque([1, 2]), deque([1])]))
    empty: deque[str] = deque()
    for op in ("pop", "popleft"):
        try:
            empty.pop() if op == "pop" else empty.popleft()
        except IndexError as e:
            print(op, "IndexError", e)
    try:
        print(a[3])
    except IndexError as e:
        print("IndexError", e)
    try:
        a[-4] = 0
    except IndexError as e:
        print("IndexError", e)
    try:
        a.remove(7)
    except ValueError as e:
        print("ValueError", e)
    try:
        a.index(1, 1)
    except ValueError as e:
        print("ValueError", e)
    try:
        collections.deque([1], maxlen=-1)
    except ValueError as e:
        print("ValueError", e)
    names = collections.deque(["x"])
    print(names, [n.upper() for n in names], sum(deque([1.5, 2.5])), max(deque([4, 9, 2])))


def main() -> None:
    print(bfs((0, 0), (4, 6)), bfs((0, 0), (0, 3)), bfs((0, 0), (0, 0)))
    ends()
    rotation()
    bounded()
    compare_and_errors()
    work = deque([3, 1, 2])
    done = []
    while work:
        n = work.popleft()
        done.append(n)
        if n > 1:
            work.append(n - 1)
    print(done)


if __name__ == "__main__":
    main()
