"""int ** int: a non-negative exponent gives an exact int, a negative one a float; pow() with a modulus."""


def show_exact() -> None:
    for base in (0, 1, -1, 2, -2, 3, 10, -7):
        print(base, [base ** e for e in range(6)])
    print(2 ** 64, (-3) ** 41, 7 ** 0, 0 ** 0, 12345 ** 6, -(2 ** 3) ** 2, (-2) ** 3 ** 2)
    n = 5
    print(n ** n ** 2 % 10 ** 9, (n + 1) ** 30, 10 ** 50 // 3 ** 40)


def show_negative_exponent() -> None:
    print(2 ** -1, 2 ** -2, 10 ** -3, (-2) ** -3, 1 ** -50, 3 ** -1, 2 ** -1074, 2 ** -1075)
    for e in range(-4, 0):
        # a variable negative exponent: Kaa types int ** int as int, so convert (docs/language.md)
        print(e, float(4) ** e, float(-4) ** e, float(10) ** e)
    print(pow(2, -1), pow(-5, -2), pow(10, -20))
    try:
        print(0 ** -1)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    print("underflows to", 2 ** -100000, -(3 ** -1000), 2 ** -1074 / 2)


def show_modular() -> None:
    print(pow(3, 200, 1000003), pow(2, 10 ** 18, 10 ** 9 + 7), pow(-3, 5, 7), pow(3, 5, -7), pow(0, 0, 5))
    print(pow(5, -1, 7), pow(3, -2, 11), pow(7, -1, 1), pow(10 ** 30, 3, 10 ** 9), pow(123, 456, 1))
    for m in (2, 4):
        try:
            print(pow(2, -1, m))
        except ValueError as e:
            print("ValueError:", e)
    p = 2 ** 61 - 1
    a = 123456789
    inverse = pow(a, p - 2, p)
    print(inverse, a * inverse % p, pow(a, -1, p) == inverse)


if __name__ == "__main__":
    show_exact()
    show_negative_exponent()
    show_modular()
