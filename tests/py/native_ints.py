"""mypy_extensions' native integers i32, i16 and u8 (and i64 beside them), with values that
stay in each type's range: there a native int is an int, as it is under CPython. Wrapping
and range errors, where mypyc and CPython part, are in tests/test_service_native_ints.py."""

from dataclasses import dataclass
from typing import Any, Optional

from mypy_extensions import i16, i32, i64, u8


@dataclass
class Pixel:
    r: u8
    g: u8
    b: u8

    def luma(self) -> i32:
        return (i32(self.r) * 299 + i32(self.g) * 587 + i32(self.b) * 114) // 1000


class Counter16:
    def __init__(self, start: i16) -> None:
        self.value = start
        self.steps: u8 = 0

    def step(self, by: i16 = 1) -> i16:
        self.value += by
        self.steps += 1
        return self.value


def checksum(data: list[u8]) -> u8:
    s: i32 = 0
    for x in data:
        s = (s + i32(x)) % 251
    return u8(s)


def crc_like(words: list[i32]) -> i32:
    h: i32 = 0x1234
    for w in words:
        h = ((h << 3) ^ w) & 0xFFFFF
    return h


def find(xs: list[i16], want: i16) -> Optional[i16]:
    for x in xs:
        if x == want:
            return x
    return None


def describe(name: str, x: int) -> str:
    return f"{name}={x}"


a: i32 = 1_000_000
b: i16 = -300
c: u8 = 200
w: i64 = 2 ** 40
print(a + 5, a - 2 * a, a * 3, b * 4, c - 50, c // 3, c % 7, -b, +c, ~b)
print(a // -7, a % -7, -a // 7, -a % 7, b // 7, b % 7, b // -7, b % -7)
print(c >> 2, c << 0, b >> 3, b << 2, a >> 10, a << 6, ~a, a & 0xFF0, b & 0xFF, c | 7, c ^ 0x0F)
print(a / 8, b / 3, c / 2, c ** 2, b ** 3, a ** -1, a > i32(b), b < i16(c), c == 200, a != 1_000_000, 3 < c, -400 < b)
print(int(a) + 2 ** 70, float(b), str(c), repr(a), f"{c:>5}|{b:+d}|{a:,}|{c:08b}|{b:x}", describe("c", c))
print(i32(3.99), i32(-3.99), i16("-123"), u8("ff", 16), i32(" 42 "), u8(True), i16(c), u8(b + 400), i32(w // 2 ** 20))
print(i64(a) * i64(a), i64(c) + w, i32(b) * i32(b), i16(c) * 100)

data: list[u8] = [c, 17, 255, 0, 128]
data.append(u8(9))
data.sort()
print(data, checksum(data), sum(data), min(data), max(data), len(data), data.index(128), 255 in data)
words: list[i32] = [i32(k) * 1000 - 3000 for k in range(8)]
print(crc_like(words), sorted(words, reverse=True)[:3], words[-1], words[2:4])
table: dict[i16, str] = {b: "minus", i16(7): "seven"}
table[i16(100)] = "hundred"
print(table, table[-300], sorted(table), i16(7) in table)
shorts: list[i16] = [5, -5, 1000, -1000]
print(find(shorts, -5), find(shorts, 6), {x * 2 for x in shorts} == {10, -10, 2000, -2000})
pair: tuple[i32, u8] = (a, c)
x32, x8 = pair
print(pair, x32 + 1, x8 - 1)

px = Pixel(255, 128, 0)
print(px, px.luma(), Pixel(10, 20, 30) == Pixel(10, 20, 30))
ctr = Counter16(i16(-10))
for _ in range(5):
    ctr.step(3)
ctr.step()
print(ctr.value, ctr.steps)

dyn: Any = c
back: u8 = dyn
obj: object = b
print(dyn, back, obj, isinstance(obj, int), type(dyn).__name__, hash(a) == hash(1_000_000))
total: i64 = 0
for k in range(1, 101):
    total += i64(k) * i64(k)
print(total, divmod(a, 7), divmod(b, 7), round(float(c) / 3), abs(int(b)))

for bad in ("12x", ""):
    try:
        print(i32(bad))
    except ValueError as e:
        print("ValueError:", e)
zero: i16 = 0
try:
    print(b // zero)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(c % u8(0))
except ZeroDivisionError:
    print("ZeroDivisionError")
try:
    print(a << i32(-1))
except ValueError as e:
    print("ValueError:", e)
