# Helpers for the network harnesses: test frames arrive as hex strings and leave on
# stdout the same way. The script of words comes from the command line, or from stdin
# when the command line is "-": the host platform keeps only 4096 bytes of arguments.
from kaa.lang import *
import kernel.cmdline as cmdline

line_buf: Array[u8, 16384]
script_buf: Array[u8, 8388608]


@extern
def read(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


def script() -> Str:
    """The words to run: the command line, or all of stdin after "-"."""
    args = cmdline.args()
    if not (args == "-"):
        return args
    return read_stdin()


def read_stdin() -> Str:
    """All of stdin (up to the buffer's size)."""
    n: u64 = 0
    while n < len(script_buf):
        got = read(0, addr(script_buf[n]), len(script_buf) - n)
        if got <= 0:
            break
        n += u64(got)
    return Str(ptr=addr(script_buf[0]), len=n)


def is_space(c: u8) -> bool:
    return c == 32 or c == 10 or c == 9 or c == 13


def nibble(c: u8) -> i32:
    if 48 <= c <= 57:
        return i32(c) - 48
    if 97 <= c <= 102:
        return i32(c) - 87
    if 65 <= c <= 70:
        return i32(c) - 55
    return -1


def unhex(s: Str, out: Bytes) -> Bytes:
    """s decoded into out; the decoded prefix of out (an odd or bad digit ends it)."""
    n = 0
    while 2 * n + 1 < len(s) and n < len(out):
        hi = nibble(s[2 * n])
        lo = nibble(s[2 * n + 1])
        if hi < 0 or lo < 0:
            break
        out[n] = u8(hi * 16 + lo)
        n += 1
    return out[0:n]


def write_hex(w: Ptr[Writer], b: Bytes) -> None:
    for x in b:
        w.write(f"{x:02x}")


def number(s: Str) -> u64:
    """A decimal number (digits only; stops at the first other byte)."""
    n: u64 = 0
    for c in s:
        if c < 48 or c > 57:
            break
        n = n * 10 + u64(c - 48)
    return n


def split(s: Str, sep: u8, index: i32) -> Str:
    """The index-th piece of s split at sep ("" past the last)."""
    start = 0
    k: i32 = 0
    for i in range(len(s) + 1):
        if i == len(s) or s[i] == sep:
            if k == index:
                return s[start:i]
            k += 1
            start = i + 1
    return ""


def line() -> Writer:
    return Writer(buf=addr(line_buf[0]), cap=len(line_buf))
