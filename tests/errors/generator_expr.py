from kaa.lang import *


def main() -> i32:
    print(i * 2 for i in range(3))  # E: generator expressions are not supported  # N: for loop
    return 0
