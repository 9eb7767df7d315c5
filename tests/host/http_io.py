# Helpers for the HTTP and JSON harnesses: the script is a list of words read from
# stdin (any size; the command line carries only options), binary data travels as hex
# in both directions.
from kaa.lang import *

script_buf: Array[u8, 8388608]
out_buf: Array[u8, 1048576]


@extern
def read(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


def script() -> Str:
    n: u64 = 0
    while n < len(script_buf):
        got = read(0, addr(script_buf[n]), len(script_buf) - n)
        if got <= 0:
            break
        n += u64(got)
    return Str(ptr=addr(script_buf[0]), len=n)


def is_space(c: u8) -> bool:
    return c == 32 or c == 10 or c == 9 or c == 13


def next_word(s: Str, pos: Ptr[i64]) -> Str:
    """The word at or after pos[0] ("" at the end); pos moves past it."""
    i = pos[0]
    while i < len(s) and is_space(s[i]):
        i += 1
    start = i
    while i < len(s) and not is_space(s[i]):
        i += 1
    pos[0] = i
    return s[start:i]


def nibble(c: u8) -> i32:
    if 48 <= c <= 57:
        return i32(c) - 48
    if 97 <= c <= 102:
        return i32(c) - 87
    if 65 <= c <= 70:
        return i32(c) - 55
    return -1


def unhex(s: Str, out: Bytes) -> Bytes:
    """s decoded into out; the decoded prefix of out."""
    n = 0
    while 2 * n + 1 < len(s) and n < len(out):
        hi = nibble(s[2 * n])
        lo = nibble(s[2 * n + 1])
        if hi < 0 or lo < 0:
            break
        out[n] = u8(hi * 16 + lo)
        n += 1
    return out[0:n]


def signed(s: Str) -> i64:
    """A decimal with an optional '-'; wraps like C (the tests stay within i64)."""
    negative = len(s) > 0 and s[0] == 45
    n: u64 = 0
    for i in range(1 if negative else 0, len(s)):
        n = n * 10 + u64(s[i] - 48)
    return -i64(n) if negative else i64(n)


def hex_line(prefix: Str, b: Bytes) -> None:
    """Print prefix, a space and b in hex, as one line."""
    w = Writer(buf=addr(out_buf[0]), cap=len(out_buf))
    w.write(prefix)
    w.write(" ")
    for x in b:
        w.write(f"{x:02x}")
    print(w.text())
