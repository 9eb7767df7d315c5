# Two threads pass a token back and forth through wait queues, on one CPU or across two
# (the command line says: cross=1). Each round trip is two wake-ups and two waits;
# wait_unless re-checks the turn under the queue's lock, so no wake-up is lost.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.threads as threads
import kernel.arch.x86_64.cpu as cpu

ROUNDS: Final = 100000

ping_q: threads.WaitQueue
pong_q: threads.WaitQueue
turn: i32 = 0                       # 0: ping's move, 1: pong's move


def ponger(arg: u64) -> i64:
    for i in range(ROUNDS):
        while atomic_load(addr(turn)) != 1:
            threads.wait_unless(addr(pong_q), addr(turn), 1)
        atomic_store(addr(turn), 0)
        threads.wake_one(addr(ping_q))
    return threads.cpu_id()


def main() -> i32:
    cross = cmdline.args() == "cross=1"
    other = threads.spawn(ponger, 0, 1 if cross else 0)
    t0 = threads.now_ns()
    for i in range(ROUNDS):
        atomic_store(addr(turn), 1)
        threads.wake_one(addr(pong_q))
        while atomic_load(addr(turn)) != 0:
            threads.wait_unless(addr(ping_q), addr(turn), 0)
    elapsed = threads.now_ns() - t0
    print(f"round trips {ROUNDS} ponger on cpu {threads.join(other)} main on cpu {threads.cpu_id()}")
    print(f"ns per round trip: {elapsed // ROUNDS}")
    return 0
