from typing import Iterator


def g() -> Iterator[int]:
    yield from range(3)  # E: 'yield from' is not supported # N: for x in it: yield x
