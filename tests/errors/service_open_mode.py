def f(path: str, mode: str) -> None:
    print(open(path, mode))  # E: the mode of open() must be a string literal # N: open(path, "rb")
