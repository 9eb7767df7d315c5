from kaa.lang import *


def main() -> i32:
    x: u32 = 48879
    n: i32 = -5
    b: u8 = 7
    big: u64 = 0xffff_ffff_ffff_ffff
    s = "kaa"
    ok = True
    print(f"{x}")
    print(f"{x:x} {x:X} {x:08x} {x:08X} {b:02x} {b:x}")
    print(f"{b:b} {b:08b} {x:o} {b:o}")
    print(f"[{x:>8}] [{x:<8}] [{x:^8}] [{x:8}]")
    print(f"[{b:^4}] [{b:^5}] [{b:3}] [{b:1}]")
    print(f"[{n}] [{n:4}] [{n:04}] [{n:<4}] [{n:>4}] [{n:^5}]")
    print(f"{-5:04} {-123:06} {42:05}")
    print(f"[{s}] [{s:>10}] [{s:<10}] [{s:^9}] [{s:10}] [{s:2}]")
    print(f"{ok} {not ok} {x > 0}")
    print(f"{{literal}} {{{b}}} }}{{")
    print(f"{big} {big:x} {big:X}")
    print(f"sum={x + 1} neg={-n} shift={b << 4:x}")
    print(f"mac {b:02x}:{x >> 8:02x}:{255:02X}")
    print("text", 42, ok, f"{b:>3}", -7, s)
    print("a", "b", "c")
    print(f"no fields")
    return 0
