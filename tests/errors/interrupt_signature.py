from kaa.lang import *


@interrupt
def handler() -> None:  # E: an @interrupt function is
    pass


def main() -> i32:
    return 0
