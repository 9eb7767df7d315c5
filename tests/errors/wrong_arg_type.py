from kaa.lang import *


def add(a: i32, b: i32) -> i32:
    return a + b


def main() -> i32:
    x: i32 = 1
    return add(addr(x), 1)  # E: Ptr[i32]  # N: add(a: i32, b: i32) -> i32 takes i32 as argument 1
