# Recursion without end, in a thread (command line: thread) or in main (main): the stack
# runs into the unmapped guard page below it, and the machine ends with a fault report
# (status 101), not a triple fault or silently overwritten memory.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.threads as threads

depth: u64 = 0


@noinline
def recurse(n: u64) -> u64:
    atomic_store(addr(depth), n)
    r = recurse(n + 1)
    atomic_store(addr(depth), r)    # work after the call: gcc cannot make the recursion a loop
    return r + n


def overflow(arg: u64) -> i64:
    return i64(recurse(0))


def main() -> i32:
    if cmdline.args() == "thread":
        print("recursing in a thread")
        threads.join(threads.spawn(overflow, 0, -1))
    else:
        print("recursing in main")
        recurse(0)
    print("never printed: the recursion returned")
    return 1
