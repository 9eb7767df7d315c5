"""List, dict and set comprehensions: filters, nesting, conditional expressions, scoping."""


def main() -> None:
    squares = [x * x for x in range(10)]
    evens = [x for x in squares if x % 2 == 0]
    labels = ["even" if x % 2 == 0 else "odd" for x in range(5)]
    print(squares, evens, labels)
    grid = [[r * c for c in range(1, 4)] for r in range(1, 4)]
    flat = [v for row in grid for v in row]
    diag = [grid[i][i] for i in range(len(grid))]
    print(grid, flat, diag)
    pairs = [(a, b) for a in range(1, 5) for b in range(a, 5) if (a + b) % 3 == 0]
    print(pairs)
    words = "the quick brown fox jumps over the lazy dog".split()
    lengths = {w: len(w) for w in words}
    by_len: dict[int, list[str]] = {n: [w for w in words if len(w) == n] for n in sorted(set(lengths.values()))}
    print(lengths)
    print(by_len)
    initials = {w[0] for w in words}
    print(sorted(initials), len(initials))
    inverted = {v: k for k, v in {"a": 1, "b": 2, "c": 1}.items()}
    print(inverted)
    counts = {c: "mississippi".count(c) for c in "mississippi"}
    print(counts)
    x = 10
    doubled = [x * 2 for x in range(3)]
    print(doubled, x)
    pythagorean = [(a, b, c) for c in range(1, 30) for b in range(1, c) for a in range(1, b)
                   if a * a + b * b == c * c]
    print(pythagorean)
    transposed = [[row[i] for row in grid] for i in range(3)]
    print(transposed)
    text = "Hello, World! 123"
    print([c for c in text if c.isalpha()], "".join([c.lower() if c.isupper() else c.upper() for c in text]))
    nested = {k: {i: i * k for i in range(3)} for k in (1, 10)}
    print(nested, nested[10][2])
    matrix_sum = sum([v for row in grid for v in row if v > 2])
    print(matrix_sum, [[0] * n for n in range(4)], {n % 3 for n in range(100)})
    fizz = ["FizzBuzz" if i % 15 == 0 else "Fizz" if i % 3 == 0 else "Buzz" if i % 5 == 0 else str(i)
            for i in range(1, 16)]
    print(fizz)


if __name__ == "__main__":
    main()
