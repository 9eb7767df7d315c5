from kaa.lang import *


def main() -> i32:
    break  # E: outside a loop
    return 0
