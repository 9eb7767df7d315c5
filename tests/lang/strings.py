from kaa.lang import *


def count_char(s: Str, c: u8) -> i32:
    n: i32 = 0
    for ch in s:
        if ch == c:
            n += 1
    return n


def greeting(formal: bool) -> Str:
    if formal:
        return "Good morning"
    return "hi"


def main() -> i32:
    s = "hello, world"
    print(s)
    print(len(s), s[0], s[4], s[len(s) - 1])
    print(count_char(s, 108), count_char(s, 122))
    total = 0
    for ch in s:
        total += ch
    print(total)
    print(s == "hello, world", s == "hello", s == "hello, World", s != "x")
    empty = ""
    print(len(empty), empty == "", count_char(empty, 0))
    print(greeting(True), greeting(False))
    t: Str = greeting(False)
    print(t == "hi", len(t))
    # Escapes and UTF-8: len counts bytes.
    esc = "a\tb\n"
    print(len(esc), esc[1], esc[3])
    print(len("h\u00e9llo"), "h\u00e9llo"[1], "h\u00e9llo"[2])
    # s.bytes() views the same bytes.
    b = s.bytes()
    print(len(b), b[7])
    # Bytes literals index to u8.
    raw: Bytes = b"\x01\x02AZ"
    print(len(raw), raw[0], raw[2], raw[3] - raw[2])
    return 0
