from typing import Optional


class Node:
    def __init__(self, value: int) -> None:
        self.value = value


def first(n: Optional[Node]) -> int:
    return n.value  # E: 'value' of a value that may be None # N: is not None
