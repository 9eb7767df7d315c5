"""typing.Any as a dynamic value: indexing, iteration, len, arithmetic, comparisons,
truthiness, isinstance narrowing and methods chosen by the run-time type."""

from typing import Any


def describe(x: Any) -> str:
    if isinstance(x, bool):
        return f"bool {x}"
    if isinstance(x, int):
        return f"int {x + 1}"
    if isinstance(x, float):
        return f"float {x * 2}"
    if isinstance(x, str):
        return f"str {x.upper()!r}"
    if isinstance(x, list):
        return f"list of {len(x)}: " + ", ".join(describe(e) for e in x)
    if isinstance(x, dict):
        return "dict " + "; ".join(f"{k}={describe(v)}" for k, v in x.items())
    if x is None:
        return "None"
    return "other " + repr(x)


def total(values: list[Any]) -> float:
    s = 0.0
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            s += v
    return s


doc: dict[str, Any] = {
    "name": "kaa", "version": 3, "ratio": 0.25, "tags": ["fast", "small"], "ok": True,
    "owner": {"name": "ann", "id": 10 ** 20}, "none": None,
}
for key in doc:
    print(key, "->", describe(doc[key]))

tags = doc["tags"]
tags.append("typed")
tags.sort()
print(tags, len(tags), tags[0], tags[-1], "small" in tags, "big" in tags)
owner = doc["owner"]
owner["id"] += 1
print(owner, owner.get("name"), owner.get("nobody", "?"), sorted(owner.keys()))
print(doc["version"] * 2, doc["version"] / 2, doc["version"] // 2, doc["version"] % 2, -doc["version"],
      doc["version"] ** 2, doc["ratio"] + doc["version"], doc["version"] << 3, ~doc["version"])
print(doc["name"] + "-os", doc["name"] * 2, doc["tags"] + ["x"], doc["ok"] & True, doc["ok"] + 1)
print(doc["version"] > 2, doc["ratio"] < doc["version"], doc["name"] == "kaa", doc["none"] is None,
      doc["version"] == 3.0, doc["tags"] != [])
print(bool(doc["none"]), bool(doc["tags"]), not doc["ok"], bool(doc["ratio"]), bool(doc["name"]))
print(total([1, 2.5, True, "x", None, 10 ** 18]))
count: int = doc["version"]
ratio: float = doc["ratio"]
label: str = doc["name"]
print(count + 1, ratio, label.title())
nested: Any = [[1, 2], {"k": [3, {"deep": "yes"}]}]
print(nested[1]["k"][1]["deep"], nested[0][1], len(nested[1]))
nested[0][0] = "one"
del nested[1]["k"]
print(nested)
words: Any = "a b  c".split()
print(words, "-".join(words), " x ".strip())

for bad in ("add", "concat", "index", "key", "attr", "call", "neg", "mul"):
    try:
        if bad == "add":
            print(doc["version"] + "1")
        elif bad == "concat":
            print(doc["name"] + 1)
        elif bad == "index":
            print(doc["tags"][10])
        elif bad == "key":
            print(doc["missing"])
        elif bad == "attr":
            print(doc["version"].append(1))
        elif bad == "call":
            print(doc["tags"]["x"])
        elif bad == "neg":
            print(-doc["name"])
        else:
            print(doc["ratio"] * doc["name"])
    except (TypeError, IndexError, KeyError, AttributeError) as e:
        print(bad, type(e).__name__, e)
