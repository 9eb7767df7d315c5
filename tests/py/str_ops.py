"""str operators: + * in, comparisons, len, iteration, ord/chr, str as dict keys and set members."""


def operators() -> None:
    a, b = "kaa", "Service"
    print(a + b, a * 3, 3 * "ab", "x" * 0, "x" * -2, repr("" * 5))
    print("aa" in a, "z" in a, "" in a, "Serv" in b, "serv" not in b)
    print(a == "kaa", a != "kaa", a < b, b < a, "apple" < "apples", "Zebra" < "apple")
    print("abc" <= "abc", "abd" > "abc", "é" > "z", "日" > "é", "" < "a")
    print(max("hello"), min("hello"), sorted("kaa service"), len("🎉🎉"))
    words = ["banana", "Apple", "cherry", "apple", "Banana", "éclair", "zeta"]
    print(sorted(words))
    print(sorted(words, key=lambda w: w.lower()))
    print(sorted(words, key=len, reverse=True))


def codes() -> None:
    print([ord(c) for c in "Kaa é€😀"])
    print("".join(chr(c) for c in [72, 105, 33, 32, 233, 8364, 128512]))
    shifted = "".join(chr(ord(c) + 1) if c.isalpha() else c for c in "HAL 9000")
    print(shifted)
    caesar = ""
    for c in "attack at dawn":
        if "a" <= c <= "z":
            caesar += chr((ord(c) - ord("a") + 13) % 26 + ord("a"))
        else:
            caesar += c
    print(caesar)


def as_keys() -> None:
    counts: dict[str, int] = {}
    for word in "a rose is a rose is a rose".split():
        counts[word] = counts.get(word, 0) + 1
    print(counts)
    key = "ro" + "se"
    print(counts[key], key in counts, "ros" in counts)
    seen: set[str] = set()
    unique: list[str] = []
    for w in ["x", "y", "x", "z", "y", "é", "é"]:
        if w not in seen:
            seen.add(w)
            unique.append(w)
    print(unique, len(seen), "é" in seen)
    by_tuple: dict[tuple[str, str], int] = {("a", "b"): 1, ("b", "a"): 2}
    print(by_tuple[("a", "b")], by_tuple[("b", "a")])


def building() -> None:
    parts: list[str] = []
    for i in range(5):
        parts.append(str(i) * i)
    print(parts, "|".join(parts))
    s = ""
    for i in range(10):
        s += str(i)
    print(s, len(s), s[::-1], str(12) + str(3.5) + str(True) + str(None))
    text = "line one\nline two\nline three"
    for n, line in enumerate(text.split("\n"), 1):
        print(f"{n:>3}: {line}")


if __name__ == "__main__":
    operators()
    codes()
    as_keys()
    building()
