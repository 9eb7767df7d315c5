"""random.Random objects: independent generators with CPython's draws, and its errors."""

import random
from typing import Callable


def draws(r: random.Random) -> list[int]:
    return [r.randrange(1000) for _ in range(8)]


a = random.Random(7)
b = random.Random(7)
c = random.Random("seven")
print(draws(a) == draws(b), draws(a), draws(c))
print(a.random(), b.random(), c.random())
a.seed(7)
print(draws(a))
a.seed(b"seven")
print(a.getrandbits(33), a.getrandbits(0), a.randbytes(3))

r = random.Random(12345)
xs = list(range(10))
r.shuffle(xs)
print(xs, r.choice(xs), r.sample(xs, 3), r.randint(-3, 3), r.uniform(2.0, 3.0))
print(r.choices(["x", "y", "z"], k=4), r.gauss(0.0, 1.0), r.gauss(0.0, 1.0))
r.seed(99)
print(r.gauss(), r.normalvariate(), r.expovariate(2.0), r.triangular(1.0, 2.0))

# The module's generator is another one: reseeding it leaves r alone.
random.seed(99)
print(random.random() == random.Random(99).random())


def attempt(label: str, f: Callable[[], object]) -> None:
    try:
        f()
        print(label, "ok")
    except (ValueError, IndexError, TypeError) as e:
        print(label, type(e).__name__, e)


attempt("randrange(0)", lambda: r.randrange(0))
attempt("randrange(1, 1)", lambda: r.randrange(1, 1))
attempt("randrange(5, 1)", lambda: random.randrange(5, 1))
attempt("randrange(0, 10, 0)", lambda: r.randrange(0, 10, 0))
attempt("randrange(0, 10, -1)", lambda: r.randrange(0, 10, -1))
attempt("randint(3, 1)", lambda: random.randint(3, 1))
attempt("choice([])", lambda: r.choice([]))
attempt("choice('')", lambda: random.choice(""))
attempt("sample k=4", lambda: r.sample([1, 2, 3], 4))
attempt("sample k=-1", lambda: random.sample([1, 2, 3], -1))
attempt("getrandbits(-1)", lambda: r.getrandbits(-1))
attempt("randbytes(-1)", lambda: r.randbytes(-1))
attempt("choices weights", lambda: r.choices([1, 2], weights=[1], k=1))
attempt("choices zero", lambda: r.choices([1, 2], weights=[0, 0], k=1))
attempt("choices both", lambda: random.choices([1, 2], weights=[1, 1], cum_weights=[1, 2]))
attempt("shuffle([])", lambda: r.shuffle([]))
