"""bytes.fromhex and bytearray.fromhex, with CPython 3.11's errors."""

print(bytes.fromhex("00ff 10\n Ab"), bytearray.fromhex(""), bytes.fromhex("deadbeef").hex())
for bad in ["abc", "0g", "é0", "12 3", " 1"]:
    try:
        print(bytes.fromhex(bad))
    except ValueError as e:
        print(e)
