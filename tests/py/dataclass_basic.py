"""@dataclass: generated __init__/__repr__/__eq__, defaults, field(default_factory=...), methods."""

from dataclasses import dataclass, field


@dataclass
class Point:
    x: int
    y: int

    def manhattan(self) -> int:
        return abs(self.x) + abs(self.y)


@dataclass
class Item:
    name: str
    price: float
    quantity: int = 1
    tags: list[str] = field(default_factory=list)

    def total(self) -> float:
        return self.price * self.quantity


@dataclass
class Inventory:
    owner: str
    items: list[Item] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, item: Item) -> None:
        self.index[item.name] = len(self.items)
        self.items.append(item)

    def value(self) -> float:
        return sum(i.total() for i in self.items)


@dataclass
class Node:
    label: str
    children: list["Node"] = field(default_factory=list)


def depth(n: Node) -> int:
    return 1 + max((depth(c) for c in n.children), default=0)


def main() -> None:
    p = Point(3, -4)
    print(p, repr(p), str(p), p.x, p.manhattan())
    print(p == Point(3, -4), p == Point(4, 3), p != Point(0, 0), [p, Point(0, 0)])
    p.x = 10
    print(p, f"{p}", f"{p!r}")
    a = Item("apple", 0.5, 6)
    b = Item("pear", 0.75)
    c = Item(name="fig", price=2.0, tags=["dried"])
    b.tags.append("fresh")
    print(a)
    print(b)
    print(c, a.tags is b.tags, a.tags == [])
    inv = Inventory("kaa")
    for item in (a, b, c):
        inv.add(item)
    print(inv.value(), inv.index, len(inv.items), inv.items[inv.index["fig"]].tags)
    print(Inventory("empty"))
    print(Inventory("x") == Inventory("x"), Inventory("x") == Inventory("y"))
    tree = Node("root", [Node("a", [Node("a1")]), Node("b")])
    print(tree)
    print(depth(tree), depth(Node("leaf")), tree.children[0].children[0].label)
    points = [Point(i, i * i % 5) for i in range(5)]
    print(points, Point(2, 4) in points, points.index(Point(3, 4)))
    copy = Point(points[1].x, points[1].y)
    print(copy == points[1], copy is points[1])


if __name__ == "__main__":
    main()
