"""try/except with one type, a tuple, `as e`; else; raise; str() and repr() of built-in exceptions."""


def safe_div(a: int, b: int) -> str:
    try:
        q = a // b
    except ZeroDivisionError as e:
        return f"error: {e}"
    else:
        return f"ok: {q}"


def lookup(table: dict[str, int], items: list[int], key: str, i: int) -> int:
    try:
        return table[key] + items[i]
    except (KeyError, IndexError) as e:
        print("  lookup failed:", repr(e))
        return -1


def checked(n: int) -> int:
    if n < 0:
        raise ValueError("negative: " + str(n))
    if n > 100:
        raise ValueError(f"{n} is too big")
    return n * 2


def main() -> None:
    print(safe_div(7, 2), safe_div(1, 0))
    table = {"a": 1}
    print(lookup(table, [10, 20], "a", 1))
    print(lookup(table, [10, 20], "b", 1))
    print(lookup(table, [10, 20], "a", 5))
    for n in (5, -3, 500):
        try:
            print("checked", checked(n))
        except ValueError as e:
            print("ValueError", str(e), repr(e))
    errors: list[Exception] = [
        ValueError("bad value"), TypeError("wrong type"), KeyError("k"), IndexError("idx"),
        ZeroDivisionError("zero"), OverflowError("big"), AttributeError("attr"), RuntimeError("rt"),
        NotImplementedError("todo"), AssertionError("assert"), StopIteration(), Exception("plain"),
        ValueError(), KeyError(42), RuntimeError("quote'd \"both\""), ValueError(""), Exception("multi\nline"), KeyError(""),
    ]
    for err in errors:
        print(repr(str(err)), repr(err))
    try:
        raise RuntimeError("direct")
    except RuntimeError as e:
        print("caught", e)
    try:
        try:
            raise TypeError("inner")
        except ValueError:
            print("not reached")
    except TypeError as e:
        print("outer caught", e)
    count = 0
    for value in ["1", "x", "3", "", "5"]:
        try:
            count += int(value)
        except ValueError:
            print("skip", repr(value))
            continue
        else:
            print("added", value)
    print("count", count)
    try:
        assert count > 100, f"count is only {count}"
    except AssertionError as e:
        print("AssertionError:", e)
    try:
        assert count < 0
    except AssertionError as e:
        print("bare assert:", repr(e), repr(str(e)))


if __name__ == "__main__":
    main()
