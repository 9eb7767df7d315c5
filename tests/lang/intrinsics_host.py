from kaa.lang import *

shared: u64 = 0
flags: u32 = 0


def spin(n: i32) -> u64:
    acc: u64 = 0
    for i in range(n):
        acc += u64(i)
        barrier()
    return acc


def main() -> i32:
    print(sizeof(u64), sizeof(CpuidResult) >= 16)
    # Atomics on a global.
    atomic_store(addr(shared), 5)
    print(atomic_load(addr(shared)))
    old = atomic_add(addr(shared), 3)
    print(old, shared)
    print(atomic_cas(addr(shared), 8, 10), shared)
    print(atomic_cas(addr(shared), 8, 11), shared)
    before = atomic_add(addr(flags), 1)
    print(before, atomic_load(addr(flags)))
    # Fences and compiler barriers compile and do nothing visible.
    mfence()
    lfence()
    sfence()
    barrier()
    pause()
    # The time-stamp counter moves forward.
    t0 = rdtsc()
    work = spin(10000)
    t1 = rdtsc()
    print(t1 > t0, work)
    r = cpuid(0, 0)
    print(r.eax > 0)
    return 0
