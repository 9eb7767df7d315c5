"""CRC-32 (IEEE 802.3, as zlib and gzip compute it), table-driven.

    crc = crc32.update(0, data)            # crc32.update(crc, more) continues it

The table is built on first use (1 KiB); update() on a slice of any length.
"""

from kaa.lang import *

table: Array[u32, 256]
ready: bool = False


def init() -> None:
    global ready
    for i in range(256):
        c = u32(i)
        for k in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table[i] = c
    ready = True


def update(crc: u32, data: Bytes) -> u32:
    if not ready:
        init()
    c = ~crc
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return ~c
