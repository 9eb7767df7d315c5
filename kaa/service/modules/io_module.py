"""io: the file objects open() returns (kaa/pyrt/file.c), typed as mypy types them.

The builtin open() (builtins.py b_open) takes its mode as a string literal, which decides
the static type, as typeshed's overloads do: a text mode gives an io.TextIOWrapper
(read() -> str, iteration by str lines), 'rb' an io.BufferedReader, 'wb'/'ab'/'xb' an
io.BufferedWriter and a binary mode with '+' an io.BufferedRandom (all bytes). The four
share one runtime struct and these methods. `with open(...) as f:` calls __enter__ and,
on every way out of the block, __exit__ (statements.py s_With).
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.methods import I64, MethodSpec, P
from kaa.service.modules import Module, NativeType, exception_class
from kaa.service.declare import BUILTIN_CLASSES


def _file_type(name: str, item: T.Type) -> T.NativeT:
    return T.NativeT(name, module="io", cname=f"k_io_{name}_type", elem=item)


TEXT = _file_type("TextIOWrapper", T.STR)
BINARY = {name: _file_type(name, T.BYTES) for name in ("BufferedReader", "BufferedWriter", "BufferedRandom")}


def open_type(mode: str) -> T.NativeT:
    """The static type of open(path, mode) for a literal mode."""
    if "b" not in mode:
        return TEXT
    return BINARY["BufferedRandom" if "+" in mode else "BufferedReader" if "r" in mode else "BufferedWriter"]


def _methods(data: T.Type) -> dict[str, MethodSpec]:
    lines = T.ListT("list", data)
    return {
        "read": MethodSpec("k_file_read", [P("size", I64, "-1")], data),
        "readline": MethodSpec("k_file_readline", [P("size", I64, "-1")], data),
        "readlines": MethodSpec("k_file_readlines", [P("hint", I64, "-1")], lines),
        "write": MethodSpec("k_file_write", [P("s" if data == T.STR else "buffer", data)], T.INT),
        "writelines": MethodSpec("k_file_writelines", [P("lines", T.IteratorT("iterator", data))], T.NONE, "status"),
        "seek": MethodSpec("k_file_seek", [P("offset" if data == T.BYTES else "cookie", I64),
                                           P("whence", I64, "0")], T.INT),
        "tell": MethodSpec("k_file_tell", [], T.INT),
        "truncate": MethodSpec("k_file_truncate", [P("pos" if data == T.STR else "size", T.optional(T.INT),
                                                     "k_None")], T.INT),
        "flush": MethodSpec("k_file_flush", [], T.NONE, "status"),
        "close": MethodSpec("k_file_close", [], T.NONE, "status"),
        "fileno": MethodSpec("k_file_fileno", [], T.INT),
        "readable": MethodSpec("k_file_readable", [], T.BOOL, "tri"),
        "writable": MethodSpec("k_file_writable", [], T.BOOL, "tri"),
        "seekable": MethodSpec("k_file_seekable", [], T.BOOL, "tri"),
        "__enter__": MethodSpec("k_file_enter", [], lambda t: t),
        "__exit__": MethodSpec("k_file_exit", [P(n, T.ANY, "k_None") for n in ("type", "value", "traceback")],
                               T.NONE, "status"),
    }


ATTRIBUTES = {
    "name": MethodSpec("k_file_name", [], T.STR),
    "mode": MethodSpec("k_file_mode", [], T.STR),
    "closed": MethodSpec("k_file_closed", [], T.BOOL, "bool"),
}

MODULES = [Module(
    "io",
    header="file.h",
    types={
        "TextIOWrapper": NativeType(TEXT, _methods(T.STR),
                                    {**ATTRIBUTES, "encoding": MethodSpec("k_file_encoding", [], T.STR)}),
        **{name: NativeType(t, _methods(T.BYTES), ATTRIBUTES) for name, t in BINARY.items()},
    },
    exceptions={"UnsupportedOperation": exception_class("UnsupportedOperation", "io", BUILTIN_CLASSES["OSError"],
                                                        "k_io_UnsupportedOperation_type")},
)]
