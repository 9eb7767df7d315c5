"""repr() and str() of floats: shortest round-tripping digits, exponent switch-over, specials."""


def show(values: list[float]) -> None:
    for v in values:
        print(repr(v), str(v), v)


def main() -> None:
    show([0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1 / 3, 2 / 3, 10 / 3])
    show([1e15, 1e16, 1e17, 1e22, 1e23, 123456789012345678.0, 9007199254740993.0])
    show([1e-4, 1e-5, 0.0001234, 0.00001234, 1.5e-7, 5e-324, 2.2250738585072014e-308])
    show([1.7976931348623157e308, 1e308 * 10, -1e308 * 10, 123.456, 100.0, 1234567.0])
    show([3.141592653589793, 2.718281828459045, 1.1, 2.675, 0.30000000000000004])
    print(float("inf"), float("-inf"), float("nan"), -float("nan"))
    print([1.0, 2.5, -0.0], (0.1, 1e100), {1.5: 2.25})
    print(float(2 ** 53), float(2 ** 53 + 1), float(2 ** 100), float(-(2 ** 63)))
    print(float(10 ** 22), float(10 ** 23), float(12345678901234567890))
    x = 0.0
    for _ in range(10):
        x += 0.1
    print(x, x == 1.0, round(x, 10) == 1.0)
    total = 1.0
    for k in range(1, 25):
        total = total * 10 + k / 7
        print(k, total)
    halves = [i / 8 for i in range(-4, 5)]
    print(halves)
    print(repr(1e16 - 1), repr(1e16 + 2), repr(0.1 * 3), repr(1e-7 * 3))


if __name__ == "__main__":
    main()
