"""list slicing with negative indices and steps, slice assignment and deletion, del."""


def reads() -> None:
    xs = list(range(10))
    print(xs[2:5], xs[-3:], xs[:-7], xs[::3], xs[::-1], xs[-2:2:-3], xs[7:2], xs[100:], xs[-100:1])
    print(xs[1::2], xs[8:1:-2], xs[::-4], xs[-1:-4:-1], xs[:], xs[:] is xs, xs[:] == xs)
    grid = [[r * 3 + c for c in range(3)] for r in range(3)]
    print(grid[1], grid[-1][-1], [row[1] for row in grid], grid[::-1], grid[1][::-1])


def writes() -> None:
    xs = list(range(10))
    xs[2:5] = [20, 30]
    print(xs, len(xs))
    xs[:0] = [-1, -2]
    print(xs)
    xs[len(xs):] = [100]
    print(xs)
    xs[1:3] = []
    print(xs)
    xs[::2] = [0] * len(xs[::2])
    print(xs)
    xs[-3:] = range(3)
    print(xs)
    xs[3:3] = [7, 7, 7]
    print(xs)
    try:
        xs[::3] = [1, 2]
    except ValueError as e:
        print("ValueError:", e)
    ys = [1, 2, 3]
    ys[:] = ys + ys
    print(ys)
    ys[1:5] = ys[::-1][1:3]
    print(ys)


def deletes() -> None:
    xs = list(range(12))
    del xs[0]
    print(xs)
    del xs[-1]
    print(xs)
    del xs[2:4]
    print(xs)
    del xs[::3]
    print(xs)
    del xs[::-2]
    print(xs)
    del xs[:]
    print(xs, len(xs))
    zs = ["a", "b", "c"]
    try:
        del zs[5]
    except IndexError as e:
        print("IndexError:", e)
    del zs[1:100]
    print(zs)


if __name__ == "__main__":
    reads()
    writes()
    deletes()
