"""Non-ASCII text: lengths in code points, case mapping, UTF-8 round trips, non-ASCII output."""


def lengths() -> None:
    for s in ("naïve", "Ελληνικά", "русский", "中文字符", "🎉🎊", "e\u0301", "ﬁ"):
        data = s.encode("utf-8")
        print(s, len(s), len(data), data.decode("utf-8") == s)


def case_mapping() -> None:
    for s in ("ÉCOLE", "émile zola", "ÀÉÎÕÜ àéîõü", "Ελληνικά", "москва"):
        print(repr(s), repr(s.lower()), repr(s.upper()), repr(s.title()), repr(s.capitalize()))


def classify() -> None:
    for c in "aZ5 é日٣½\t€_":
        print(repr(c), ord(c), c.isalpha(), c.isdigit(), c.isalnum(), c.isspace())


def text_ops() -> None:
    s = "Grüße aus Köln, schöne Grüße!"
    print(s.find("Grüße"), s.rfind("Grüße"), s.count("ü"), s.replace("Grüße", "Hallo"))
    print(s.split(", "), s.upper(), s[6:9], s[::-1])
    print("→".join(["a", "b", "c"]), "·".center(7, "—"), "ä".zfill(3))
    print(sorted(["zebra", "äpfel", "apfel", "Öl", "ol", "ß"]))
    table: dict[str, int] = {}
    for ch in "mississippi façade":
        table[ch] = table.get(ch, 0) + 1
    print(table)
    print(bytes("Köln", "utf-8"), b"K\xc3\xb6ln".decode("utf-8"), "Köln".encode()[1:3])
    print(f"{'ü':>4}|{'日本':<5}|{'é':^5}|")


if __name__ == "__main__":
    lengths()
    case_mapping()
    classify()
    text_ops()
