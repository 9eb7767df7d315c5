"""f-strings: conversions, self-documenting {x=}, nested specs, escapes, expressions inside."""


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y

    def __str__(self) -> str:
        return f"({self.x}, {self.y})"

    def __repr__(self) -> str:
        return f"Point(x={self.x!r}, y={self.y!r})"


def main() -> None:
    name, count, ratio = "kaa", 42, 2 / 3
    print(f"{name} {count} {ratio}")
    quoted = 'say "hi"'
    print(f"{name!r} {name!s} {count!r} {ratio!r} {quoted!r} {quoted} {'it' + chr(39) + 's'!r}")
    print(f"{name=} {count=} {ratio=:.3f} {count * 2=} {name.upper()=}")
    print(f"{count = }, {name=!s}, {ratio = :.1%}")
    p = Point(3, -4)
    print(f"{p} {p!r} {p!s} {p=} {[p]} {p.x + p.y}")
    print(f"{{literal braces}} {{{count}}} {'{'}{'}'}")
    width, prec = 10, 3
    print(f"[{ratio:{width}.{prec}f}] [{name:>{width}}] [{name:{'^'}{width}}] [{count:{'0'}{width}d}]")
    print(f"[{name:*<{width - 2}}] [{count:+{width},}] [{ratio:.{prec + 2}e}]")
    items = [1, 2, 3]
    table = {"a": 1, "b": 2}
    print(f"{items} {items[0]} {items[-1]} {len(items)} {table['a']} {table} {sum(items) / len(items)}")
    print(f"{'yes' if count > 40 else 'no'} {[i * i for i in items]} {(lambda v: v + 1)(count)}")
    print(f"{name[::-1]} {name[1:]} {name * 2} {name.center(9, '.')} {name.title():>6}")
    print(f"tab\tnewline\\n {count:#x} {count:#o} {count:#b} {count:c}")
    print(f"{3.0} {-0.0} {1e100} {None} {True} {False!r} {(1, 'a')} {{'k': 1}}")
    multi = (
        f"{name}"
        f"-{count}"
        "-plain"
        f"-{ratio:.2f}"
    )
    print(multi)
    rows = [("alice", 93.5), ("bob", 7.25), ("carol", 100.0)]
    for who, score in rows:
        print(f"|{who:<8}|{score:>8.2f}|{score / 100:>7.1%}|{who!r:^10}|")
    value = 255
    for spec in ("d", "x", "X", "o", "b", "08b", ">6", "<6", "^6", "+d", ","):
        print(f"{spec:>4}: [{value:{spec}}]")


if __name__ == "__main__":
    main()
