"""A service keeping its data in files (tests/test_service_files.py runs it under CPython,
built for the host and booted on an ext2 disk): reads what the test put under data/,
then writes, appends, renames, replaces and removes, and prints a digest of the tree.
`store.py verify` (the second boot) only prints the tree and the log."""

import hashlib
import json
import os
import sys

DATA = "data"


def walk(top: str) -> list[str]:
    """Every file and folder under top, sorted, with sizes and digests of the files."""
    out: list[str] = []
    for name in sorted(os.listdir(top)):
        path = os.path.join(top, name)
        if os.path.isdir(path):
            out.append(f"d {path}")
            out += walk(path)
        else:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()[:16]
            out.append(f"f {path} {os.path.getsize(path)} {digest}")
    return out


def read_notes() -> None:
    with open(os.path.join(DATA, "notes.txt"), encoding="utf-8") as f:
        first = f.readline()
        print("first line:", repr(first), "mode", f.mode, "name", f.name)
        print("five chars:", repr(f.read(5)))
        print("rest of line:", repr(f.readline()))
        for i, line in enumerate(f):
            print("line", i, repr(line))
    with open(os.path.join(DATA, "notes.txt")) as f:
        print("lines:", len(f.readlines()))
    with open(os.path.join(DATA, "lf.txt")) as f:
        f.readline()
        at = f.tell()
        second = f.readline()
        f.seek(at)
        print("tell", at, "again", f.readline() == second, "end", f.seek(0, 2))


def read_blob() -> None:
    with open(os.path.join(DATA, "blob.bin"), "rb") as f:
        whole = f.read()
        print("blob", len(whole), hashlib.sha256(whole).hexdigest()[:16], f.tell())
        f.seek(1000)
        a = f.read(10)
        f.seek(-10, 1)
        print("reread", f.read(10) == a, f.tell())
        f.seek(-5, 2)
        print("tail", f.read().hex(), f.read(), f.readline())
        f.seek(0)
        chunks = 0
        while True:
            chunk = f.read(4096)
            if not chunk:
                break
            chunks += 1
        print("chunks", chunks, type(f).__name__)


def write_report() -> None:
    os.makedirs(os.path.join(DATA, "out", "deep"), exist_ok=True)
    os.makedirs(os.path.join(DATA, "out", "deep"), exist_ok=True)
    path = os.path.join(DATA, "out", "report.txt")
    with open(path, "w") as f:
        print("report", 1, "é€😀", sep="|", file=f)
        f.writelines([f"row {i}\n" for i in range(300)])
        print(f.write("no newline at the end"), f.tell())
    with open(path) as f:
        text = f.read()
    print("report", len(text), text.count("\n"), repr(text[-25:]))


def append_log(event: str) -> None:
    with open(os.path.join(DATA, "log.txt"), "a") as f:
        f.write(event + "\n")


def save_json(path: str, value: dict[str, int]) -> None:
    """The durable way: a temporary file, flushed and fsynced, then replaced over the old one."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(json.dumps(value, sort_keys=True))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def change_tree() -> None:
    for event in ("start", "report", "json"):
        append_log(event)
    counts = {"a": 1, "b": 2}
    with open(os.path.join(DATA, "sub", "state.json")) as f:
        counts.update(json.loads(f.read()))
    counts["runs"] = counts.get("runs", 0) + 1
    save_json(os.path.join(DATA, "sub", "state.json"), counts)
    os.rename(os.path.join(DATA, "empty.txt"), os.path.join(DATA, "out", "moved.txt"))
    os.remove(os.path.join(DATA, "sub", "gone.txt"))
    os.mkdir(os.path.join(DATA, "made"))
    os.rmdir(os.path.join(DATA, "made"))
    os.mkdir(os.path.join(DATA, "kept"))
    with open(os.path.join(DATA, "patch.bin"), "r+b") as p:
        p.seek(3)
        p.write(b"XYZ")
        p.seek(0)
        print("patched", p.read(), p.truncate(8), p.tell())
    with open(os.path.join(DATA, "patch.bin"), "rb") as r:
        print("after truncate", r.read())
    with open(os.path.join(DATA, "kept", "new.bin"), "xb") as w:
        w.write(bytes(range(256)) * 40)
    with open(os.path.join(DATA, "kept", "new.bin"), "ab+") as p:
        print("append at", p.tell(), p.write(b"tail"), p.tell())
        p.seek(0)
        print("head", p.read(4).hex(), p.mode)
    st = os.stat(os.path.join(DATA, "kept", "new.bin"))
    print("stat", st.st_size, oct(st.st_mode), st.st_nlink, st.st_mtime > 1_600_000_000)


if len(sys.argv) > 1 and sys.argv[1] == "verify":
    print("\n".join(walk(DATA)))
    with open(os.path.join(DATA, "log.txt")) as log:
        print(log.read().split())
else:
    print("\n".join(walk(DATA)))
    read_notes()
    read_blob()
    write_report()
    change_tree()
    print("\n".join(walk(DATA)))
