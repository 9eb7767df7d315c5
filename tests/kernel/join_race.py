# 5000 short threads on CPU 1, each joined from CPU 0 the moment it says it is done, so
# join() meets exit_thread() half-way. Right after each join the freed Thread's block
# is taken again and filled with 0xFF (the heap hands the same block back): an exiting
# CPU that still touched its Thread would spin on a garbage lock or follow a garbage
# pointer. Run with --smp 2.
from kaa.lang import *
import kernel.threads as threads
import kernel.arch.x86_64.cpu as cpu

COUNT: Final = 5000

finishing: i64 = 0


def short(i: u64) -> i64:
    atomic_store(addr(finishing), i64(i) + 1)      # the joiner calls join() now
    return i64(i) * 3


def heap_in_use() -> u64:
    total: u64 = 0
    for c in range(cpu.count):
        total += cpu.percpu[c].heap.in_use      # a block freed on another CPU counts there
    return total


def main() -> i32:
    if cpu.count < 2:
        print("join_race needs --smp 2")
        return 1
    start = heap_in_use()
    wrong = 0
    for i in range(COUNT):
        t = threads.spawn(short, u64(i), 1)
        while atomic_load(addr(finishing)) != i + 1:
            pause()
        if threads.join(t) != i * 3:
            wrong += 1
        junk = new_array(u8, sizeof(threads.Thread))
        for j in range(len(junk)):
            junk[j] = 0xFF
        free(junk)
    print(f"joined {COUNT} wrong {wrong}")
    print("heap back to its start figure:", heap_in_use() == start)
    return 0
