from kaa.lang import *


@struct
class Loose:
    a: u8
    b: u32


@struct(packed=True)
class Tight:
    a: u8
    b: u32


@struct
class Padded:
    a: u8
    b: u64
    c: u8


@struct(packed=True)
class EthHeader:
    dst: Array[u8, 6]
    src: Array[u8, 6]
    ethertype: u16


@struct
class Point:
    x: i32
    y: i32


def main() -> i32:
    print(sizeof(u8), sizeof(u16), sizeof(u32), sizeof(u64))
    print(sizeof(i8), sizeof(i16), sizeof(i32), sizeof(i64), sizeof(int), sizeof(usize))
    print(sizeof(bool), sizeof(Ptr[u8]), sizeof(Ptr[Point]))
    print(sizeof(Array[u8, 6]), sizeof(Array[u32, 5]), sizeof(Array[Point, 3]))
    print(sizeof(Slice[u8]), sizeof(Bytes), sizeof(Str))
    print(sizeof(Loose), sizeof(Tight), sizeof(Padded), sizeof(EthHeader), sizeof(Point))
    # Fields of a packed struct still read and write normally.
    t = Tight(a=1, b=0x12345678)
    t.b += 1
    print(t.a, t.b)
    h: EthHeader
    for i in range(6):
        h.dst[i] = 0xff
        h.src[i] = u8(i)
    h.ethertype = 0x0800
    print(h.dst[5], h.src[5], h.ethertype)
    # The bytes of a packed struct sit at the declared offsets (little-endian).
    raw = cast(Ptr[u8], addr(h))
    print(raw[0], raw[6], raw[11], raw[12], raw[13])
    tb = cast(Ptr[u8], addr(t))
    print(tb[0], tb[1], tb[4])
    return 0
