"""Arbitrary-precision int: the small/big boundary, powers, factorials, floor semantics."""


def factorial(n: int) -> int:
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


def fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def show_boundary() -> None:
    for e in (30, 31, 32, 61, 62, 63, 64, 65):
        p = 2 ** e
        print(e, p - 1, p, p + 1, -p, -p - 1)
    big = 2 ** 63 - 1
    print(big + 1, big * 2, big * big)
    print(-(2 ** 63) - 1, (-(2 ** 63)) // -1)
    print(2 ** 64 - 2 ** 64 == 0, isinstance(2 ** 64 - 2 ** 64, int))


def show_powers() -> None:
    print(2 ** 100)
    print(3 ** 80)
    print(-(7 ** 41))
    print((-7) ** 41)
    print(10 ** 30 + 1)
    print(2 ** 100 // 3 ** 20, 2 ** 100 % 3 ** 20)
    print(divmod(-(2 ** 100), 12345678901))
    print(divmod(2 ** 100, -12345678901))
    print((-(2 ** 100)) // 7, (-(2 ** 100)) % 7)
    print(2 ** 200 // 2 ** 100 == 2 ** 100)


def show_factorials() -> None:
    for n in (0, 1, 5, 20, 21, 25, 30, 50):
        print(f"{n}! = {factorial(n)}")
    print(len(str(factorial(100))))
    print(factorial(40) // factorial(38))
    print(fib(90), fib(100), fib(300))


def show_bits() -> None:
    x = 2 ** 70 + 12345
    print(x >> 3, x << 5, x & 0xFFFF, x | 1, x ^ (2 ** 70))
    print(~x, -x >> 4, (-x) & 0xFF)
    print(1 << 100, (1 << 100) >> 99)


def show_compare() -> None:
    values = [2 ** 64, -(2 ** 64), 5, 2 ** 63, -3, 0, 2 ** 100]
    values.sort()
    print(values)
    print(2 ** 64 > 2 ** 63, -(2 ** 64) < -(2 ** 63), 2 ** 64 == 18446744073709551616)
    print(int("123456789012345678901234567890") + 1)
    print(int("-99999999999999999999") * -1)
    counts: dict[int, str] = {2 ** 65: "big", 3: "small"}
    print(counts[2 ** 65], counts[3], 2 ** 65 in counts, 2 ** 66 in counts)
    print(abs(-(10 ** 25)), max(10 ** 20, 10 ** 19), sum([2 ** 62, 2 ** 62, 2 ** 62]))


if __name__ == "__main__":
    show_boundary()
    show_powers()
    show_factorials()
    show_bits()
    show_compare()
