from kaa.lang import *

# A b"..." literal is a writable static buffer of its own: a write through it changes
# that literal for every later use, on the host and when booted alike.

greeting: Bytes = b"xyz"


def fresh() -> Bytes:
    return b"abc"


def main() -> i32:
    b = fresh()
    print(b)
    b[0] = 65
    print(fresh(), b"abc")      # the same line's literal changed; another literal did not
    greeting[2] = 90
    print(greeting)
    for i in range(3):
        t = b"q"
        print(t)
        t[0] += 1
    return 0
