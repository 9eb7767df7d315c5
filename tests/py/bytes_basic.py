"""bytes and bytearray: literals, indexing, slicing, repr, concatenation, mutation, decode."""


def literals() -> None:
    b = b"Hello\x00\xff\n\t'\"\\"
    print(b, len(b), b[0], b[-1], b[1:5], b[::-1])
    print(b"", b"'", b'"', b"'\"", bytes([0, 65, 127, 128, 255]), bytes(3))
    print(list(b"abc"), b"abc" + b"def", b"ab" * 3, b"b" in b"abc", b"ab" in b"abc", 98 in b"abc")
    print(b"abc" == b"abc", b"abc" < b"abd", b"ab" < b"abc", b"a,b,,c".split(b","))
    for byte in b"Kaa":
        print(byte, chr(byte))


def mutable() -> None:
    buf = bytearray()
    buf.append(72)
    buf.extend(b"ello")
    buf += b", world"
    print(buf, len(buf))
    buf[0] = 104
    buf[-1] = 68
    print(buf, buf.decode(), bytes(buf))
    buf2 = bytearray(b"abcdef")
    for i in range(len(buf2)):
        buf2[i] = buf2[i] - 32 if i % 2 == 0 else buf2[i]
    print(buf2, buf2[2:], buf2[::2], buf2[-1], len(buf2))
    print(bytearray(4), bytearray([1, 2, 3]) == bytearray(b"\x01\x02\x03"))


def decoding() -> None:
    data = "naïve café 日本 😀".encode("utf-8")
    print(data)
    print(data.decode("utf-8"), len(data), len(data.decode()))
    try:
        print(b"\xff\xfe".decode("utf-8"))
    except ValueError as e:
        print("ValueError:", e)
    try:
        print(bytes([300]))
    except ValueError as e:
        print("ValueError:", e)
    checksum = 0
    for byte in data:
        checksum = (checksum * 31 + byte) % 65521
    print(checksum)


if __name__ == "__main__":
    literals()
    mutable()
    decoding()
