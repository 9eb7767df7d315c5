from kaa.lang import *

X: Final[u8] = 200
Y: Final = X + X  # E: must be a constant integer expression


def main() -> i32:
    return 0
