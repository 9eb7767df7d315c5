"""Hash-dependent behaviour (deterministic under PYTHONHASHSEED=0): str/tuple hashes, set iteration order."""


def main() -> None:
    for s in ("", "a", "kaa", "hello world", "é", "日本"):
        print(repr(s), hash(s))
    for t in ((), (1,), (1, 2), ("a", 1), (1.5, "x", (2, 3))):
        print(t, hash(t))
    print(hash(b"kaa") == hash("kaa"), hash(b""), hash(b"abc"))
    small = {5, 3, 17, 1, 33, 9}
    print(small, list(small))
    negatives = {-1, -2, 0, 2 ** 61 - 1, 2 ** 61, 7}
    print(negatives)
    words = {"kaa", "service", "level", "python", "set", "order"}
    print(words)
    print(list(words), "".join(sorted(words)))
    grown: set[int] = set()
    for i in range(0, 100, 7):
        grown.add(i * 31 % 64)
    print(grown)
    mixed = {1.5, 2.0, 0.25, -3.0}
    print(mixed)
    pairs = {(1, "a"), (2, "b"), (0, "c")}
    print(pairs)
    letters = set("mississippi")
    print(letters, len(letters))


if __name__ == "__main__":
    main()
