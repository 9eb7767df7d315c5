from kaa.lang import *


def main() -> i32:
    x = 5
    s = f"x={x}"  # E: f-string
    return 0
