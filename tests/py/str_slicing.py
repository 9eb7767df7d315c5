"""str indexing and slicing by code point: negative indices, steps, out-of-range bounds."""


def show(s: str) -> None:
    print(repr(s), len(s))
    print(s[0], s[-1], s[len(s) // 2], repr(s[1:4]), repr(s[-3:]), repr(s[:-3]))
    print(repr(s[::2]), repr(s[1::2]), repr(s[::-1]), repr(s[-2::-2]), repr(s[5:1:-1]))
    print(repr(s[100:]), repr(s[:100]), repr(s[-100:2]), repr(s[3:3]), repr(s[4:2]))


def index_errors(s: str) -> None:
    for i in (len(s), -len(s) - 1, 1000):
        try:
            print(s[i])
        except IndexError as e:
            print("IndexError:", e)


def walk(s: str) -> None:
    out: list[str] = []
    for i in range(len(s)):
        out.append(s[i] + str(i))
    print("".join(out))
    for step in (1, 2, 3, -1, -2, -3):
        print(step, repr(s[::step]))
    for start in range(-len(s), len(s), 3):
        print(start, repr(s[start:start + 2]), repr(s[start:]))


def palindromes(words: list[str]) -> None:
    for w in words:
        clean = "".join(c for c in w.lower() if c.isalnum())
        print(repr(w), clean == clean[::-1])


if __name__ == "__main__":
    show("abcdefghij")
    show("héllo wörld")
    show("日本語のテキスト")
    show("a😀b😃c🎉d")
    index_errors("abc")
    index_errors("")
    walk("Kaa→ünïcode")
    palindromes(["Racecar", "A man, a plan, a canal: Panama", "kaa", "été"])
    s = "0123456789"
    print(s[2:8:2], s[8:2:-2], s[-1:-11:-1], s[::-4], s[1:-1][::-1][1:])
