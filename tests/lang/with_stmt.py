from kaa.lang import *


@struct
class Counter:
    lock: SpinLock
    value: u64


lock: SpinLock
total: i32 = 0
shared: Counter


def locked_get() -> i32:
    with lock:
        return total


def add_up_to(n: i32) -> i32:
    global total
    for i in range(100):
        with lock:
            if i == n:
                break
            if i % 2 == 1:
                continue
            total += i32(i)
    return total


def bump(c: Ptr[Counter]) -> u64:
    with c.lock:
        c.value += 1
        return c.value


def main() -> i32:
    global total
    with lock:
        total = 5
    print(locked_get())
    # If return, break or continue left the lock held, the next `with lock:` would spin forever.
    print(locked_get())
    total = 0
    print(add_up_to(10))
    with lock:
        total += 1
    print(total)
    first = bump(addr(shared))
    second = bump(addr(shared))
    print(first, second)
    with shared.lock:
        shared.value *= 10
    print(shared.value)
    # irq_disabled() is a no-op on the host; the block still runs once.
    with irq_disabled():
        total += 100
    with irq_disabled():
        with lock:
            total += 1000
    print(total)
    return 0
