"""dict insertion order: overwrites keep position, deletes and re-inserts move to the end."""


def show(label: str, d: dict[str, int]) -> None:
    print(label, list(d), d)


def main() -> None:
    d: dict[str, int] = {}
    for name in ["delta", "alpha", "charlie", "bravo", "echo"]:
        d[name] = len(name)
    show("built", d)
    d["alpha"] = 100
    show("overwrite", d)
    del d["delta"]
    d["delta"] = 1
    show("reinsert", d)
    d.pop("charlie")
    d.setdefault("charlie", 7)
    d.setdefault("alpha", -1)
    show("setdefault", d)
    d.update({"zulu": 26, "bravo": 2, "able": 0})
    show("update", d)
    e = {"x": 1, "y": 2} | {"z": 3, "x": 9}
    show("union", e)
    f = {k: v for k, v in sorted(d.items(), key=lambda kv: kv[1])}
    show("sorted by value", f)
    print(f == d, list(f) == list(d))
    many: dict[int, int] = {}
    for i in range(200):
        many[(i * 37) % 200] = i
    for i in range(0, 200, 3):
        del many[i]
    for i in range(0, 200, 9):
        many[i] = -i
    keys = list(many)
    print(len(many), keys[:12], keys[-12:])
    print(sum(many.values()), list(many.values())[:8])
    churn: dict[str, int] = {}
    for round_no in range(50):
        churn[f"k{round_no}"] = round_no
        if round_no >= 3:
            del churn[f"k{round_no - 3}"]
    show("churn", churn)
    rev = dict(zip("edcba", range(5)))
    show("zip", rev)
    print(list(reversed(list(rev.items()))))
    fromkeys = {c: 0 for c in "mississippi"}
    show("dedup", fromkeys)


if __name__ == "__main__":
    main()
