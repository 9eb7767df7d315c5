# exit: 7
from kaa.lang import *


def status() -> i32:
    return 3 + 4


def main() -> i32:
    print("returning", status())
    return status()
