# Random new/free sequences on the kernel heap: every block keeps its own pattern (no two
# live blocks overlap), and when all are freed the heap holds nothing and a second pass
# takes no more pages than the first.
from kaa.lang import *
import kernel.mm.pages as pages
from kernel.lib.random import Rng
import kernel.arch.x86_64.cpu as cpu

SLOTS: Final = 256
ROUNDS: Final = 20000

blocks: Array[Bytes, 256]
bad: i64 = 0
rng: Rng



def size_for(r: u64) -> i64:
    if r % 16 == 0:
        return i64(r % 40000) + 1           # sometimes large: whole pages
    return i64(r % 600)


def check_and_free(slot: i64) -> None:
    global bad
    b = blocks[slot]
    for x in b:
        if x != u8(slot):
            bad += 1
    free(b)
    blocks[slot] = Bytes(ptr=None, len=0)


def run() -> None:
    for i in range(ROUNDS):
        slot = i64(rng.next() % SLOTS)
        if blocks[slot].ptr is not None:
            check_and_free(slot)
        else:
            b = new_array(u8, size_for(rng.next()))
            for j in range(len(b)):
                b[j] = u8(slot)
            blocks[slot] = b
    for slot in range(SLOTS):
        if blocks[slot].ptr is not None:
            check_and_free(slot)


def main() -> i32:
    rng.seed(0x2545F4914F6CDD1D)
    h = addr(cpu.this().heap)
    run()
    after_first = pages.free_bytes()
    run()
    print("corrupted bytes:", bad)
    print("in use after freeing all:", h.in_use)
    print("second pass took no more pages:", pages.free_bytes() >= after_first)
    return 0
