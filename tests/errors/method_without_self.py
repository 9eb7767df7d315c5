from kaa.lang import *


@struct
class P:
    x: i32

    def m() -> None:  # E: needs 'self'
        pass


def main() -> i32:
    return 0
