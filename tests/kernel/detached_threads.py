# 20,000 threads that return with nobody joining them (spawn_detached): each one's
# Thread and stack are freed when it ends, so once they have all run the heap's usage
# and the free pages are back at their start figures. A first batch runs before the
# start figures are taken, so the heap's free lists already hold a batch of Threads.
from kaa.lang import *
import kernel.threads as threads
import kernel.arch.x86_64.cpu as cpu
import kernel.mm.pages as pages

COUNT: Final = 20000
BATCH: Final = 100

finished: i64 = 0
last_id: i64 = 0
ids_increase: bool = True


def worker(arg: u64) -> i64:
    global finished
    finished += 1
    return 0


def run_batch() -> None:
    global last_id, ids_increase
    target = finished + BATCH
    for i in range(BATCH):
        tid = threads.spawn_detached(worker, 0, -1)
        if tid <= last_id:
            ids_increase = False
        last_id = tid
    while finished < target:
        threads.yield_now()


def main() -> i32:
    heap = addr(cpu.this().heap)
    run_batch()
    heap_start = heap.in_use
    pages_start = pages.free_bytes()
    for b in range(COUNT // BATCH):
        run_batch()
    print(f"finished {finished - BATCH} ids increase {ids_increase}")
    print(f"heap in use back to the start figure: {heap.in_use == heap_start} "
          f"({heap.in_use} against {heap_start} bytes)")
    print(f"free pages back to the start figure: {pages.free_bytes() == pages_start}")
    return 0
