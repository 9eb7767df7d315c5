def add(a: int, b: int) -> int:
    return a + b


print(add(1, 2, 3))  # E: add() takes 2 positional arguments but 3 were given # N: signature: add(a: int, b: int) -> int
