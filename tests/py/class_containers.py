"""Container dunders: __len__ __contains__ __getitem__ __setitem__ __iter__ __bool__."""

from collections.abc import Iterator


class Grid:
    def __init__(self, width: int, height: int, fill: str = ".") -> None:
        self.width = width
        self.height = height
        self.cells = [fill] * (width * height)

    def __len__(self) -> int:
        return self.width * self.height

    def __getitem__(self, pos: tuple[int, int]) -> str:
        x, y = pos
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise IndexError(f"cell {pos} outside {self.width}x{self.height}")
        return self.cells[y * self.width + x]

    def __setitem__(self, pos: tuple[int, int], value: str) -> None:
        x, y = pos
        self.cells[y * self.width + x] = value

    def __contains__(self, value: str) -> bool:
        return value in self.cells

    def __iter__(self) -> Iterator[str]:
        for y in range(self.height):
            yield "".join(self.cells[y * self.width:(y + 1) * self.width])


class Bag:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, item: str) -> None:
        self.counts[item] = self.counts.get(item, 0) + 1

    def __len__(self) -> int:
        return sum(self.counts.values())

    def __bool__(self) -> bool:
        return len(self.counts) > 0

    def __contains__(self, item: str) -> bool:
        return item in self.counts

    def __getitem__(self, item: str) -> int:
        return self.counts.get(item, 0)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.counts))


def main() -> None:
    g = Grid(4, 3)
    g[(1, 1)] = "#"
    g[(3, 2)] = "@"
    g[0, 0] = "+"
    print(len(g), g[(1, 1)], g[3, 2], "#" in g, "%" in g)
    for row in g:
        print(row)
    print(list(g), [len(r) for r in g], "/".join(g))
    try:
        print(g[(4, 0)])
    except IndexError as e:
        print("IndexError:", e)
    bag = Bag()
    print(len(bag), bool(bag), "x" in bag, bag["x"])
    if not bag:
        print("empty bag is falsy")
    for word in "a b a c b a".split():
        bag.add(word)
    print(len(bag), bool(bag), "a" in bag, "z" in bag, bag["a"], bag["z"])
    for item in bag:
        print(item, bag[item])
    print(sorted(bag, key=lambda w: -bag[w]), max(bag, key=lambda w: bag[w]), list(bag))
    print([w for w in bag if bag[w] > 1], sum(bag[w] for w in bag))


if __name__ == "__main__":
    main()
