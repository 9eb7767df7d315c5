import functools


@functools.wraps(print)  # E: function decorator 'functools.wraps(print)' is not supported # N: @functools.cache
def f() -> None:
    pass
