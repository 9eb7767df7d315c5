"""Small-int arithmetic: floor division and modulo signs, int() parsing, int formatting."""


def division_table() -> None:
    for a in (7, -7, 0, 13, -13):
        for b in (2, -2, 5, -5):
            print(a, b, a // b, a % b, divmod(a, b), a / b)


def parse() -> None:
    print(int("42"), int("  -17  "), int("+8"), int("1_000_000"))
    print(int("ff", 16), int("FF", 16), int("-0x1f", 16), int("0x1f", 0))
    print(int("777", 8), int("0o777", 0), int("101101", 2), int("0b11", 0))
    print(int("z", 36), int("Kaa", 36), int("10", 3))
    print(int(3.99), int(-3.99), int(True), int("0"))
    for text in ("12a", "", " ", "1.5", "0x10"):
        try:
            print(int(text))
        except ValueError as e:
            print("ValueError:", e)
    try:
        print(int("9", 8))
    except ValueError as e:
        print("ValueError:", e)


def formatting() -> None:
    n = 1234567
    print(f"[{n}] [{n:10}] [{n:<10}] [{n:^11}] [{n:010}] [{n:,}] [{n:_}]")
    print(f"[{-n:,}] [{n:+}] [{-42:05}] [{42: }] [{255:x}] [{255:X}] [{255:#x}]")
    print(f"[{5:b}] [{5:08b}] [{8:o}] [{65:c}] [{n:*>12,}]")
    print(str(-0), str(10 ** 3), repr(-5))


def augmented() -> None:
    x = 10
    x += 5
    x -= 3
    x *= 4
    x //= 5
    x %= 7
    x **= 3
    x <<= 2
    x >>= 1
    x |= 1
    x &= 0xFE
    x ^= 3
    print(x)
    print(2 ** 10, 10 ** 0, 0 ** 0, (-2) ** 3, -2 ** 2)
    print(7 // 1, -7 // 1, 1 // 7, -1 // 7)
    print(abs(-0), -(-5), +5, 3 == 3.0, 1 < 2 < 3 > 2, 1 < 2 > 3)


if __name__ == "__main__":
    division_table()
    parse()
    formatting()
    augmented()
