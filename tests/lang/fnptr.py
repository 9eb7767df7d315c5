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


@struct
class Pair:
    a: i32
    b: i32


def pair_of(x: i32) -> Pair:
    return Pair(a=x, b=x * 2)


def inc(x: i32) -> i32:
    return x + 1


def dec(x: i32) -> i32:
    return x - 1


# A table of function pointers reached by indexing is called like any other value.
table: Array[Fn[[i32], Pair], 2]


@struct
class Hub:
    cbs: Array[Fn[[i32], i32], 2]


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
    table[0] = pair_of
    q = table[0](5)
    print(q.a, q.b, table[0](7).b)
    hub = Hub()
    hub.cbs[0] = inc
    hub.cbs[1] = dec
    phub = addr(hub)
    print(hub.cbs[0](1), phub.cbs[1](1), phub.cbs[hits - 3](41))
    return 0
