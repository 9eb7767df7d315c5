"""The file system's error codes (ext2 and the vfs above it), numbered as errno.

Operations return 0 or a positive count on success and the negated code on failure,
so `n = vfs.read(fd, buf)` is either a byte count or `-Error.X`; `name(n)` gives the
message for either sign. CORRUPT is what a damaged image earns: the operation stops,
the file system stays mounted and nothing is written on the strength of bad data.
"""

from __future__ import annotations

from kaa.lang import *
from kernel.fs.block_device import BlockError


class Error(IntEnum):
    OK = 0
    NOT_FOUND = 2
    IO = 5
    BAD_HANDLE = 9
    NO_MEMORY = 12
    BUSY = 16
    EXISTS = 17
    NOT_DIR = 20
    IS_DIR = 21
    INVALID = 22
    TOO_MANY_OPEN = 24
    FILE_TOO_BIG = 27
    NO_SPACE = 28
    READ_ONLY = 30
    TOO_MANY_LINKS = 31
    NAME_TOO_LONG = 36
    NOT_EMPTY = 39
    NOT_SUPPORTED = 95
    NOT_MOUNTED = 107
    CORRUPT = 117


def name(e: i64) -> Str:
    code = -e if e < 0 else e
    if code == Error.OK:
        return "ok"
    if code == Error.NOT_FOUND:
        return "no such file or directory"
    if code == Error.IO:
        return "I/O error"
    if code == Error.BAD_HANDLE:
        return "bad file handle"
    if code == Error.NO_MEMORY:
        return "out of memory"
    if code == Error.BUSY:
        return "file is open"
    if code == Error.EXISTS:
        return "file exists"
    if code == Error.NOT_DIR:
        return "not a directory"
    if code == Error.IS_DIR:
        return "is a directory"
    if code == Error.INVALID:
        return "invalid argument"
    if code == Error.TOO_MANY_OPEN:
        return "too many open files"
    if code == Error.FILE_TOO_BIG:
        return "file too large"
    if code == Error.NO_SPACE:
        return "no space left on device"
    if code == Error.READ_ONLY:
        return "read-only file system"
    if code == Error.TOO_MANY_LINKS:
        return "too many links"
    if code == Error.NAME_TOO_LONG:
        return "file name too long"
    if code == Error.NOT_EMPTY:
        return "directory not empty"
    if code == Error.NOT_SUPPORTED:
        return "not supported"
    if code == Error.NOT_MOUNTED:
        return "no file system mounted"
    if code == Error.CORRUPT:
        return "file system corrupt"
    return "unknown error"


def from_block(e: i32) -> i64:
    """The (negative) file-system error for a BlockError."""
    if e == BlockError.OK:
        return 0
    if e == BlockError.NO_MEMORY:
        return -Error.NO_MEMORY
    if e == BlockError.READ_ONLY:
        return -Error.READ_ONLY
    if e == BlockError.RANGE:
        return -Error.CORRUPT        # a block number past the disk came from the image
    return -Error.IO
