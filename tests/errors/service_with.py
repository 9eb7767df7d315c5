def f(path: str) -> None:
    with open(path) as fh:  # E: 'with' is not supported # N: try/finally
        print(fh)
