"""OverflowError and friends: int too large for float, float overflow in **, inf/nan to int."""


def try_float(n: int) -> None:
    try:
        print(float(n))
    except OverflowError as e:
        print("OverflowError:", e)


def main() -> None:
    try_float(2 ** 1023)
    try_float(2 ** 1024)
    try_float(-(10 ** 400))
    try:
        print(2 ** 5000 / 3)
    except OverflowError as e:
        print("OverflowError:", e)
    try:
        print(2.0 ** 5000)
    except OverflowError as e:
        print("OverflowError:", e, repr(e))
    try:
        print(10.0 ** 308 * 10.0)
    except OverflowError as e:
        print("not raised:", e)
    inf = float("inf")
    nan = float("nan")
    for v in (inf, -inf):
        try:
            print(int(v))
        except OverflowError as e:
            print("OverflowError:", e)
        try:
            print(round(v))
        except OverflowError as e:
            print("OverflowError:", e)
    try:
        print(int(nan))
    except ValueError as e:
        print("ValueError:", e)
    try:
        print(round(nan))
    except ValueError as e:
        print("ValueError:", e)
    print(round(inf, 2), round(nan, 1), int(1e300) == 10 ** 300, int(1e300) % 10 ** 9)
    print(10 ** 400 // 10 ** 399, 1e308 + 1e308, -1e308 - 1e308, 1e-320 * 1e-10)
    try:
        print(1.0 / 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        print(1.0 % 0.0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        print(divmod(1.0, 0.0))
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        print(0.0 ** -1)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)


if __name__ == "__main__":
    main()
