from kaa.lang import *


def add(a: i32, b: i32) -> i32:
    return a + b


def main() -> i32:
    return add(1)  # E: takes 2 arguments  # N: its signature: add(a: i32, b: i32) -> i32
