from kaa.lang import *
import kernel.threads as threads

q: threads.WaitQueue
turn: i32 = 0


def worker(arg: u64) -> i64:
    for i in range(3):
        print(f"worker {arg} step {i}")
        threads.yield_now()
    return i64(arg) * 10


def sleeper(arg: u64) -> i64:
    threads.sleep_ns(arg * 1000000)
    print(f"slept {arg} ms")
    return 0


def main() -> i32:
    a = threads.spawn(worker, 1, -1)
    b = threads.spawn(worker, 2, -1)
    print("joined", threads.join(a), threads.join(b))
    s1 = threads.spawn(sleeper, 30, -1)
    s2 = threads.spawn(sleeper, 10, -1)
    s3 = threads.spawn(sleeper, 20, -1)
    t0 = threads.now_ns()
    threads.join(s1)
    threads.join(s2)
    threads.join(s3)
    print("slept long enough:", threads.now_ns() - t0 >= 30000000)
    return 0
