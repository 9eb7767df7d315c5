"""binary_trees: allocate, walk and drop many perfect binary trees (the allocator's benchmark).

    python3 binary_trees.py [DEPTH]   (default 15)

A tree of depth d is a Node with two subtrees of depth d - 1 (a leaf has none). First a
"stretch" tree of depth DEPTH + 1 is built, checked and dropped; then a long-lived tree of
depth DEPTH is built and kept; then for d = 4, 6, ..., DEPTH, 2^(DEPTH - d + 4) trees of
depth d are built, checked (nodes counted) and dropped one by one; last the long-lived
tree is checked. Prints every check. Work: about 2^(DEPTH + 2) * (DEPTH / 2) nodes.
"""

import sys
from typing import Final, Optional

DEFAULT_DEPTH: Final = 15
MIN_DEPTH: Final = 4


class Node:
    def __init__(self, left: "Optional[Node]", right: "Optional[Node]") -> None:
        self.left = left
        self.right = right


def make(depth: int) -> Node:
    if depth == 0:
        return Node(None, None)
    return Node(make(depth - 1), make(depth - 1))


def check(node: Node) -> int:
    """The number of nodes in the tree."""
    left = node.left
    right = node.right
    if left is None or right is None:
        return 1
    return 1 + check(left) + check(right)


def main() -> None:
    depth = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEPTH
    if depth < MIN_DEPTH + 2:
        depth = MIN_DEPTH + 2
    print(f"stretch tree of depth {depth + 1}\t check: {check(make(depth + 1))}")
    long_lived = make(depth)
    d = MIN_DEPTH
    while d <= depth:
        iterations = 1 << (depth - d + MIN_DEPTH)
        total = 0
        for _ in range(iterations):
            total += check(make(d))
        print(f"{iterations}\t trees of depth {d}\t check: {total}")
        d += 2
    print(f"long lived tree of depth {depth}\t check: {check(long_lived)}")


main()
