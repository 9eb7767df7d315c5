"""list methods: append extend insert pop remove index count reverse copy clear, and errors."""


def main() -> None:
    xs: list[int] = []
    for i in range(5):
        xs.append(i * i)
    print(xs, len(xs))
    xs.extend([100, 200])
    xs.extend(range(3))
    xs.extend((7, 8))
    print(xs)
    xs.insert(0, -1)
    xs.insert(3, 55)
    xs.insert(-1, 66)
    xs.insert(100, 999)
    xs.insert(-100, -999)
    print(xs)
    print(xs.pop(), xs.pop(0), xs.pop(-2), xs.pop(2), xs)
    xs.remove(100)
    xs.remove(0)
    print(xs, xs.index(55), xs.index(1), xs.count(1), xs.count(12345))
    print(xs.index(1, 4), 4 in xs, 5 in xs, 5 not in xs)
    ys = xs.copy()
    ys.append(1)
    xs.reverse()
    print(xs, ys, xs == ys, len(ys))
    alias = xs
    alias.append(31)
    print(xs[-1], alias is xs, ys is xs)
    ys.clear()
    print(ys, len(ys), bool(ys), bool(xs))
    for bad in (12345, -5):
        try:
            xs.remove(bad)
        except ValueError as e:
            print("ValueError:", e)
        try:
            print(xs.index(bad))
        except ValueError as e:
            print("ValueError:", e)
    empty: list[str] = []
    try:
        empty.pop()
    except IndexError as e:
        print("IndexError:", e)
    try:
        xs.pop(50)
    except IndexError as e:
        print("IndexError:", e)
    try:
        print(xs[50])
    except IndexError as e:
        print("IndexError:", e)
    try:
        xs[-50] = 1
    except IndexError as e:
        print("IndexError:", e)
    names = ["b", "a", "c"]
    names.extend(names)
    print(names, names.count("a"))
    stack: list[str] = []
    for token in "1 2 + 3 * 4 -".split():
        if token.isdigit():
            stack.append(token)
        else:
            right = stack.pop()
            left = stack.pop()
            stack.append(f"({left} {token} {right})")
    print(stack)
    queue = [1, 2, 3]
    while queue:
        head = queue.pop(0)
        if head < 6:
            queue.append(head * 2)
        print(head, queue)


if __name__ == "__main__":
    main()
