"""An uncaught exception: output so far, then CPython's traceback on stderr and exit status 1."""


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def number(self) -> int:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isdigit():
            self.pos += 1
        if start == self.pos:
            raise ValueError(f"expected a digit at {self.pos}, got {self.text[self.pos]!r}")
        return int(self.text[start:self.pos])

    def expect(self, ch: str) -> None:
        if self.text[self.pos] != ch:
            raise ValueError(f"expected {ch!r} at {self.pos}")
        self.pos += 1


def parse_pair(text: str) -> tuple[int, int]:
    p = Parser(text)
    a = p.number()
    p.expect(",")
    b = p.number()
    return a, b


def main() -> None:
    for text in ("12,34", "7,8", "5,x"):
        a, b = parse_pair(text)
        print(text, "->", a + b)
    print("never printed")


if __name__ == "__main__":
    print("start")
    main()
    print("never printed either")
