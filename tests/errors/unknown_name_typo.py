from kaa.lang import *


def main() -> i32:
    count = 1
    return cuont + 1  # E: unknown name 'cuont'  # N: did you mean 'count'?
