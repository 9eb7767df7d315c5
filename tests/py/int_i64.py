"""mypy_extensions.i64: fixed 64-bit integers mixed with int (values that stay in range)."""

from mypy_extensions import i64


def checksum(xs: list[int]) -> i64:
    h: i64 = 17
    for x in xs:
        h = (h * 31 + x) % 1_000_000_007
    return h


def collatz(n: i64) -> i64:
    steps: i64 = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


big: int = 2 ** 40
small: i64 = 12
mixed = small + big
print(checksum(list(range(1000))), collatz(27), mixed, type(mixed).__name__)
print(small // 5, -small // 5, small % -5, small << 3, -small >> 1, small / 8, -small, ~small)
print([collatz(i64(k)) for k in range(1, 12)], str(small), f"{small:>6}|", small == 12, small > big)
values: list[i64] = [3, 1, 2]
values.sort()
print(values, sum(values), max(values) + 1, {small: "twelve"}[12])
for bad in (0, -1):
    try:
        print(small // bad if bad == 0 else small // (bad + 1))
    except (ZeroDivisionError, ValueError) as e:
        print(type(e).__name__, e)
