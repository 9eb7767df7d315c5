from kaa.lang import *


def main() -> i32:
    x = 2
    match x:  # E: match
        case 1:
            return 1
        case _:
            return 0
    return 0
