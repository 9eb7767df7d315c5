"""list operators: + * == < in, repr of nested lists, aliasing, list() of iterables."""


def main() -> None:
    a = [1, 2, 3]
    b = [4, 5]
    print(a + b, a * 2, 2 * b, a * 0, [0] * 5, a + [], [] + [])
    print(a == [1, 2, 3], a != b, a < b, [1, 2] < [1, 2, 0], [2] > [1, 99], [] < [0], a <= a, a >= [1, 3])
    print(2 in a, 9 in a, 9 not in a, [1] in [[1], [2]], "x" in ["x", "y"])
    strs = ["it's", 'q"uote', "new\nline", ""]
    deep = [[[1, 2], []], [[3]]]
    print(strs, [strs], deep, deep[0][0][1], len(deep[1][0]))
    print([1.5, -0.0, 1e20], [True, False], [None, None], [(1, "a"), (2, "b")])
    grid = [[0] * 3 for _ in range(3)]
    grid[1][1] = 5
    print(grid)
    shared = [[0] * 3] * 3
    shared[1][1] = 5
    print(shared)
    c = a
    c += [4]
    print(a, c, a is c)
    d = a
    d = d + [5]
    print(a, d, a is d)
    print(list("abc"), list(range(3)), list((1, 2)), list({"k": 1, "j": 2}), list(x * 2 for x in a))
    acc: list[list[int]] = []
    row: list[int] = []
    for i in range(1, 11):
        row.append(i)
        if i % 3 == 0:
            acc.append(row)
            row = []
    acc.append(row)
    print(acc, len(acc), sum(len(r) for r in acc))
    flat = [x for r in acc for x in r]
    print(flat, flat == list(range(1, 11)))
    matrix = [[1, 2, 3], [4, 5, 6]]
    transposed = [[matrix[r][c] for r in range(2)] for c in range(3)]
    print(transposed)
    total = 0
    for r in matrix:
        for v in r:
            total += v
    print(total, max(max(r) for r in matrix), [sum(r) for r in matrix])
    e: list[int] = []
    print(e, len(e), e == [], not e, e * 3)


if __name__ == "__main__":
    main()
