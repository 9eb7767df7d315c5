from kaa.lang import *


@naked
def f() -> None:
    asm("nop", clobbers=["memory"])  # E: plain asm


def main() -> i32:
    return 0
