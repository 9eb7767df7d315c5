from kaa.lang import *


def main() -> i32:
    for v in [i * i for i in range(4)]:  # E: comprehension
        pass
    return 0
