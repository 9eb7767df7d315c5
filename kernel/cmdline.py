"""The command line the machine was started with (`kaa run app.py -- port=8080 verbose`).

The platform hands it over once at start; it is split then into words, and each word
is an option: `key=value`, or a bare `key` (a flag, whose value is ""). Services read
the whole line with args(), or options with has(), get() and int_value().
"""

from kaa.lang import *

MAX_OPTIONS: Final = 32


@struct
class Option:
    key: Str
    value: Str


text: Str = ""
options: Array[Option, 32]
count: i32 = 0
dropped: i32 = 0                    # words past MAX_OPTIONS


def set_args(s: Str) -> None:
    global text, count, dropped
    text = s
    count = 0
    dropped = 0
    start = 0
    for i in range(len(s) + 1):
        if i == len(s) or s[i] == 32:
            if i > start:
                add(s[start:i])
            start = i + 1


def add(word: Str) -> None:
    global count, dropped
    if count == MAX_OPTIONS:
        dropped += 1
        return
    eq = 0
    while eq < len(word) and word[eq] != 61:    # '='
        eq += 1
    o = addr(options[count])
    o.key = word[0:eq]
    o.value = word[eq + 1:len(word)] if eq < len(word) else ""
    count += 1


def args() -> Str:
    return text


def find(key: Str) -> Ptr[Option]:
    for i in range(count):
        if options[i].key == key:
            return addr(options[i])
    return None


def has(key: Str) -> bool:
    return find(key) is not None


def get(key: Str) -> Str:
    """The value of key=value ("" when absent or a bare flag)."""
    o = find(key)
    return o.value if o is not None else ""


def int_value(key: Str, default: i64) -> i64:
    """key's value as a decimal or 0x-prefixed hex integer; default if absent or malformed."""
    v = get(key)
    if len(v) == 0:
        return default
    negative = v[0] == 45                       # '-'
    i = 1 if negative else 0
    base = 10
    if len(v) > i + 2 and v[i] == 48 and (v[i + 1] == 120 or v[i + 1] == 88):
        base = 16
        i += 2
    if i == len(v):
        return default
    n: i64 = 0
    while i < len(v):
        d = digit(v[i])
        if d < 0 or d >= base or n > 0x7FFFFFFFFFFFFFF:
            return default
        n = n * base + d
        i += 1
    return -n if negative else n


def digit(c: u8) -> i64:
    if 48 <= c <= 57:
        return i64(c) - 48
    if 97 <= c <= 102:
        return i64(c) - 87
    if 65 <= c <= 70:
        return i64(c) - 55
    return -1
