# A thread spins on CPU 1 without yielding while CPU 0 spawns 300 threads there: all
# 300 wait in CPU 1's mailbox at once (it used to hold 256 and panic when full). When
# the spinner is told to stop, CPU 1 runs every one of them. Run with --smp 2.
from kaa.lang import *
import kernel.threads as threads
import kernel.arch.x86_64.cpu as cpu

COUNT: Final = 300

spinning: i32 = 0
stop: i32 = 0
ran: i64 = 0
on_cpu_1: i64 = 0


def spinner(arg: u64) -> i64:
    atomic_store(addr(spinning), 1)
    spins: i64 = 0
    while atomic_load(addr(stop)) == 0:
        pause()
        spins += 1
    return spins


def worker(arg: u64) -> i64:
    atomic_add(addr(ran), 1)
    if threads.cpu_id() == 1:
        atomic_add(addr(on_cpu_1), 1)
    return i64(arg)


def main() -> i32:
    if cpu.count < 2:
        print("mailbox_flood needs --smp 2")
        return 1
    s = threads.spawn(spinner, 0, 1)
    while atomic_load(addr(spinning)) == 0:
        pause()
    handles: Slice[Ptr[threads.Thread]] = new_array(Ptr[threads.Thread], COUNT)
    for i in range(COUNT):
        handles[i] = threads.spawn(worker, u64(i), 1)
    print(f"spawned {COUNT} while CPU 1 was busy; run so far {atomic_load(addr(ran))}")
    atomic_store(addr(stop), 1)
    threads.join(s)
    wrong = 0
    for i in range(COUNT):
        if threads.join(handles[i]) != i:
            wrong += 1
    print(f"ran {ran} on cpu 1 {on_cpu_1} wrong results {wrong}")
    return 0
