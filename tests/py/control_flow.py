"""Control flow: if/elif/else, while/else, for/else, break/continue, chained comparisons, ternaries."""


def classify(n: int) -> str:
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n % 2 == 0 and n > 100:
        return "big even"
    elif n % 2 == 0:
        return "even"
    else:
        return "odd"


def find_factor(n: int) -> str:
    for d in range(2, n):
        if d * d > n:
            break
        if n % d == 0:
            return f"{n} = {d} * {n // d}"
    else:
        return f"{n}: loop finished without break"
    return f"{n} is prime"


def collatz(n: int) -> int:
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    else:
        pass
    return steps


def search(grid: list[list[int]], target: int) -> tuple[int, int]:
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == target:
                return r, c
    return -1, -1


def main() -> None:
    print([classify(n) for n in (-5, 0, 7, 8, 200)])
    for n in (2, 3, 15, 49, 97):
        print(find_factor(n))
    print([collatz(n) for n in range(1, 15)], collatz(27))
    grid = [[1, 2, 3], [4, 5, 6]]
    print(search(grid, 5), search(grid, 9))
    i = 0
    while i < 10:
        i += 1
        if i % 3 == 0:
            continue
        if i > 7:
            break
        print(i, end=" ")
    else:
        print("no break")
    print("| i =", i)
    n = 0
    while n < 3:
        n += 1
    else:
        print("while-else ran, n =", n)
    nothing: list[int] = []
    for item in nothing:
        print("never", item)
    else:
        print("for-else on empty")
    a, b, c = 1, 5, 10
    print(a < b < c, a < b > c, a == 1 != b, 1 <= a <= 1, c > b >= a, not a > b)
    print(a if a > b else b, "x" if "" else "y", [] or [0], 0 or 9, 5 and 6, 0 and 6, "" and "z")
    x = 7
    label = "small" if x < 5 else "medium" if x < 10 else "large"
    print(label, not x, not 0, x != 7 or x == 7, (x > 5) + (x > 6) + (x > 7))
    total = 0
    for outer in range(4):
        for inner in range(4):
            if inner > outer:
                break
            if (outer + inner) % 2:
                continue
            total += outer * 10 + inner
    print(total)
    if x:
        pass
    print("done")


if __name__ == "__main__":
    main()
