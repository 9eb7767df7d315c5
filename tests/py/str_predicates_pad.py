"""str splitlines/partition, is* predicates, zfill/ljust/rjust/center, encode."""


def lines() -> None:
    text = "first\nsecond\r\nthird\rfourth\n\nlast"
    print(text.splitlines())
    print(text.splitlines(True))
    print("".splitlines(), "one".splitlines(), "trailing\n".splitlines(), "\n\n".splitlines())
    for line in "a=1\nb=2\nc\n".splitlines():
        key, sep, value = line.partition("=")
        print(repr(key), repr(sep), repr(value))
    print("a.b.c".partition("."), "abc".partition("."), "abc".partition("abc"), ".".partition("."))


def predicates() -> None:
    samples = ["123", "12.5", "abc", "abc123", "ABC", " \t\n", "", "a b", "½", "é", "٣"]
    for s in samples:
        print(repr(s), s.isdigit(), s.isalpha(), s.isalnum(), s.isspace())


def padding() -> None:
    for s in ("7", "-7", "+42", "abc", "", "longer than width"):
        print(f"[{s.zfill(5)}] [{s.ljust(8)}] [{s.rjust(8)}] [{s.center(9)}] [{s.center(10, '*')}]")
    print("[" + "x".ljust(4, ".") + "]", "[" + "x".rjust(4, "0") + "]", "[" + "ab".center(5, "-") + "]")
    rows = [("apple", 3), ("kiwi", 12), ("watermelon", 100)]
    for name, qty in rows:
        print(name.ljust(12, ".") + str(qty).rjust(5))


def encoding() -> None:
    for s in ("kaa", "café", "日本", "€5", ""):
        data = s.encode()
        print(repr(s), len(s), len(data), data, data.decode() == s)
    print("snake".encode("utf-8"), "ASCII".encode("ascii"))


if __name__ == "__main__":
    lines()
    predicates()
    padding()
    encoding()
