from kaa.lang import *


# is_even calls is_odd before is_odd is defined: module-level names are visible everywhere.
def is_even(n: u32) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n: u32) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


# Hofstadter's female and male sequences.
def female(n: i32) -> i32:
    if n == 0:
        return 1
    return n - male(female(n - 1))


def male(n: i32) -> i32:
    if n == 0:
        return 0
    return n - female(male(n - 1))


def collatz_steps(n: u64) -> u32:
    if n == 1:
        return 0
    if n % 2 == 0:
        return 1 + halve(n)
    return 1 + triple(n)


def halve(n: u64) -> u32:
    return collatz_steps(n // 2)


def triple(n: u64) -> u32:
    return collatz_steps(3 * n + 1)


def main() -> i32:
    print(is_even(0), is_even(7), is_even(100), is_odd(99), is_odd(64))
    acc = 0
    for i in range(10):
        acc = acc * 10 + female(i32(i))
    print(acc)
    acc = 0
    for i in range(10):
        acc = acc * 10 + male(i32(i))
    print(acc)
    print(collatz_steps(1), collatz_steps(6), collatz_steps(27))
    return 0
