from kaa.lang import *


def classify(n: i32) -> Str:
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"


def find_pair(target: i32) -> i32:
    # Early return from inside nested loops.
    for i in range(10):
        for j in range(10):
            if i * j == target and i <= j:
                return i32(i * 100 + j)
    return -1


def main() -> i32:
    print(classify(-3), classify(0), classify(7), classify(42))
    # while with break and continue
    i = 0
    total = 0
    while True:
        i += 1
        if i > 10:
            break
        if i % 3 == 0:
            continue
        total += i
    print(i, total)
    # range with 1, 2 and 3 arguments
    acc = 0
    for k in range(5):
        acc = acc * 10 + k
    print(acc)
    acc = 0
    for k in range(2, 6):
        acc = acc * 10 + k
    print(acc)
    acc = 0
    for k in range(10, 0, -3):
        acc = acc * 100 + k
    print(acc)
    acc = 0
    for k in range(0, 10, 4):
        acc = acc * 10 + k
    print(acc)
    for k in range(-3, 3):
        if k == -2:
            continue
        print(k)
    for k in range(5, 5):
        print("never")
    for k in range(3, 5, -1):
        print("never")
    # nested loops: break leaves only the inner loop
    pairs = 0
    for a in range(4):
        for b in range(4):
            if b > a:
                break
            pairs += 1
    print(pairs)
    print(find_pair(12), find_pair(49), find_pair(97))
    # while with a computed condition, then pass in a branch
    n: u32 = 0
    while n < 1000:
        n = n * 2 + 1
    print(n)
    if n == 1023:
        pass
    else:
        print("wrong")
    return 0
