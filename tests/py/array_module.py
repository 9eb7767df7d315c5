"""array.array: construction from each kind of initializer, every type code's range
checks (CPython's OverflowError messages), items, slices, methods, operators, bytes."""

import array
from array import array as Array


def show(a: "array.array[int]") -> None:
    print(a, len(a), a.typecode, a.itemsize)


def show_f(a: "array.array[float]") -> None:
    print(a, len(a), a.typecode, a.itemsize)


def setitem_error(a: "array.array[int]", value: int) -> None:
    try:
        a[0] = value
        print("stored", a[0])
    except OverflowError as e:
        print(f"{a.typecode} {value}: OverflowError: {e}")


def ranges() -> None:
    edges = [-2**64, -2**63 - 1, -2**63, -2**31 - 1, -2**31, -2**15 - 1, -2**15, -129, -128, -1, 0,
             127, 128, 255, 256, 2**15 - 1, 2**15, 2**16 - 1, 2**16, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
             2**63 - 1, 2**63, 2**64 - 1, 2**64]
    arrays = [Array("b", [0]), Array("B", [0]), Array("h", [0]), Array("H", [0]), Array("i", [0]),
              Array("I", [0]), Array("l", [0]), Array("L", [0]), Array("q", [0]), Array("Q", [0])]
    for a in arrays:
        for v in edges:
            setitem_error(a, v)


def construction() -> None:
    show(Array("i"))
    show_f(Array("d", [1.0, 2.5]))
    show(Array("b", range(5)))
    show(Array("B", b"\x00\x01\xfe\xff"))
    show(Array("b", b"\x00\x01\xfe\xff"))
    show(Array("h", bytearray(b"\x01\x02\x03\x04")))
    show_f(Array("f", [0.1, 1e300, -2.5]))
    show_f(Array("d", [1, 2, 3]))
    show_f(Array("d", (x / 4 for x in range(3))))
    src = Array("i", [1, -2, 3])
    show(Array("i", src))
    show(Array("q", src))
    show_f(Array("d", src))
    show(array.array("Q", [2**64 - 1, 0]))
    show(array.array("l", [-2**63, 2**63 - 1]))
    x: array.array[int] = array.array("H", [65535])
    y: Array[float] = Array("f")
    show(x)
    show_f(y)
    print(array.typecodes)
    try:
        Array("h", b"\x01\x02\x03")
    except ValueError as e:
        print("ValueError", e)
    try:
        Array("b", [1, 2, 300])
    except OverflowError as e:
        print("OverflowError", e)


def items() -> None:
    a = Array("i", [10, 20, 30, 40])
    print(a[0], a[-1], a[2])
    a[1] = -5
    a[-1] = 2**31 - 1
    print(a)
    for i in (4, -5):
        try:
            print(a[i])
        except IndexError as e:
            print("IndexError", e)
        try:
            a[i] = 0
        except IndexError as e:
            print("IndexError", e)
    try:
        del a[10]
    except IndexError as e:
        print("IndexError", e)
    del a[0]
    print(a)
    f = Array("f", [0.0])
    f[0] = 0.1
    print(f[0], f)
    f[0] = 3
    print(f[0] + 0.5, f)
    d = Array("d", [0.0, 1.0])
    d[1] = 2**53 + 1
    print(d)
    try:
        d[5] = 2**2000
    except IndexError as e:
        print("IndexError", e)
    try:
        d[0] = 2**2000
    except OverflowError as e:
        print("OverflowError", e)
    total = 0.0
    for v in d:
        total += v
    print(total, sum(d), min(d), max(d), sorted(Array("i", [3, 1, 2])))
    print(sum(Array("B", b"\x01\x02\x03")), list(Array("h", [5, -5])), 2 in Array("i", [1, 2]))
    print(3 in Array("i", [1, 2]), 2.0 in Array("d", [2.0]), 1.5 in Array("i", [1, 2]))


def slices() -> None:
    a = Array("i", range(10))
    print(a[2:5], a[::3], a[::-1], a[5:2], a[-3:])
    b = a[1:4]
    b[0] = 100
    print(a[1], b)
    a[2:4] = Array("i", [7, 7, 7])
    print(a)
    a[::2] = Array("i", [0] * len(a[::2]))
    print(a)
    try:
        a[::2] = Array("i", [1])
    except ValueError as e:
        print("ValueError", e)
    try:
        a[0:1] = Array("b", [1])
    except TypeError as e:
        print("TypeError", e)
    a[:] = a
    a[::-1] = a
    print(a)
    del a[1:3]
    print(a)
    del a[::2]
    print(a)
    del a[:]
    print(a, len(a))


def methods() -> None:
    a = Array("h")
    a.append(1)
    a.extend([2, 3, 2])
    a.extend(Array("h", [9]))
    a.insert(0, -1)
    a.insert(100, 8)
    a.insert(-100, 7)
    print(a, a.count(2), a.index(2), a.index(2, 3), a.index(2, -4, -1))
    print(a.pop(), a.pop(0), a.pop(-2), a)
    a.remove(2)
    print(a)
    try:
        a.remove(42)
    except ValueError as e:
        print("ValueError", e)
    try:
        print(a.index(42))
    except ValueError as e:
        print("ValueError", e)
    try:
        a.extend(Array("i", [1]))
    except TypeError as e:
        print("TypeError", e)
    try:
        a.extend([1, 2, 100000, 4])
    except OverflowError as e:
        print("OverflowError", e, a)
    try:
        a.fromlist([5, 6, 100000])
    except OverflowError as e:
        print("OverflowError", e, a)
    a.fromlist([5, 6])
    a.reverse()
    print(a, a.tolist())
    print(a.tobytes())
    a.byteswap()
    print(a)
    a.frombytes(b"\x01\x00")
    a.frombytes(Array("B", [2, 0]))
    print(a)
    try:
        a.frombytes(Array("h", [2]))
    except TypeError as e:
        print("TypeError", e)
    try:
        a.frombytes(b"\x01")
    except ValueError as e:
        print("ValueError", e)
    for n in (0, 1):
        try:
            Array("d", [1.0] * n).pop(3 * n - 1)
        except IndexError as err:
            print("IndexError", err)
    print(Array("d", [1.5, -0.0]).pop(), Array("L", [2**64 - 1]).pop())
    q = Array("q", [1, 2**62, -2**63])
    q.byteswap()
    print(q, q.tobytes().hex())
    print(Array("d", [1.0, 2.0]).tobytes().hex(), Array("f", [1.0]).tobytes())


def operators() -> None:
    a = Array("i", [1, 2])
    b = Array("i", [3])
    print(a + b, a * 3, 2 * b, a * 0, a * -1)
    alias = a
    a += b
    a *= 2
    print(alias, alias is a)
    try:
        print(a + Array("b", [1]))
    except TypeError as e:
        print("TypeError", e)
    try:
        a += Array("b", [1])
    except TypeError as e:
        print("TypeError", e)
    print(Array("i", [1, 2]) == Array("i", [1, 2]), Array("i", [1, 2]) != Array("i", [1, 2]))
    print(Array("i", [1, 2]) == Array("d", [1.0, 2.0]), Array("i", [1, 2]) < Array("i", [1, 3]))
    print(Array("i", [1, 2]) < Array("i", [1, 2, 0]), Array("i", [2]) >= Array("i", [1, 9]))
    print(Array("Q", [2**64 - 1]) > Array("Q", [1]), Array("q", [-1]) < Array("Q", [2**63]))
    nan = float("nan")
    print(Array("d", [nan]) == Array("d", [nan]), Array("d", [nan]) != Array("d", [nan]),
          Array("d", [nan]) < Array("d", [nan]), Array("d", [1.0, nan]) <= Array("d", [1.0, nan]))
    print(Array("d", [0.5]) < Array("d", [0.75]), Array("f", [0.1]) == Array("d", [0.1]))
    if Array("i"):
        print("empty is true")
    if Array("i", [0]):
        print("non-empty is true")
    print(repr(Array("b", [-1])), str(Array("d")), f"{Array('l', [7])}")


class Samples:
    """A fixed window of float samples, as a service keeps them."""

    def __init__(self, size: int) -> None:
        self.values: array.array[float] = array.array("d", [0.0] * size)
        self.next = 0

    def add(self, x: float) -> None:
        self.values[self.next % len(self.values)] = x
        self.next += 1

    def mean(self) -> float:
        n = min(self.next, len(self.values))
        return sum(self.values[:n]) / n if n else 0.0


def histogram(data: bytes) -> "array.array[int]":
    counts = Array("L", bytes(16 * 8))
    for b in data:
        counts[b >> 4] += 1
    return counts


def usage() -> None:
    s = Samples(4)
    for x in (1.0, 2.0, 3.5, 4.0, 10.0, 0.25):
        s.add(x)
    print(s.values, s.mean())
    h = histogram(b"hello, array module \x00\xff")
    print([(i, n) for i, n in enumerate(h) if n])
    data = Array("B", b"abc")
    print(bytes(data), bytearray(Array("h", [1, -1])), bytes(Array("i", [258])))
    words = Array("H", [0x4b41, 0x4141])
    print(words.tobytes().decode("ascii"), list(reversed(words)), [x * 2 for x in words])
    i = 0
    total = 0
    while i < len(words):
        total += words[i]
        i += 1
    print(total, max(words, key=lambda w: w & 0xff), tuple(Array("b", [1, 2])))


construction()
ranges()
items()
slices()
methods()
operators()
usage()
