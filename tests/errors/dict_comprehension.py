from kaa.lang import *


def main() -> i32:
    squares = {i: i * i for i in range(4)}  # E: comprehensions are not supported  # N: for loop
    return 0
