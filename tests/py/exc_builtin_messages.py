"""Exact messages of exceptions raised by built-in operations (ZeroDivision, Index, Value, ...)."""

from collections.abc import Callable


def attempt(label: str, action: Callable[[], str]) -> None:
    try:
        print(label, "->", action())
    except ZeroDivisionError as e:
        print(label, "ZeroDivisionError:", e)
    except IndexError as e:
        print(label, "IndexError:", e)
    except KeyError as e:
        print(label, "KeyError:", e)
    except ValueError as e:
        print(label, "ValueError:", e)
    except StopIteration as e:
        print(label, "StopIteration:", repr(e))
    except Exception as e:
        print(label, "Exception:", repr(e))


def remove_from(xs: list[int], x: int) -> str:
    xs.remove(x)
    return "removed"


def main() -> None:
    xs = [1, 2, 3]
    t = (1, 2)
    s = "abc"
    zero = 0
    attempt("int /", lambda: str(1 / zero))
    attempt("int //", lambda: str(1 // zero))
    attempt("int %", lambda: str(1 % zero))
    attempt("divmod", lambda: str(divmod(1, zero)))
    attempt("float /", lambda: str(1.5 / zero))
    attempt("float //", lambda: str(1.5 // zero))
    attempt("float %", lambda: str(1.5 % zero))
    attempt("big //", lambda: str(10 ** 30 // zero))
    attempt("list[]", lambda: str(xs[3]))
    attempt("list[-]", lambda: str(xs[-4]))
    attempt("tuple[]", lambda: str(t[zero + 2]))
    attempt("str[]", lambda: s[10])
    attempt("pop", lambda: str(xs[:0].pop()))
    attempt("pop(i)", lambda: str(xs.copy().pop(5)))
    attempt("int()", lambda: str(int("4x")))
    attempt("int(,16)", lambda: str(int("fg", 16)))
    attempt("float()", lambda: str(float("1,5")))
    attempt("index", lambda: str(xs.index(9)))
    attempt("str.index", lambda: str(s.index("z")))
    attempt("remove", lambda: remove_from(xs, 7))
    attempt("next", lambda: str(next(iter(xs[:0]))))
    attempt("min()", lambda: str(min(xs[:0])))
    attempt("max()", lambda: str(max(s[:0])))
    attempt("chr", lambda: chr(0x110000))
    attempt("chr-", lambda: chr(-1))
    attempt("split", lambda: str(s.split("")))
    attempt("range", lambda: str(range(0, 10, zero)))
    attempt("zfill", lambda: s.zfill(5))
    attempt("nested", lambda: str([[1]][0][1]))
    attempt("dict", lambda: str({"a": 1}["b"]))
    attempt("pow", lambda: str(pow(2, 5, 7)))
    attempt("pow0", lambda: str(pow(2, 3, zero)))
    attempt("ok", lambda: str(sum(xs)))


if __name__ == "__main__":
    main()
