from kaa.lang import *


def sum_u32(s: Slice[u32]) -> u64:
    t: u64 = 0
    for v in s:
        t += v
    return t


def checksum(b: Bytes) -> u32:
    c: u32 = 0
    for v in b:
        c = c * 31 + v
    return c


def main() -> i32:
    # new_array gives zeroed heap storage.
    s = new_array(u32, 10)
    print(len(s), s[0], s[9], sum_u32(s))
    for i in range(len(s)):
        s[i] = u32(i) * 100
    print(sum_u32(s))
    # A sub-slice is a view: no copy.
    t = s[2:5]
    print(len(t), t[0], t[2])
    t[1] = 7
    print(s[3])
    u = t[1:3]
    print(len(u), u[0], u[1])
    print(u.ptr - s.ptr)
    empty = s[4:4]
    print(len(empty), sum_u32(empty))
    # A slice from a pointer and a length.
    arr: Array[u32, 6]
    for i in range(6):
        arr[i] = u32(i + 1)
    v = Slice[u32](ptr=addr(arr[1]), len=4)
    print(len(v), v[0], v[3], sum_u32(v))
    v[0] = 50
    print(arr[1])
    # Bytes literals are static Bytes.
    b: Bytes = b"Kaa!"
    print(len(b), b[0], b[3], checksum(b))
    raw = b"\x00\x7f\x80\xff"
    print(raw[0], raw[1], raw[2], raw[3])
    tail = raw[2:4]
    print(len(tail), tail[0])
    # Byte slices on the heap.
    buf = new_array(u8, 3)
    buf[0] = 255
    buf[1] = buf[0] + 2
    print(buf[0], buf[1], buf[2], checksum(buf))
    free(buf)
    free(s)
    return 0
