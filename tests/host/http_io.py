# Helpers for the HTTP and JSON harnesses: the script is a list of words read from
# stdin (any size; the command line carries only options), binary data travels as hex
# in both directions (net_hex.py decodes it).
from kaa.lang import *
import net_hex

out_buf: Array[u8, 1048576]


def script() -> Str:
    return net_hex.read_stdin()


def next_word(s: Str, pos: Ptr[i64]) -> Str:
    """The word at or after pos[0] ("" at the end); pos moves past it."""
    i = pos[0]
    while i < len(s) and net_hex.is_space(s[i]):
        i += 1
    start = i
    while i < len(s) and not net_hex.is_space(s[i]):
        i += 1
    pos[0] = i
    return s[start:i]


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
