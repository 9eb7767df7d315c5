"""A CPU-bound Kaa program for `kaa bench opt`: the same work built at -O0..-O3.

    kaa run kaa/bench/programs/cpu_work.py -- rounds=4
    kaa build kaa/bench/programs/cpu_work.py --target host -o cpu_work && ./cpu_work rounds=4

Four kernels a service's hot paths resemble: a sieve of Eratosthenes (byte array
stores, strided loops), a 32x32 integer matrix product (nested loops, multiply-add),
hashing a buffer (FNV-1a and xorshift: shifts, xors, multiplies per byte), and the
recursive Fibonacci (calls and returns). It prints "cpu_work: start", then "cpu_work:
done" with a checksum (equal at every -O level: the benchmark checks it) and the TSC
ticks the work took; the benchmark times the two lines as they reach the host.
"""

from kaa.lang import *
import kernel.cmdline as cmdline

SIEVE_N: Final = 200000
DIM: Final = 32
HASH_N: Final = 16384

composite: Array[u8, 200000]
mat_a: Array[i64, 1024]
mat_b: Array[i64, 1024]
mat_c: Array[i64, 1024]
buf: Array[u8, 16384]


def sieve() -> u64:
    for i in range(SIEVE_N):
        composite[i] = 0
    count: u64 = 0
    for i in range(2, SIEVE_N):
        if composite[i] == 0:
            count += 1
            j = i * i
            while j < SIEVE_N:
                composite[j] = 1
                j += i
    return count


def matmul(seed: i64) -> u64:
    for i in range(DIM * DIM):
        mat_a[i] = (i * 7 + seed) % 101 - 50
        mat_b[i] = (i * 13 + seed) % 97 - 48
    for i in range(DIM):
        for j in range(DIM):
            acc: i64 = 0
            for k in range(DIM):
                acc += mat_a[i * DIM + k] * mat_b[k * DIM + j]
            mat_c[i * DIM + j] = acc
    total: u64 = 0
    for i in range(DIM * DIM):
        total = total * 31 + u64(mat_c[i])
    return total


def hash_buffer(seed: u64) -> u64:
    x: u64 = seed | 1
    for i in range(HASH_N):
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        buf[i] = u8(x & 0xFF)
    h: u64 = 0xCBF29CE484222325
    for r in range(8):
        for i in range(HASH_N):
            h ^= u64(buf[i])
            h *= 0x100000001B3
    return h


def fib(n: i32) -> u64:
    if n < 2:
        return u64(n)
    return fib(n - 1) + fib(n - 2)


def main() -> i32:
    rounds = cmdline.int_value("rounds", 4)
    print(f"cpu_work: start rounds={rounds}")
    t0 = rdtsc()
    check: u64 = 0
    for r in range(rounds):
        check = check * 1000003 + sieve()
        check = check * 1000003 + matmul(r)
        check = check * 1000003 + hash_buffer(u64(r) + 1)
        check = check * 1000003 + fib(24)
    ticks = rdtsc() - t0
    print(f"cpu_work: done checksum={check:016x} ticks={ticks}")
    return 0
