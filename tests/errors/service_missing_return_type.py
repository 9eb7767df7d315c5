def double(x: int):  # E: needs a return annotation # N: -> None
    return x * 2
