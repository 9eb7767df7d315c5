from kaa.lang import *

PAGES: Final = 2 ** 4  # E: operator '**' is not supported  # N: for a power of two write 1 << n


def main() -> i32:
    return PAGES
