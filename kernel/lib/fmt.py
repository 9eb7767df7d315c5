"""Formatting into caller-owned buffers: the Writer behind print, panic and f-strings.

The compiler splits an f-string at compile time and calls one Writer method per piece
(write_str, write_int, write_uint, write_str_pad), with the format spec already parsed
into width, fill, alignment and flags. A Writer never allocates: with a `sink` it hands
full buffers to the sink (that is how print streams to the console); without one it
keeps what fits and sets `overflow`.
"""

from kaa.lang import *

ALIGN_LEFT: Final = 60      # '<'
ALIGN_SIGN: Final = 61      # '=': padding goes between the sign and the digits
ALIGN_RIGHT: Final = 62     # '>'
ALIGN_CENTER: Final = 94    # '^'

UPPER: Final = 1            # hex digits in upper case (X)
ALT: Final = 2              # 0x / 0o / 0b prefix (#)
PLUS: Final = 4             # '+' before non-negative numbers
SPACE: Final = 8            # ' ' before non-negative numbers


@struct
class Writer:
    buf: Ptr[u8]
    cap: usize
    len: usize
    overflow: bool
    sink: Fn[[Ptr[u8], usize], None]

    def write_byte(self, b: u8) -> None:
        if self.len == self.cap:
            if self.sink is None or self.cap == 0:
                self.overflow = True
                return
            self.flush()
        self.buf[self.len] = b
        self.len += 1

    def write_str(self, s: Str) -> None:
        n = u64(len(s))
        if self.cap - self.len >= n:        # it fits: one copy loop (gcc makes it a memmove)
            for i in range(n):
                self.buf[self.len + i] = s[i]
            self.len += n
            return
        for b in s:
            self.write_byte(b)

    def write_bytes(self, data: Bytes) -> None:
        n = u64(len(data))
        if self.cap - self.len >= n:        # it fits: one copy loop (gcc makes it a memmove)
            for i in range(n):
                self.buf[self.len + i] = data[i]
            self.len += n
            return
        for b in data:
            self.write_byte(b)

    def write_str_pad(self, s: Str, width: u32, fill: u8, align: u8) -> None:
        pad = width - len(s)
        if pad <= 0:
            self.write_str(s)
        elif align == ALIGN_RIGHT:
            self.repeat(fill, pad)
            self.write_str(s)
        elif align == ALIGN_CENTER:
            self.repeat(fill, pad // 2)
            self.write_str(s)
            self.repeat(fill, pad - pad // 2)
        else:
            self.write_str(s)
            self.repeat(fill, pad)

    def write_int(self, v: i64, base: u32, width: u32, fill: u8, align: u8, flags: u32) -> None:
        if v < 0:
            self.write_number(u64(0) - u64(v), True, base, width, fill, align, flags)
        else:
            self.write_number(u64(v), False, base, width, fill, align, flags)

    def write_uint(self, v: u64, base: u32, width: u32, fill: u8, align: u8, flags: u32) -> None:
        self.write_number(v, False, base, width, fill, align, flags)

    def write_number(self, mag: u64, negative: bool, base: u32, width: u32, fill: u8, align: u8,
                     flags: u32) -> None:
        digits: Array[u8, 64]
        charset = "0123456789ABCDEF" if flags & UPPER else "0123456789abcdef"
        n = 0
        while True:
            digits[n] = charset[mag % base]
            mag = mag // base
            n += 1
            if mag == 0:
                break
        sign: u8 = 0
        if negative:
            sign = 45           # '-'
        elif flags & PLUS:
            sign = 43           # '+'
        elif flags & SPACE:
            sign = 32
        prefix = ""
        if flags & ALT:
            prefix = prefix_for(base, flags & UPPER != 0)
        pad = width - (n + len(prefix) + (1 if sign else 0))
        if pad > 0 and align == ALIGN_RIGHT:
            self.repeat(fill, pad)
        elif pad > 0 and align == ALIGN_CENTER:
            self.repeat(fill, pad // 2)
        if sign:
            self.write_byte(sign)
        self.write_str(prefix)
        if pad > 0 and align == ALIGN_SIGN:
            self.repeat(fill, pad)
        for i in range(n - 1, -1, -1):
            self.write_byte(digits[i])
        if pad > 0 and align == ALIGN_LEFT:
            self.repeat(fill, pad)
        elif pad > 0 and align == ALIGN_CENTER:
            self.repeat(fill, pad - pad // 2)

    def repeat(self, b: u8, count: i64) -> None:
        for i in range(count):
            self.write_byte(b)

    def flush(self) -> None:
        if self.sink is not None and self.len > 0:
            self.sink(self.buf, self.len)
            self.len = 0

    def bytes(self) -> Bytes:
        return Bytes(ptr=self.buf, len=self.len)

    def text(self) -> Str:
        return Str(ptr=self.buf, len=self.len)


def prefix_for(base: u32, upper: bool) -> Str:
    if base == 16:
        return "0X" if upper else "0x"
    if base == 8:
        return "0o"
    if base == 2:
        return "0b"
    return ""
