"""sys.stdout.write (returns the characters written), print(file=..., flush=...), and
sys.stderr last (the booted console shows stdout, then stderr)."""

import sys

n = sys.stdout.write("héllo ")
print(n, "world", file=sys.stdout, flush=True)
total = 0
for word in ("a", "bb", "ccc\n"):
    total += sys.stdout.write(word)
sys.stdout.flush()
print(total)
print("warning:", 3, sep=" ", end="!\n", file=sys.stderr)
sys.stderr.write("done\n")
