from kaa.lang import *


@struct
class Bag:
    items: Array[i32, 4]
    count: i32


squares: Array[u16, 10]


def fill(a: Ptr[Array[i32, 4]], base: i32) -> None:
    for i in range(4):
        a[0][i] = base + i32(i)


def total(s: Slice[i32]) -> i32:
    t: i32 = 0
    for v in s:
        t += v
    return t


def main() -> i32:
    # A local array is zeroed.
    a: Array[i32, 5]
    print(len(a), a[0], a[4])
    for i in range(len(a)):
        a[i] = i32(i) * 3
    acc = 0
    for x in a:
        acc = acc * 100 + x
    print(acc)
    # Assignment copies the whole array.
    b = a
    b[0] = 99
    print(a[0], b[0], b[4])
    # A slice of an array is a view of the same storage.
    s = a[1:4]
    print(len(s), s[0], s[2])
    s[0] = -1
    print(a[1], total(s))
    # Global arrays.
    for i in range(10):
        squares[i] = u16(i * i)
    print(squares[9], len(squares))
    sq_sum: u32 = 0
    for v in squares:
        sq_sum += v
    print(sq_sum)
    # Arrays inside structs copy with the struct.
    bag: Bag
    fill(addr(bag.items), 10)
    bag.count = 4
    other = bag
    other.items[0] = 0
    print(bag.items[0], bag.items[3], other.items[0], other.count)
    print(total(bag.items[0:4]), total(other.items[1:3]))
    # Arrays of arrays.
    grid: Array[Array[u8, 3], 2]
    grid[1][2] = 7
    grid[0][0] = 1
    print(grid[1][2], grid[0][0], grid[1][0], len(grid), len(grid[0]))
    return 0
