"""memset, memcpy, memmove and memcmp for the kernel target.

gcc emits calls to these for struct copies and large zeroing even in freestanding
code. They are written with `rep stosb` / `rep movsb` (fast on every x86 since Ivy
Bridge) so that gcc cannot turn a loop here back into a call to itself.
"""

from kaa.lang import *


@export("memset")
def memset(dst: Ptr[None], value: i32, n: usize) -> Ptr[None]:
    d = dst
    c = n
    asm("rep stosb", out=[("+D", d), ("+c", c)], ins=[("a", value)], clobbers=["memory"])
    return dst


@export("memcpy")
def memcpy(dst: Ptr[None], src: Ptr[None], n: usize) -> Ptr[None]:
    d = dst
    s = src
    c = n
    asm("rep movsb", out=[("+D", d), ("+S", s), ("+c", c)], clobbers=["memory"])
    return dst


@export("memmove")
def memmove(dst: Ptr[None], src: Ptr[None], n: usize) -> Ptr[None]:
    if cast(u64, dst) <= cast(u64, src) or cast(u64, dst) >= cast(u64, src) + n:
        return memcpy(dst, src, n)
    d = cast(Ptr[u8], dst) + (n - 1)     # overlapping, destination above: copy backwards
    s = cast(Ptr[u8], src) + (n - 1)
    c = n
    asm("std; rep movsb; cld", out=[("+D", d), ("+S", s), ("+c", c)], clobbers=["memory"])
    return dst


@export("memcmp")
def memcmp(a: Ptr[None], b: Ptr[None], n: usize) -> i32:
    p = cast(Ptr[u8], a)
    q = cast(Ptr[u8], b)
    for i in range(n):
        if p[i] != q[i]:
            return i32(p[i]) - i32(q[i])
    return 0
