from kaa.lang import *

# @export("sym") gives a function that C symbol name: an @extern declaration of the
# same symbol (as assembly or the linker script would use it) reaches the function.


@export("kaa_test_triple")
def triple(x: i32) -> i32:
    return x * 3


@extern
def kaa_test_triple(x: i32) -> i32: ...


@export("kaa_test_greet")
def greet() -> None:
    print("greeted through the exported symbol")


@extern
def kaa_test_greet() -> None: ...


def main() -> i32:
    print(triple(2), kaa_test_triple(5))
    f: Fn[[i32], i32] = kaa_test_triple
    print(f(7))
    kaa_test_greet()
    return 0
