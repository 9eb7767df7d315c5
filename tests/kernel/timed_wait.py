# wait_timeout: a wait nobody ends times out after its time; one that is woken returns
# True early; the timer of an ended wait does not fire later.
from kaa.lang import *
import kernel.threads as threads

q: threads.WaitQueue


def waker(delay_ms: u64) -> i64:
    threads.sleep_ns(delay_ms * 1000000)
    threads.wake_one(addr(q))
    return 0


def main() -> i32:
    t0 = threads.now_ns()
    woken = threads.wait_timeout(addr(q), 20000000)
    print("nobody wakes: woken", woken, "after >= 20 ms:", threads.now_ns() - t0 >= 20000000)
    w = threads.spawn(waker, 5, -1)
    t0 = threads.now_ns()
    woken = threads.wait_timeout(addr(q), 1000000000)
    elapsed = threads.now_ns() - t0
    print("woken early:", woken, "before the timeout:", elapsed < 500000000)
    threads.join(w)
    threads.sleep_ns(30000000)      # a stale timer must not wake or break anything
    print("still fine")
    return 0
