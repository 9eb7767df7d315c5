from kaa.lang import *


def main() -> i32:
    break  # E: outside loop
    return 0
