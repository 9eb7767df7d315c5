"""random's module functions after seeding: the same draws as CPython's Mersenne Twister."""

import random


def show(label: str) -> None:
    print(label, random.random(), random.getrandbits(7), random.getrandbits(64), random.getrandbits(200))


for seed in [0, 1, -1, 42, 2**32, 2**32 - 1, -(2**100) + 7, 10**50]:
    random.seed(seed)
    show(f"int {seed}:")

for text in ["", "hello", "héllo wörld", "kaa" * 50]:
    random.seed(text)
    show(f"str {text[:12]!r}:")

for data in [b"", b"\x00\x01", bytes(range(200))]:
    random.seed(data)
    show(f"bytes {data[:4]!r}:")

random.seed(2024)
print([random.randrange(10) for _ in range(12)])
print([random.randrange(-5, 5) for _ in range(12)])
print([random.randrange(100, 0, -7) for _ in range(12)])
print([random.randint(1, 6) for _ in range(20)])
print(random.randrange(10**30), random.randint(-(2**70), 2**70))

deck = list(range(20))
random.shuffle(deck)
print(deck)
words = ["alpha", "beta", "gamma", "delta", "epsilon"]
print(random.choice(words), random.choice("abcdef"), random.choice(range(1000)))
print(random.sample(deck, 5), random.sample(range(10**9), 4), random.sample(words, 5))
print(random.sample(range(100), 30))
print(random.randbytes(0), random.randbytes(5), random.randbytes(13).hex())
print(random.uniform(-1.0, 1.0), random.uniform(5, 10))
print(random.gauss(), random.gauss(10.0, 2.0), random.gauss(), random.normalvariate(0.0, 1.0))
print(random.expovariate(1.5), random.triangular(), random.triangular(0.0, 10.0, 2.0))
print(random.choices(words, k=6))
print(random.choices(words, weights=[5, 1, 1, 1, 10], k=6))
print(random.choices(words, cum_weights=[0.1, 0.2, 0.5, 0.9, 1.0], k=6))
