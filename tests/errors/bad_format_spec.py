from kaa.lang import *


def main() -> i32:
    x = 5
    print(f"{x:q}")  # E: format
    return 0
