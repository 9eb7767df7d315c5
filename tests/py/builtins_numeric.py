"""Numeric built-ins: abs round divmod pow hash int(text, base) float bool sum, on ints and floats."""


def main() -> None:
    print(abs(-5), abs(5), abs(-2.5), abs(-(2 ** 70)), abs(0), abs(-0.0))
    print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(-17, -5), divmod(2 ** 65, 10))
    print(divmod(7.5, 2), divmod(-7.5, 2), divmod(0.3, 0.1))
    print(pow(2, 10), pow(3, 0), pow(2, 100), pow(2.0, 0.5), pow(-8, 3), pow(2.0, -1))
    print(pow(3, 200, 1000003), pow(7, 12345, 97), pow(-2, 3, 5), pow(5, 3, 7), pow(2, 10 ** 20, 1000000007))
    print(round(3.14159, 2), round(2.5), round(3.5), round(-2.5), round(1234.5678, -2), round(7, 2))
    print(hash(0), hash(1), hash(-1), hash(-2), hash(2 ** 61 - 1), hash(2 ** 61), hash(2 ** 100))
    print(hash(1.0) == hash(1), hash(0.5), hash(-0.0), hash(1e100), hash(True), hash(False))
    print(int("101", 2), int("-z", 36), int("0o17", 8), int("  12  ", 10), int("1" * 30, 7))
    print(float("3"), float("-1.5e-3"), float("  +7  "), float(10 ** 20), float(False))
    print(bool(0), bool(1), bool(-1), bool(0.0), bool(0.1), bool(""), bool("0"), bool([]), bool([0]))
    print(bool({}), bool({1: 2}), bool(set()), bool(()), bool((0,)), bool(None), bool(range(0)))
    print(sum([1, 2, 3]), sum([0.1] * 10), sum([], 5), sum(range(101)), sum([-5, 5]))
    print(sum([2 ** 64, -(2 ** 64), 1]), sum((1.5, 2.5)), sum([1, 2], 10))
    print(int(True) + int(False), True + True, True * 10, -True, 7 - True, True / 2)
    print(min(3, 1, 2), max(3, 1, 2), min([4.5, -1.0]), max("abc", "abd"), min(2 ** 70, 2 ** 69))
    print(ord("A"), chr(97), ord("€"), chr(0x1F600), [ord(c) for c in "\n\t "])
    total = 0
    for k in range(1, 50):
        q, r = divmod(k * k * k, 7)
        total += q * r
    print(total)
    print(str(12), str(-0.5), str(2 ** 80), repr(1.0), repr(-7), str(True), str(None))


if __name__ == "__main__":
    main()
