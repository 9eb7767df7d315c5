"""Optional[T] and T | None: returning None, narrowing after `is None` / `is not None` checks."""

from typing import Optional


class Node:
    def __init__(self, value: int, next: "Node | None" = None) -> None:
        self.value = value
        self.next = next


def find(xs: list[str], target: str) -> Optional[int]:
    for i, x in enumerate(xs):
        if x == target:
            return i
    return None


def parse_int(text: str) -> int | None:
    text = text.strip()
    if text == "" or not text.lstrip("-").isdigit():
        return None
    return int(text)


def length(head: Node | None) -> int:
    n = 0
    while head is not None:
        n += 1
        head = head.next
    return n


def last(head: Optional[Node]) -> Optional[int]:
    if head is None:
        return None
    while head.next is not None:
        head = head.next
    return head.value


def describe(value: Optional[float]) -> str:
    if value is None:
        return "missing"
    return f"{value:.1f}"


def main() -> None:
    names = ["ann", "bob", "cy"]
    for target in ("bob", "zed"):
        idx = find(names, target)
        if idx is None:
            print(target, "not found", idx)
        else:
            print(target, "at", idx, names[idx])
    values = [parse_int(t) for t in ("12", " -7 ", "x1", "", "0", "3.5")]
    print(values)
    total = 0
    for v in values:
        if v is not None:
            total += v
    print(total, [v for v in values if v is not None], sum(v for v in values if v is not None))
    head: Node | None = None
    for v in (3, 1, 4, 1, 5):
        head = Node(v, head)
    print(length(head), last(head), last(None), length(None))
    print(head.value if head is not None else -1)
    cache: dict[str, Optional[float]] = {"a": 1.25, "b": None}
    for key in ("a", "b", "c"):
        print(key, describe(cache.get(key)), cache.get(key), key in cache)
    best: Optional[str] = None
    for name in names:
        if best is None or len(name) > len(best):
            best = name
    print(best, best is None, best is not None)
    maybe: int | None = None
    print(maybe, repr(maybe), maybe is None, maybe == None, [None, maybe])
    maybe = 0
    print(maybe, maybe is None, maybe or 99, bool(maybe))


if __name__ == "__main__":
    main()
