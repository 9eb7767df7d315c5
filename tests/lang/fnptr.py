from kaa.lang import *

hits: i32 = 0


def add(a: i32, b: i32) -> i32:
    return a + b


def sub(a: i32, b: i32) -> i32:
    return a - b


def mul(a: i32, b: i32) -> i32:
    return a * b


def hello() -> None:
    global hits
    hits += 1
    print("hello", hits)


def apply(f: Fn[[i32, i32], i32], a: i32, b: i32) -> i32:
    return f(a, b)


def fold(f: Fn[[i32, i32], i32], start: i32, n: i32) -> i32:
    acc = start
    for i in range(1, n + 1):
        acc = f(acc, i32(i))
    return acc


def pick(op: u8) -> Fn[[i32, i32], i32]:
    if op == 0:
        return add
    return mul


@struct
class Handler:
    id: u32
    run: Fn[[i32, i32], i32]
    done: Fn[[], None]


def main() -> i32:
    f: Fn[[i32, i32], i32] = add
    print(f(2, 3))
    f = sub
    print(f(2, 3))
    print(apply(mul, 6, 7), apply(add, -1, 1))
    print(fold(add, 0, 10), fold(mul, 1, 5))
    print(pick(0)(4, 5), pick(1)(4, 5))
    ops: Array[Fn[[i32, i32], i32], 3]
    ops[0] = add
    ops[1] = sub
    ops[2] = mul
    for op in ops:
        print(op(10, 4))
    h = Handler(id=1, run=sub, done=hello)
    print(h.run(9, 3))
    h.done()
    h.run = add
    print(h.run(9, 3))
    cb: Fn[[], None] = hello
    cb()
    ph = addr(h)
    ph.done()
    print(hits)
    return 0
