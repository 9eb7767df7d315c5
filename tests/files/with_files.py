"""`with` over files, file objects as iterators and values, print(file=), os.path's
string rules (tests/test_service_files.py: the host build prints what CPython prints)."""

import os
from typing import Iterator, TextIO


def numbered(path: str) -> Iterator[str]:
    with open(path) as f:
        for i, line in enumerate(f):
            yield f"{i}: {line.rstrip()}"


def third_byte(path: str) -> int:
    n = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1)
            if not chunk:
                break
            n += 1
            if n == 3:
                return chunk[0]
    return -1


def rows(out: TextIO, n: int) -> None:
    for i in range(n):
        print("row", i, end=";\n", file=out)


with open("data/a.txt", "w") as w, open("data/b.bin", "wb") as wb:
    w.write("header\nrow1\nrow2\n")
    wb.write(b"\x00\x01")
    print(type(w).__name__, type(wb).__name__, w.closed, wb.closed, w.writable(), w.readable(), w.seekable())
print(w.closed, wb.closed)
for x in numbered("data/a.txt"):
    print(x)
gen = numbered("data/a.txt")
print(next(gen), list(gen))          # exhausted: the file is closed (booted, an open file cannot be removed)
print(third_byte("data/a.txt"))
try:
    with open("data/a.txt") as f2:
        raise KeyError("inside")
except KeyError as e:
    print("caught", e, f2.closed)
f = open("data/a.txt")
print(next(f), end="")
for line in f:
    print("got", line.strip())
print(next(f, "done"))
f.close()
print(open("data/a.txt").read().split())
print(sum(1 for _ in open("data/a.txt")), [line for line in open("data/a.txt", "rb")])
print(len(list(open("data/a.txt"))), sorted(open("data/a.txt")), open("data/b.bin", "rb").readlines())
with open("data/rows.txt", "w") as out:
    rows(out, 3)
    print(out.tell(), out.name, out.mode)
with open("data/rows.txt") as back:
    print(back.read().split(";\n"))
print(open("data/b.bin", "ab").mode, open("data/b.bin", "r+b").mode, open("data/b.bin", "wb+").mode,
      open("data/new.bin", "xb+").mode, open("data/rows.txt", "rt").mode, open("data/rows.txt", "a+").mode)
for p in ["/a/b/", "a", "//x", ".bashrc", "a/.b.c", "a/b.c/d", "...", "x.", "/", "", "a//b"]:
    print(repr(p), os.path.split(p), os.path.dirname(p), os.path.basename(p), os.path.splitext(p), os.path.isabs(p))
print(os.path.join("/a", "", "b", "/c", "d"), os.path.join("a", "b/", "c"), os.path.join("", ""), os.path.join("x"))
st = os.stat("data/a.txt")
print(st.st_size, st.st_mtime_ns // 10**9 == int(st.st_mtime), type(st.st_mtime).__name__,
      os.path.getmtime("data/a.txt") > 0)
os.remove("data/a.txt")
os.unlink("data/b.bin")
print(sorted(os.listdir("data")))
