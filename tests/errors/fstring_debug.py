from kaa.lang import *


def main() -> i32:
    x = 5
    print(f"{x=}")  # E: '{x=}' (the name and its value) is not supported  # N: f"x={x}"
    return 0
