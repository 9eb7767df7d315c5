"""str methods: split/rsplit/join/strip/case/startswith/endswith/find/rfind/index/count/replace."""


def splitting() -> None:
    text = "  alpha beta\tgamma\n delta  "
    print(text.split())
    print(text.split(" "))
    print("a,b,,c,".split(","), "a,b,,c,".split(",", 2), "".split(","), "".split())
    print("a b c d".split(None, 1), "a b c d".rsplit(None, 1), "a b c d".rsplit(" ", 2))
    print("1::2::3".split("::"), "1::2::3".rsplit("::", 1), "abc".split("abc"))
    print("x".join(["1", "2", "3"]), ", ".join([]), "-".join("kaa"), "".join(["a", "b"]))
    words = ["the", "quick", "brown", "fox"]
    print(" ".join(w.upper() for w in words))


def stripping() -> None:
    s = "\t  padded text \n"
    print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
    print("xxhixx".strip("x"), "--==hi==--".strip("-="), "abcba".lstrip("ab"), "abcba".rstrip("ab"))
    print(repr("   ".strip()), repr("".strip("x")), "www.example.com".strip("cmow."))


def casing() -> None:
    for s in ("hello world", "HELLO World", "hello-world_42 x", "o'neil mcdonald", "123abc", ""):
        print(repr(s.lower()), repr(s.upper()), repr(s.capitalize()), repr(s.title()))


def searching() -> None:
    s = "the cat sat on the mat with the hat"
    print(s.startswith("the"), s.startswith("cat"), s.startswith("cat", 4), s.startswith(("a", "t")))
    print(s.endswith("hat"), s.endswith("mat", 0, 18), s.endswith(("x", "at")))
    print(s.find("the"), s.find("the", 1), s.find("dog"), s.find("at", 10, 20), s.find(""))
    print(s.rfind("the"), s.rfind("the", 0, 20), s.rfind("dog"), s.rfind(""))
    print(s.index("sat"), s.count("the"), s.count("at"), s.count("at", 10), s.count(""))
    try:
        print(s.index("dog"))
    except ValueError as e:
        print("ValueError:", e)
    try:
        print(s.index("cat", 5))
    except ValueError as e:
        print("ValueError:", e)


def replacing() -> None:
    s = "one fish two fish red fish"
    print(s.replace("fish", "cat"), "|", s.replace("fish", "cat", 2), "|", s.replace("x", "y"))
    print("aaaa".replace("aa", "b"), "abc".replace("", "-"), "banana".replace("an", ""))
    print("a.b.c".replace(".", ""), "tab\there".replace("\t", "    "))


if __name__ == "__main__":
    splitting()
    stripping()
    casing()
    searching()
    replacing()
