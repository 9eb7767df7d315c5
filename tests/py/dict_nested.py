"""Nested containers: dict[str, list[tuple[int, str]]], dict of dicts, grouping, inversion."""


def main() -> None:
    log = [
        (3, "boot", "kernel"), (5, "dhcp", "net"), (1, "mmap", "kernel"),
        (8, "listen", "net"), (2, "mount", "fs"), (9, "accept", "net"), (4, "read", "fs"),
    ]
    by_area: dict[str, list[tuple[int, str]]] = {}
    for t, event, area in log:
        by_area.setdefault(area, []).append((t, event))
    print(by_area)
    for area in sorted(by_area):
        events = sorted(by_area[area])
        print(area, events, [e for _, e in events], events[0][1], events[-1][0])
    counts: dict[str, dict[str, int]] = {}
    text = "the cat and the hat and the bat sat on the mat"
    for word in text.split():
        inner = counts.setdefault(word[0], {})
        inner[word] = inner.get(word, 0) + 1
    print(counts)
    print(counts["t"]["the"], counts["a"], "z" in counts, len(counts["s"]))
    inverted: dict[int, list[str]] = {}
    for first, words in counts.items():
        for word, n in words.items():
            if n not in inverted:
                inverted[n] = []
            inverted[n].append(word)
    print(inverted, sorted(inverted.items(), reverse=True))
    matrix: dict[tuple[int, int], float] = {}
    for r in range(3):
        for c in range(3):
            if (r + c) % 2 == 0:
                matrix[(r, c)] = r * 1.5 + c
    print(matrix, matrix[(2, 2)], (0, 1) in matrix, matrix.get((1, 0), 0.0))
    tree: dict[str, list[str]] = {"root": ["a", "b"], "a": ["c", "d"], "b": ["e"], "c": [], "d": ["f"]}
    order: list[str] = []
    stack = ["root"]
    while stack:
        node = stack.pop()
        order.append(node)
        for child in reversed(tree.get(node, [])):
            stack.append(child)
    print(order)
    depth: dict[str, int] = {"root": 0}
    for node in order:
        for child in tree.get(node, []):
            depth[child] = depth[node] + 1
    print(depth, max(depth.values()), [n for n, d in depth.items() if d == 2])
    nested_lists: list[list[dict[str, int]]] = [[{"a": 1}], [{"b": 2}, {"c": 3}], []]
    nested_lists[1][0]["b"] += 40
    nested_lists[2].append({"d": 4})
    print(nested_lists, sum(len(x) for x in nested_lists))
    snapshot = {k: list(v) for k, v in by_area.items()}
    by_area["net"].clear()
    print(len(snapshot["net"]), len(by_area["net"]), snapshot == by_area)


if __name__ == "__main__":
    main()
