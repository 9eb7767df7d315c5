# 1000 threads sleep pseudo-random durations; each records when it woke. They must wake
# in the order of their deadlines, none early, each within a tolerance of its deadline.
# Every thread is started and parked at a gate before the deadlines are set, so however
# slow starting a thread is (a stack, its guard page), the deadlines lie ahead of them.
from kaa.lang import *
import kernel.threads as threads
from kernel.lib.random import Rng

COUNT: Final = 1000
TOLERANCE_NS: Final = 20000000      # 20 ms: TCG and a busy host are slow and noisy

deadline: Array[u64, 1000]
woke: Array[u64, 1000]
order: Array[i32, 1000]
finished: i32 = 0
parked: i32 = 0
gate: threads.WaitQueue
rng: Rng



def sleeper(i: u64) -> i64:
    global finished, parked
    parked += 1
    threads.wait(addr(gate))
    now = threads.now_ns()
    if deadline[i] > now:               # u64: deadline - now would wrap if it has passed
        threads.sleep_ns(deadline[i] - now)
    woke[i] = threads.now_ns()
    order[finished] = i32(i)
    finished += 1
    return 0


def main() -> i32:
    rng.seed(0x9E3779B97F4A7C15)
    handles: Slice[Ptr[threads.Thread]] = new_array(Ptr[threads.Thread], COUNT)
    for i in range(COUNT):
        handles[i] = threads.spawn(sleeper, u64(i), -1)
    while parked < COUNT:
        threads.sleep_ns(1000000)
    t0 = threads.now_ns() + 50000000            # every thread is asleep by then
    for i in range(COUNT):
        deadline[i] = t0 + rng.next() % 200000000   # within 200 ms
    threads.wake_all(addr(gate))
    for h in handles:
        threads.join(h)
    late: u64 = 0
    early = 0
    out_of_order = 0
    for k in range(COUNT):
        i = order[k]
        if woke[i] < deadline[i]:
            early += 1
        elif woke[i] - deadline[i] > late:
            late = woke[i] - deadline[i]
        if k > 0 and deadline[order[k - 1]] > deadline[i]:
            out_of_order += 1
    print(f"woken {finished} early {early} out of order {out_of_order}")
    print("latest wake within tolerance:", late <= TOLERANCE_NS)
    return 0
