# kernel/lib/siphash.py on the host: stdin has one request a line, "KEYHEX MSGHEX" (a
# 16-byte key, a message of any length, both in hex; "-" for an empty message). Each
# prints hash()'s value as 16 hex digits; a message of 8 or 12 bytes also prints what
# hash8() or hash12() gives for it, after a space (the same value when they agree).
from kaa.lang import *
import kernel.lib.siphash as siphash
import http_io
import net_hex

key_buf: Array[u8, 16]
msg_buf: Array[u8, 4096]


def le64(b: Bytes, at: u64, n: u64) -> u64:
    v: u64 = 0
    for i in range(n):
        v |= u64(b[at + u64(i)]) << u32(8 * i)
    return v


def main() -> i32:
    s = http_io.script()
    pos: i64 = 0
    while True:
        key_hex = http_io.next_word(s, addr(pos))
        if len(key_hex) == 0:
            return 0
        msg_hex = http_io.next_word(s, addr(pos))
        kb = net_hex.unhex(key_hex, Bytes(ptr=addr(key_buf[0]), len=16))
        if len(kb) != 16:
            print("bad key")
            return 1
        k = siphash.Key(k0=le64(kb, 0, 8), k1=le64(kb, 8, 8))
        m = net_hex.unhex(msg_hex, Bytes(ptr=addr(msg_buf[0]), len=len(msg_buf)))
        h = siphash.hash(addr(k), m)
        if len(m) == 8:
            print(f"{h:016x} {siphash.hash8(addr(k), le64(m, 0, 8)):016x}")
        elif len(m) == 12:
            print(f"{h:016x} {siphash.hash12(addr(k), le64(m, 0, 8), u32(le64(m, 8, 4))):016x}")
        else:
            print(f"{h:016x}")
