"""On a read-only disk (tests/test_service_files.py): reading works, every change fails
with CPython's OSError for EROFS."""

import os

with open("data/notes.txt") as f:
    print(repr(f.read()))


def attempt(what: str, action: int) -> None:
    try:
        if action == 0:
            open("data/new.txt", "w")
        elif action == 1:
            open("data/notes.txt", "a")
        elif action == 2:
            os.mkdir("data/dir")
        elif action == 3:
            os.remove("data/notes.txt")
        else:
            os.rename("data/notes.txt", "data/renamed.txt")
        print(what, "worked")
    except OSError as e:
        print(what, type(e).__name__, e.errno, e)


for i, what in enumerate(["create", "append", "mkdir", "remove", "rename"]):
    attempt(what, i)
