"""Reads input.bin as the words of ops.txt say (tests/test_service_files.py's property
test: CPython and the host build must print the same). `text_ops.py t` opens it as
text (universal newlines, UTF-8), `text_ops.py b` as binary, `text_ops.py p` as binary
for reading and writing ('r+b'), where writes mix with reads, seeks and truncation.
  read N | readline N | lines K (K lines through iteration) | readlines | seek N (binary)
  write N (N bytes) | truncate N | tell ('r+b' only)"""

import sys

with open("ops.txt") as o:
    ops = [line.split() for line in o.read().splitlines()]

if sys.argv[1] == "t":
    with open("input.bin", encoding="utf-8") as t:
        for op in ops:
            if op[0] == "read":
                print(repr(t.read(int(op[1]))))
            elif op[0] == "readline":
                print(repr(t.readline(int(op[1]))))
            elif op[0] == "lines":
                got: list[str] = []
                for line in t:
                    got.append(line)
                    if len(got) == int(op[1]):
                        break
                print(got)
            elif op[0] == "readlines":
                print(t.readlines())
elif sys.argv[1] == "p":
    with open("input.bin", "r+b") as p:
        for op in ops:
            n = int(op[1]) if len(op) > 1 else 0
            if op[0] == "read":
                print(p.read(n), p.tell())
            elif op[0] == "readline":
                print(p.readline(n))
            elif op[0] == "write":
                print(p.write(bytes(range(65, 91)) * (n // 26) + b"!" * (n % 26)))
            elif op[0] == "seek":
                print(p.seek(n))
            elif op[0] == "truncate":
                print(p.truncate(n), p.tell())
            elif op[0] == "tell":
                print(p.tell())
    with open("input.bin", "rb") as check:
        print(check.read())
else:
    with open("input.bin", "rb") as b:
        for op in ops:
            if op[0] == "read":
                print(b.read(int(op[1])), b.tell())
            elif op[0] == "readline":
                print(b.readline(int(op[1])), b.tell())
            elif op[0] == "lines":
                raw: list[bytes] = []
                for chunk in b:
                    raw.append(chunk)
                    if len(raw) == int(op[1]):
                        break
                print(raw, b.tell())
            elif op[0] == "readlines":
                print(b.readlines(), b.tell())
            elif op[0] == "seek":
                print(b.seek(int(op[1])), b.tell())
