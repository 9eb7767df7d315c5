def f(items: list[int]) -> None:
    with items:  # E: 'with' over a value of type list[int] is not supported # N: try/finally
        print(items)
