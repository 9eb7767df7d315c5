"""Float arithmetic: / // % ** with signs, int/float mixing, int(), float(), round()."""


def operators() -> None:
    for a in (7.5, -7.5, 0.25):
        for b in (2.0, -2.0, 0.1):
            print(a, b, a + b, a - b, a * b, a / b, a // b, a % b, divmod(a, b))
    print(2 ** 0.5, 2.0 ** 10, 10.0 ** -2, (-8.0) ** 3, 4 ** 0.5, 0.5 ** 2)
    print(7 / 2, 8 / 2, -7 / 2, 1 / 7, 10 / 4 * 4, 3 * 1.1)
    print(-5.0 % 3, 5.0 % -3, -0.0 % 1.0, 5 % 2.5, -7 // 2.0)


def conversions() -> None:
    print(int(2.5), int(-2.5), int(1e20), int(-1e-9), int(123456789.999))
    print(float(3), float("1e3"), float(" -2.5 "), float("inf"), float("-Infinity"), float("nan"))
    print(float("1_000.5"), float(".5"), float("5."), float("1E-3"), float(True))
    for text in ("abc", "1.2.3", "", "1e"):
        try:
            print(float(text))
        except ValueError as e:
            print("ValueError:", e)


def rounding() -> None:
    print(round(0.5), round(1.5), round(2.5), round(-0.5), round(-1.5), round(3.7), round(-3.7))
    print(round(2.675, 2), round(1.005, 2), round(123.456, 1), round(123.456, -1), round(1234.5, -2))
    print(round(0.125, 2), round(0.375, 2), round(-0.125, 2), round(5e-324, 3), round(1e300, 2))
    print(round(17), round(15, -1), round(25, -1), round(-35, -1), round(123456, -3))
    print(isinstance(round(2.5), int), isinstance(round(2.5, 0), float), round(2.5, 0))


def mixing() -> None:
    values: list[float] = [1.0, 2.5, 3.0, -4.25]
    print(values, sum(values), sum(values) / len(values))
    print(1 == 1.0, 2 ** 53 == float(2 ** 53), 2 ** 53 + 1 == float(2 ** 53 + 1))
    print(0.1 + 0.2 == 0.3, 0.1 + 0.2 > 0.3, 1 < 1.5 < 2, -0.0 == 0.0)
    print(abs(-2.5), abs(-0.0), max(1, 2.5), min(-1.5, 3), pow(2.0, 3), pow(2.0, -2))
    print(float("inf") > 10 ** 300, float("inf") - float("inf") != 0.0)
    nan = float("nan")
    # ([nan] == [nan] is left out: CPython's True comes from both lists holding one object;
    # Kaa boxes a float each time it enters a container, see docs/language.md)
    print(nan == nan, nan != nan, nan < 1.0, nan > 1.0)
    print(1e308 * 10, -1e308 * 10, 1e-320 / 1e10, 5e-324 / 2)
    acc = 1.0
    for i in range(1, 30):
        acc = acc * 1.5 - i
    print(acc)


if __name__ == "__main__":
    operators()
    conversions()
    rounding()
    mixing()
