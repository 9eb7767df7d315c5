"""A small service: the C shows int tagging, borrowed parameters, error edges, moves."""


def longest(words: list[str]) -> str:
    best = ""
    for w in words:
        if len(w) > len(best):
            best = w
    return best


def total(xs: list[float]) -> float:
    s = 0.0
    for i in range(len(xs)):
        s += xs[i] / (i + 1)
    return s


print(longest("a bb ccc".split()), f"{total([1.0, 2.0]):.2f}")
