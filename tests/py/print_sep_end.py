"""print(): several arguments, sep=, end=, no arguments, str() of each argument, partial lines."""


class Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"<{self.name}>"


def main() -> None:
    print()
    print("a", "b", "c")
    print("a", "b", "c", sep="")
    print("a", "b", "c", sep=", ")
    print("a", "b", sep="\n")
    print(1, 2.5, True, None, "s", [1, 2], (2,), {"k": 0.5}, Named("n"), sep=" | ")
    print("no newline", end="")
    print(" continued", end="!\n")
    print("tab", end="\t")
    print("after tab")
    for i in range(5):
        print(i, end=" " if i < 4 else "\n")
    print("x", "y", sep="", end="")
    print()
    print(sep="-", end="")
    print("", end="")
    print("", "", sep="|")
    print("multi\nline\nstring")
    print("trailing spaces   ")
    print("é", "日本", "😀", sep="·")
    row = ["1", "22", "333"]
    print(" ".join(row), row, sep="\t")
    print("a" * 3, "b" * 0, "c", sep="[]")
    print("percent % and braces {} kept")
    for n in range(1, 4):
        print("*" * n, n, sep=":", end=";")
    print(end="\n")
    print("last line without newline", end="")


if __name__ == "__main__":
    main()
