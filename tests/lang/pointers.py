from kaa.lang import *


@struct
class Pair:
    a: i32
    b: i64


counter: u32 = 5
pairs: Array[Pair, 4]


def bump(p: Ptr[u32], by: u32) -> None:
    p[0] += by


def sum_pair(p: Ptr[Pair]) -> i64:
    return p.a + p.b


def main() -> i32:
    # addr of a local, then write through it
    x: u32 = 1
    px = addr(x)
    px[0] = 42
    print(x)
    bump(px, 8)
    print(x)
    # addr of a global
    bump(addr(counter), 10)
    print(counter)
    # addr of a field and of an element
    pr: Pair
    pa = addr(pr.b)
    pa[0] = -7
    print(pr.b)
    arr: Array[u32, 8]
    for i in range(8):
        arr[i] = u32(i * 10)
    pe = addr(arr[2])
    print(pe[0], pe[1], pe[5])
    # arithmetic is scaled by the element size
    q = pe + 3
    print(q[0], (q - 1)[0])
    print(q - pe, pe - q)
    print(cast(usize, q) - cast(usize, pe))
    pp = addr(pairs[0])
    print(cast(usize, pp + 1) - cast(usize, pp), sizeof(Pair))
    # auto-deref of fields, and indexing a struct pointer
    pairs[1].a = 3
    pairs[1].b = 4
    p1 = pp + 1
    print(p1.a, p1.b, sum_pair(p1))
    p1.a = 30
    pp[2].b = 99
    print(pairs[1].a, pairs[2].b)
    # integer <-> pointer and pointer <-> pointer casts
    n = cast(usize, addr(arr[0]))
    back = cast(Ptr[u32], n + 16)
    print(back[0])
    bytes_view = cast(Ptr[u8], addr(arr[1]))
    print(bytes_view[0], bytes_view[1])
    # None is the null pointer
    nothing: Ptr[Pair] = None
    print(nothing is None, nothing is not None, pp is None, pp is not None)
    print(cast(usize, nothing))
    nothing = pp
    if nothing is not None:
        print(nothing.b + 1)
    return 0
