from kaa.lang import *
import helpers.nosuch  # E: nosuch


def main() -> i32:
    return 0
