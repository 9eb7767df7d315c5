"""Deeply nested containers: freeing them never recurses as deep as they are (a list
100,000 levels deep is freed; a service thread's stack is 16 KiB), and nesting a few
hundred deep, as a client's JSON may be, reads, compares and prints as CPython does (120
levels: -O0 builds use more stack per level, and the main program has 64 KiB)."""

import json
from typing import Any


def nested_lists(depth: int) -> list[Any]:
    top: list[Any] = []
    inner = top
    for _ in range(depth):
        deeper: list[Any] = []
        inner.append(deeper)
        inner = deeper
    return top


def nested_dicts(depth: int) -> dict[str, Any]:
    top: dict[str, Any] = {}
    inner = top
    for i in range(depth):
        deeper: dict[str, Any] = {}
        inner[f"k{i % 3}"] = deeper
        inner = deeper
    return top


def depth_of(v: Any) -> int:
    n = 0
    while isinstance(v, list) and v:
        v = v[0]
        n += 1
    return n


for depth in (10, 1000, 100_000):
    xs = nested_lists(depth)
    print("lists", depth, depth_of(xs))
    ds = nested_dicts(depth)
    print("dicts", depth, len(ds))
    t: tuple[Any, ...] = ()
    for _ in range(depth):
        t = (t, depth)
    print("tuples", depth, len(t))

for depth in (50, 120):
    a = json.loads("[" * depth + "1" + "]" * depth)
    b = json.loads("[" * depth + "1" + "]" * depth)
    c = json.loads("[" * depth + "2" + "]" * depth)
    print(depth, a == b, a == c, a != c, len(repr(a)), len(str(a)), json.dumps(a) == repr(a))
    d = json.loads('{"a": ' * depth + "null" + "}" * depth)
    print(depth, len(repr(d)), d == json.loads(json.dumps(d)))

doc = json.loads("[" * 990 + "]" * 990)
print("990 deep from JSON:", depth_of(doc), len(json.dumps(doc)))
try:
    json.loads("[" * 5000 + "]" * 5000)
except RecursionError as e:
    print("RecursionError:", e)
