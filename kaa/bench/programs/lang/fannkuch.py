"""fannkuch: pancake flips over every permutation of 0..N-1 (fannkuch-redux).

    python3 fannkuch.py [N]           (default 9)

Permutations are enumerated by rotation: count[r] says how many more rotations the prefix
of length r + 1 gets before the next longer prefix rotates once, so each permutation costs
a short shift. For each permutation whose first element k is not 0, a copy is flipped:
reverse its first k + 1 elements, until the first element is 0. Prints the checksum (the
flip counts summed with alternating signs, in enumeration order) and the most flips any
permutation needed. Work: N! permutations, each copied and flipped a few times.
"""

import sys
from typing import Final

DEFAULT_N: Final = 9


def flips(perm: list[int], work: list[int]) -> int:
    """How many prefix reversals bring 0 to the front of (a copy of) perm."""
    n = len(perm)
    for i in range(n):
        work[i] = perm[i]
    count = 0
    k = work[0]
    while k != 0:
        lo = 0
        hi = k
        while lo < hi:
            t = work[lo]
            work[lo] = work[hi]
            work[hi] = t
            lo += 1
            hi -= 1
        count += 1
        k = work[0]
    return count


def fannkuch(n: int) -> tuple[int, int]:
    """(checksum, most flips) over all permutations of range(n)."""
    perm: list[int] = []
    count: list[int] = []
    work: list[int] = []
    for i in range(n):
        perm.append(i)
        count.append(0)
        work.append(0)
    checksum = 0
    most = 0
    index = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        f = flips(perm, work) if perm[0] != 0 else 0
        if f > most:
            most = f
        checksum += f if index % 2 == 0 else -f
        # Next permutation: rotate the shortest prefix whose counter is not spent.
        while True:
            if r == n:
                return checksum, most
            first = perm[0]
            for i in range(r):
                perm[i] = perm[i + 1]
            perm[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        index += 1


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    checksum, most = fannkuch(n)
    print(checksum)
    print(f"Pfannkuchen({n}) = {most}")


main()
