"""map and filter (lazy, with lambdas typed from the items), functools.partial."""

import functools
from functools import partial


def power(base: int, exp: int) -> int:
    out = 1
    for _ in range(exp):
        out *= base
    return out


def greet(greeting: str, name: str, punct: str) -> str:
    return f"{greeting}, {name}{punct}"


words = ["kaa", "", "unikernel", "py", ""]
print(list(map(len, words)), list(map(lambda w: w.upper(), words)))
print(list(filter(None, words)), list(filter(lambda w: len(w) > 2, words)))
lazy = map(lambda x: x * 10, filter(lambda x: x % 2 == 1, range(10)))
print(next(lazy), list(lazy))
square_of_2 = partial(power, 2)
hello = functools.partial(greet, "Hello")
print([square_of_2(e) for e in range(5)], hello("Ann", "!"), partial(greet, "Hi", "Bo")("?"))
print(list(map(partial(power, 3), [1, 2, 3])), sum(map(float, ["1.5", "2"])))
