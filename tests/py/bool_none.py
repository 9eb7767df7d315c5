"""bool and None: truthiness of every type, bool arithmetic, and/or results, None comparisons."""

from typing import Optional


def truthy(label: str, value: bool) -> None:
    print(f"{label:>12}: {value}")


def main() -> None:
    truthy("0", bool(0))
    truthy("-1", bool(-1))
    truthy("2**100", bool(2 ** 100))
    truthy("0.0", bool(0.0))
    truthy("-0.0", bool(-0.0))
    truthy("nan", bool(float("nan")))
    truthy("''", bool(""))
    truthy("' '", bool(" "))
    truthy("[]", bool([]))
    truthy("[[]]", bool([[]]))
    truthy("{}", bool({}))
    truthy("set()", bool(set()))
    truthy("()", bool(()))
    truthy("None", bool(None))
    truthy("b''", bool(b""))
    print(True, False, repr(True), str(False), f"{True}", f"{False!r}", [True, None])
    print(True + True, True * 3, False - 1, True / 4, True // 1, -True, abs(False), True ** 10)
    print(True == 1, False == 0, True is True, True != False, True > False, sorted([True, False, True]))
    print(int(True), float(True), str(True), True & False, True | False, True ^ True, not True)
    print(1 and 2, 0 and 2, "" or "fallback", "set" or "fallback", [] or [1], 0.0 or 0.5, 3 or 4)
    print(isinstance(True, bool), isinstance(1, bool), isinstance(True, int))
    flags = [x > 2 for x in range(5)]
    print(flags, sum(flags), flags.count(True), any(flags), all(flags))
    counts: dict[bool, int] = {}
    for v in (1, 0, 3, 0, 0):
        counts[v > 0] = counts.get(v > 0, 0) + 1
    print(counts, counts[True], counts[False])
    nothing: Optional[str] = None
    print(nothing, repr(nothing), str(nothing), f"{nothing}", [nothing, None], (None,), {None: None})
    print(nothing is None, nothing is not None, nothing == None, None == None, None != 0)
    results: list[Optional[int]] = [None, 0, 1, None]
    print(results, [r for r in results if r is not None], [r is None for r in results], results.count(None))
    text = None if len(results) > 10 else "short"
    print(text, text or "empty", text is None)


if __name__ == "__main__":
    main()
