"""nqueens: how many ways N queens sit on an N x N board with none attacking another.

    python3 nqueens.py [N]            (default 12)

Depth-first search, one row at a time: a queen goes in each column of the row that no
earlier queen attacks, tracked by three lists of flags (columns, the diagonals r + c and
the anti-diagonals r - c + N - 1), set before the recursion and cleared after. Counts for
every board from 4 x 4 to N x N are printed, then the first solution found for N x N (the
column of each row's queen). Work: about N! / 3^N nodes at the largest board.
"""

import sys
from typing import Final

DEFAULT_N: Final = 12


class Board:
    def __init__(self, n: int) -> None:
        self.n = n
        self.cols: list[bool] = [False] * n
        self.diag: list[bool] = [False] * (2 * n - 1)
        self.anti: list[bool] = [False] * (2 * n - 1)
        self.queens: list[int] = [0] * n
        self.first: list[int] = []

    def place(self, row: int) -> int:
        """Solutions with queens already placed in rows 0..row-1."""
        n = self.n
        if row == n:
            if len(self.first) == 0:
                for q in self.queens:
                    self.first.append(q)
            return 1
        found = 0
        for c in range(n):
            d = row + c
            a = row - c + n - 1
            if self.cols[c] or self.diag[d] or self.anti[a]:
                continue
            self.cols[c] = True
            self.diag[d] = True
            self.anti[a] = True
            self.queens[row] = c
            found += self.place(row + 1)
            self.cols[c] = False
            self.diag[d] = False
            self.anti[a] = False
        return found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    board = Board(4)
    for size in range(4, n + 1):
        board = Board(size)
        print(f"{size:2d} queens: {board.place(0)} solutions")
    text = ""
    for q in board.first:
        text += f" {q}"
    print(f"first solution:{text}")


main()
