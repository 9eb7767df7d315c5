from kaa.lang import *


@struct
class Node:
    value: i32
    next: Ptr[Node]


@struct
class Big:
    data: Array[u64, 32]
    tag: u8


def push(head: Ptr[Node], v: i32) -> Ptr[Node]:
    n = new(Node)
    n.value = v
    n.next = head
    return n


def length(head: Ptr[Node]) -> i32:
    n: i32 = 0
    cur = head
    while cur:
        n += 1
        cur = cur.next
    return n


def free_list(head: Ptr[Node]) -> i32:
    freed: i32 = 0
    cur = head
    while cur is not None:
        nxt = cur.next
        free(cur)
        freed += 1
        cur = nxt
    return freed


def main() -> i32:
    # new(T) is zeroed.
    b = new(Big)
    print(b.data[0], b.data[31], b.tag)
    b.data[31] = 0xffff_ffff_ffff
    b.tag = 1
    print(b.data[31], b.tag)
    free(b)
    one = new(u64)
    print(one[0])
    one[0] = 12345
    print(one[0])
    free(one)
    # A linked list built with new and walked.
    head: Ptr[Node] = None
    print(length(head))
    for i in range(1, 6):
        head = push(head, i32(i * i))
    print(length(head), head.value, head.next.value)
    acc = 0
    cur = head
    while cur is not None:
        acc = acc * 100 + cur.value
        cur = cur.next
    print(acc)
    print(head.next.next.next.next.next is None)
    # try_new returns a pointer when memory is available.
    t = try_new(Node)
    print(t is not None, t.value, t.next is None)
    t.next = head
    print(length(t))
    free(t)
    print(free_list(head))
    # new_array is zeroed and distinct allocations do not overlap.
    s1 = new_array(u16, 100)
    s2 = new_array(u16, 100)
    zeros = 0
    for v in s1:
        if v == 0:
            zeros += 1
    for i in range(len(s1)):
        s1[i] = 1
    for v in s2:
        if v == 0:
            zeros += 1
    print(zeros, len(s2))
    free(s1)
    free(s2)
    return 0
