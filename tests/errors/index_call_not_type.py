from kaa.lang import *


def inc(x: i32) -> i32:
    return x + 1


def main() -> i32:
    table: Array[Fn[[i32], i32], 2]
    table[0] = inc
    return table[0](1, 2)  # E: 'table[0]' takes 1 argument, got 2  # N: table[0]: Fn[[i32], i32]
