def double(x) -> int:  # E: missing annotation for parameter 'x' # no note
    return x * 2
