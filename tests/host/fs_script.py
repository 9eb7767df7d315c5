# The file-operation script both ext2 test programs run over kernel/fs/vfs.py: the
# host one (tests/host/fs_tool.py, over a RAM disk holding an image file) and the booted
# one (tests/kernel/fs_disk.py, over virtio-blk). One operation a line; each prints
# one result line (errors as "OP PATH err CODE NAME"), which tests/test_fs*.py compare
# against a model of the tree:
#   walk                     every entry under /: "d PATH", "f PATH SIZE CRC32", "o PATH TYPE"
#   cat PATH                 "f PATH SIZE CRC32" (at most max_read bytes)
#   readat PATH OFFSET SIZE  "r PATH OFFSET N CRC32" of the N bytes read there
#   stat PATH                "stat PATH KIND SIZE LINKS"
#   ls PATH                  "ls PATH NAME1 NAME2 ..." in directory order
#   write PATH OFFSET SIZE SEED    (creates the file) SIZE <= 1 MiB of the seed's data
#   append PATH SIZE SEED
#   trunc PATH SIZE
#   mkdir PATH | rmdir PATH | rm PATH | mv OLD NEW | create PATH | sync
# The data for SEED is the little-endian bytes of x = xorshift64(x) (13, 7, 17) from
# x = SEED * 0x9E3779B97F4A7C15 + 1, from the first byte of each write.
from kaa.lang import *
import kernel.fs.error as error
import kernel.fs.vfs as vfs
from kernel.fs.ext2_dir import Entry

CHUNK: Final = 1 << 20

crc_table: Array[u32, 256]
io: Array[u8, 1048576]
path_buf: Array[u8, 4096]
max_read: u64 = 1 << 40


def crc_init() -> None:
    for i in range(256):
        c = u32(i)
        for k in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        crc_table[i] = c


def crc_update(crc: u32, data: Ptr[u8], n: u64) -> u32:
    c = ~crc
    for i in range(n):
        c = crc_table[(c ^ data[i]) & 0xFF] ^ (c >> 8)
    return ~c


def report(op: Str, path: Str, r: i64) -> None:
    if r < 0:
        print(f"{op} {path} err {-r} {error.name(r)}")
    else:
        print(f"{op} {path} ok")


def cat(path: Str) -> None:
    fd = vfs.open(path, vfs.READ)
    if fd < 0:
        report("cat", path, fd)
        return
    crc: u32 = 0
    total: u64 = 0
    while total < max_read:
        n = vfs.read(fd, Bytes(ptr=addr(io[0]), len=CHUNK))
        if n < 0:
            vfs.close(fd)
            report("cat", path, n)
            return
        if n == 0:
            break
        crc = crc_update(crc, addr(io[0]), u64(n))
        total += u64(n)
    vfs.close(fd)
    print(f"f {path} {total} {crc:08x}")


def walk(path: Ptr[u8], plen: u64, depth: i32) -> None:
    here = Str(ptr=path, len=plen if plen > 0 else 1)
    if depth > 64:
        print(f"too deep {here}")
        return
    fd = vfs.opendir(here)
    if fd < 0:
        report("walk", here, fd)
        return
    e: Entry
    while True:
        r = vfs.readdir(fd, addr(e))
        if r <= 0:
            if r < 0:
                report("walk", here, r)
            break
        if plen + 1 + e.name_len >= 4000:
            continue
        path[plen] = 47
        for i in range(e.name_len):
            path[plen + 1 + i] = e.name[i]
        child = Str(ptr=path, len=plen + 1 + e.name_len)
        if e.file_type == vfs.KIND_DIR:
            print(f"d {child}")
            walk(path, plen + 1 + e.name_len, depth + 1)
        elif e.file_type == vfs.KIND_FILE:
            cat(child)
        else:
            print(f"o {child} {e.file_type}")
    vfs.close(fd)


def fill(seed: u64, n: u64) -> None:
    fill_into(addr(io[0]), seed, n)


def fill_into(buf: Ptr[u8], seed: u64, n: u64) -> None:
    """n bytes of SEED's data stream."""
    x = seed * 0x9E3779B97F4A7C15 + 1
    i: u64 = 0
    while i < n:
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        for k in range(8):
            if i + u64(k) < n:
                buf[i + u64(k)] = u8(x >> (8 * u64(k)))
        i += 8


def write_file(path: Str, offset: u64, size: u64, seed: u64, append: bool) -> i64:
    flags = vfs.WRITE | vfs.CREATE | (vfs.APPEND if append else 0)
    fd = vfs.open(path, u32(flags))
    if fd < 0:
        return fd
    r: i64 = 0
    if not append:
        r = vfs.seek(fd, offset)
    if size > CHUNK:
        size = CHUNK
    fill(seed, size)
    if r == 0:
        r = vfs.write(fd, Bytes(ptr=addr(io[0]), len=size))
        if r >= 0 and u64(r) != size:
            print(f"short write {r} of {size}")
    vfs.close(fd)
    return r if r < 0 else 0


def trunc(path: Str, size: u64) -> i64:
    fd = vfs.open(path, vfs.WRITE)
    if fd < 0:
        return fd
    r = vfs.truncate(fd, size)
    vfs.close(fd)
    return r


def readat(path: Str, offset: u64, size: u64) -> None:
    fd = vfs.open(path, vfs.READ)
    if fd < 0:
        report("readat", path, fd)
        return
    if size > CHUNK:
        size = CHUNK
    vfs.seek(fd, offset)
    n = vfs.read(fd, Bytes(ptr=addr(io[0]), len=i64(size)))
    vfs.close(fd)
    if n < 0:
        report("readat", path, n)
    else:
        print(f"r {path} {offset} {n} {crc_update(0, addr(io[0]), u64(n)):08x}")


def stat(path: Str) -> None:
    st: vfs.Stat
    r = vfs.stat(path, addr(st))
    if r < 0:
        report("stat", path, r)
    else:
        print(f"stat {path} {st.kind} {st.size} {st.links}")


def ls(path: Str) -> None:
    entries = new_array(Entry, 512)
    n = vfs.listdir(path, entries)
    if n < 0:
        report("ls", path, n)
        free(entries)
        return
    line: Array[u8, 8192]
    w = Writer(buf=addr(line[0]), cap=len(line))
    w.write(f"ls {path}")
    for i in range(n):
        w.write(" ")
        w.write(entries[i].text())
    free(entries)
    print(w.text())


def number(s: Str) -> u64:
    n: u64 = 0
    for c in s:
        if c < 48 or c > 57:
            return n
        n = n * 10 + u64(c - 48)
    return n


def run_line(line: Str) -> None:
    words: Array[Str, 5]
    count = 0
    start = 0
    for i in range(len(line) + 1):
        if i == len(line) or line[i] == 32:
            if i > start and count < 5:
                words[count] = line[start:i]
                count += 1
            start = i + 1
    if count == 0:
        return
    op = words[0]
    a = words[1] if count > 1 else ""
    if op == "walk":
        path_buf[0] = 47
        walk(addr(path_buf[0]), 0, 0)
    elif op == "cat":
        cat(a)
    elif op == "readat" and count == 4:
        readat(a, number(words[2]), number(words[3]))
    elif op == "stat":
        stat(a)
    elif op == "ls":
        ls(a)
    elif op == "write" and count == 5:
        report(op, a, write_file(a, number(words[2]), number(words[3]), number(words[4]), False))
    elif op == "append" and count == 4:
        report(op, a, write_file(a, 0, number(words[2]), number(words[3]), True))
    elif op == "trunc" and count == 3:
        report(op, a, trunc(a, number(words[2])))
    elif op == "mkdir":
        report(op, a, vfs.mkdir(a))
    elif op == "rmdir":
        report(op, a, vfs.rmdir(a))
    elif op == "rm":
        report(op, a, vfs.unlink(a))
    elif op == "mv" and count == 3:
        report(op, a, vfs.rename(a, words[2]))
    elif op == "create":
        fd = vfs.open(a, vfs.WRITE | vfs.CREATE | vfs.EXCLUSIVE)
        if fd >= 0:
            vfs.close(fd)
        report(op, a, fd if fd < 0 else 0)
    elif op == "sync":
        report(op, "/", vfs.sync())
    else:
        print(f"bad line {line}")




def run(script: Ptr[u8], size: u64) -> None:
    """Run every line of the script."""
    crc_init()
    start: u64 = 0
    for i in range(size + 1):
        if i == size or script[i] == 10:
            if i > start:
                run_line(Str(ptr=script + start, len=i - start))
            start = i + 1
