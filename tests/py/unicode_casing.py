"""Unicode case mapping beyond one-to-one: special casing, title case, final sigma."""


def show(s: str) -> None:
    print(repr(s), len(s))
    for mapped in (s.lower(), s.upper(), s.title(), s.capitalize()):
        print("   ", repr(mapped), len(mapped))


def main() -> None:
    for s in ("Straße", "ΣΊΣΥΦΟΣ", "ὈΔΥΣΣΕΎΣ", "İstanbul", "ǅemal ǆ Ǆ", "ﬁne ﬂow", "ŉ", "ǰ"):
        show(s)
    print("ß".upper() == "SS", "SS".lower() == "ß", "ß".lower() == "ß")
    words = ["éclair", "Éclair", "ÉCLAIR", "eclair"]
    print(sorted(words), sorted(words, key=lambda w: w.lower()))
    print([w.upper() for w in words], [w.lower() == "éclair" for w in words])
    print("hello WORLD ǆungla".title(), "o'clock it's".title(), "ŉ-test".capitalize())
    mixed = "Ⅻ ⅻ ① Ⓐ ⓐ"
    print(mixed.upper(), mixed.lower(), [c.isalpha() for c in mixed.split()])
    for c in "ªº²³¹¼Ⅻⅻ①":
        print(repr(c), c.isdigit(), c.isalpha(), c.isalnum(), c.upper(), c.lower())
    names = ["ÅSA", "Ørjan", "Łukasz", "ÐÓRA", "Þór"]
    for name in names:
        print(name.lower(), name.upper(), name.title(), len(name.lower()))
    folded = {n.lower(): n for n in names}
    print(folded, sorted(folded))


if __name__ == "__main__":
    main()
