from kaa.lang import *


def main() -> i32:
    x = 5
    print(f"{x!r}")  # E: '!r' conversions are not supported  # N: values format as themselves
    return 0
