"""`assert x is not None and y is not None` narrows both for the rest of the block, as mypy does."""

def f(a: str | None, b: int | None) -> str:
    assert a is not None and b is not None
    return a.upper() * b


print(f("x", 3))
try:
    f(None, 1)
except AssertionError:
    print("assert")
