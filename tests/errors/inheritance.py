from kaa.lang import *


@struct
class Base:
    x: i32


@struct
class Derived(Base):  # E: inheritance
    y: i32


def main() -> i32:
    return 0
