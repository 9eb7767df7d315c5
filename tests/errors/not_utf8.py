from kaa.lang import *


def main() -> i32:
    return 0  # café, saved as Latin-1  # E: cannot decode the file: byte 0xe9  # N: save it as UTF-8
