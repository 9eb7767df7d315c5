"""spectral_norm: the largest singular value of an infinite matrix, by the power method.

    python3 spectral_norm.py [N]      (default 600; the C twin is spectral_norm.c)

A is the N x N matrix with A[i][j] = 1 / ((i + j) (i + j + 1) / 2 + i + 1), never stored:
each entry is computed when used. Starting from u = (1, ..., 1), ten rounds of v = AtA u,
u = AtA v (AtA x is A^T (A x): two dense matrix-vector products); then the norm is
sqrt(u.v / v.v), printed to nine decimals. Work: 40 N^2 entry evaluations (an integer
multiply, a division to float, a multiply-add each).
"""

import sys
from typing import Final

DEFAULT_N: Final = 600


def entry(i: int, j: int) -> float:
    ij = i + j
    return 1.0 / (ij * (ij + 1) // 2 + i + 1)


def times_a(u: list[float], out: list[float]) -> None:
    n = len(u)
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += entry(i, j) * u[j]
        out[i] = s


def times_at(u: list[float], out: list[float]) -> None:
    n = len(u)
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += entry(j, i) * u[j]
        out[i] = s


def times_ata(u: list[float], out: list[float], tmp: list[float]) -> None:
    times_a(u, tmp)
    times_at(tmp, out)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        times_ata(u, v, tmp)
        times_ata(v, u, tmp)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    norm: float = (vbv / vv) ** 0.5
    print(f"{norm:.9f}")


main()
