from kaa.lang import *


def same(b: Bytes, s: Str) -> bool:
    if len(b) != len(s):
        return False
    for i in range(len(b)):
        if b[i] != s[i]:
            return False
    return True


def main() -> i32:
    buf: Array[u8, 64]
    w = Writer(buf=addr(buf[0]), cap=64)
    print(w.len, w.overflow, len(w.bytes()))
    w.write("port ")
    port: u16 = 80
    w.write(f"{port:>5}")
    print(w.len, same(w.bytes(), "port    80"))
    w.write(" n=")
    n: i32 = -42
    w.write(n)
    print(w.len, same(w.bytes(), "port    80 n=-42"))
    w.write(b"!!")
    out: Bytes = w.bytes()
    print(len(out), out[0], out[len(out) - 1], buf[4], buf[len(out)])
    print(same(out, "port    80 n=-42!!"), w.overflow)
    label = "ab"
    w.write(f"|{n:04}|{port:x}|{True}|{label:<3}|")
    print(same(w.bytes(), "port    80 n=-42!!|-042|50|True|ab |"))
    # A full writer keeps what fits, drops the rest and sets overflow.
    small: Array[u8, 8]
    w2 = Writer(buf=addr(small[0]), cap=8)
    w2.write("hello")
    print(w2.len, w2.overflow)
    w2.write("world")
    print(w2.len, w2.overflow, same(w2.bytes(), "hellowor"))
    w2.write("!")
    print(w2.len, w2.overflow, small[7])
    # Filling the buffer exactly is not an overflow.
    w3 = Writer(buf=addr(small[0]), cap=4)
    w3.write(f"{48879:x}")
    print(w3.len, w3.overflow, same(w3.bytes(), "beef"), small[4])
    return 0
