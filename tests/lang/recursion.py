from kaa.lang import *


def factorial(n: u64) -> u64:
    if n <= 1:
        return 1
    return n * factorial(n - 1)


def ackermann(m: u32, n: u32) -> u32:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def gcd(a: i64, b: i64) -> i64:
    if b == 0:
        return a
    return gcd(b, a % b)


def hanoi(n: i32, src: i32, dst: i32, via: i32) -> i32:
    if n == 0:
        return 0
    moves = hanoi(n - 1, src, via, dst)
    moves += 1
    moves += hanoi(n - 1, via, dst, src)
    return moves


def depth(n: i32) -> i32:
    if n == 0:
        return 0
    return 1 + depth(n - 1)


def main() -> i32:
    print(factorial(0), factorial(5), factorial(20))
    print(factorial(21), factorial(25))
    print(ackermann(0, 0), ackermann(1, 2), ackermann(2, 3), ackermann(3, 3))
    print(gcd(1071, 462), gcd(17, 5), gcd(0, 9))
    print(hanoi(10, 1, 3, 2))
    print(depth(200))
    return 0
