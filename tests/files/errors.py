"""What goes wrong with files, as CPython reports it: each case prints the exception's
class, message and errno (tests/test_service_files.py compares CPython, the host build
and a booted run on an ext2 disk). Works in data/, which holds notes.txt and sub/."""

import io
import os


def report(what: str, e: Exception) -> None:
    errno = e.errno if isinstance(e, OSError) else None
    print(f"{what}: {type(e).__name__}: {e} (errno {errno})")


def expect_failure(what: str, action: int) -> None:
    """Runs case number `action`; it must raise."""
    try:
        run(action)
    except (OSError, ValueError, LookupError) as e:
        report(what, e)
    else:
        print(f"{what}: no error")


def run(action: int) -> None:
    if action == 0:
        open("data/missing.txt")
    elif action == 1:
        open("data/sub")
    elif action == 2:
        open("data/notes.txt", "x")
    elif action == 3:
        os.mkdir("data/sub")
    elif action == 4:
        os.listdir("data/notes.txt")
    elif action == 5:
        os.rmdir("data/sub")
    elif action == 6:
        os.remove("data/sub")
    elif action == 7:
        os.rename("data/nothing", "data/something")
    elif action == 8:
        os.rmdir("data/notes.txt")
    elif action == 9:
        open("data/nowhere/new.txt", "w")
    elif action == 10:
        open("data/notes.txt/inside")
    elif action == 11:
        os.stat("data/missing.txt")
    elif action == 12:
        with open("data/notes.txt", "a") as f:
            f.read()
    elif action == 13:
        with open("data/notes.txt") as g:
            g.write("x")
    elif action == 14:
        h = open("data/notes.txt")
        h.close()
        h.read()
    elif action == 15:
        open("data/notes.txt", "rw")
    elif action == 16:
        open("data/notes.txt", "rb", encoding="utf-8")
    elif action == 17:
        os.makedirs("data/sub")
    elif action == 18:
        open("")
    elif action == 19:
        open("data/a\0b")
    elif action == 20:
        with open("data/notes.txt") as t:
            t.seek(3, 1)
    elif action == 21:
        with open("data/notes.txt", "rb") as b:
            b.seek(-1)
    elif action == 22:
        open("data/missing", "r+")
    elif action == 23:
        with open("data/notes.txt", "wt+") as wt:
            wt.write("rewritten\n")
            wt.seek(0)
            print("wt+:", repr(wt.read()))
            open("data/notes.txt", "rt", encoding="latin-9")
    elif action == 24:
        os.replace("data/sub", "data/notes.txt")
    elif action == 25:
        os.listdir("data/gone")


CASES = ["missing file", "directory", "exclusive on existing", "mkdir existing", "listdir of a file",
         "rmdir non-empty", "remove a directory", "rename missing", "rmdir a file", "missing parent",
         "file as a folder", "stat missing", "read write-only", "write read-only", "closed", "bad mode",
         "binary encoding", "makedirs existing", "empty path", "null byte", "text relative seek",
         "negative binary seek", "r+ missing", "unknown encoding", "replace file by folder", "listdir missing"]

for i, case in enumerate(CASES):
    expect_failure(case, i)
try:
    with open("data/notes.txt") as n:
        n.close()
        print("closed inside with:", n.closed)
    print("with after close: fine")
    open("data/sub/x.txt", "w").close()
    print(sorted(os.listdir("data/sub")), os.path.exists("data/nope"), os.path.isfile("data/sub"),
          os.path.isdir("data/sub/x.txt"), os.path.exists("data/a\0b"))
except io.UnsupportedOperation as e:
    print("unexpected", e)
