"""A fast pseudo-random generator (xorshift64*): for jitter, identifiers and tests.

Not for secrets. Each Rng is its own stream; seed it from the TSC (rdtsc()) for
values that differ per boot, or from a constant for repeatable runs.
"""

from kaa.lang import *


@struct
class Rng:
    state: u64

    def seed(self, value: u64) -> None:
        self.state = value if value != 0 else 0x9E3779B97F4A7C15   # zero would stay zero

    def next(self) -> u64:
        x = self.state
        x ^= x >> 12
        x ^= x << 25
        x ^= x >> 27
        self.state = x
        return x * 0x2545F4914F6CDD1D

    def below(self, n: u64) -> u64:
        """A value in [0, n) (n > 0), slightly biased for huge n."""
        return self.next() % n
