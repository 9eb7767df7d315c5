"""os: the environment a service is configured by, and its files (kaa/pyrt/os_module.c).

A booted service has no process environment: its settings are the NAME=value words of
the kernel command line (`kaa run app.py -- PORT=8080`), so `os.environ.get("PORT",
"80")` reads the same setting under CPython (from the shell) and booted.

Files are the disk's booted (kernel/fs/file_bridge.py: mounted at "/", which is also the
working directory) and the host's with --target host (kernel/platform/host_files.py).
os.path is a module of its own here, reached as `os.path` after `import os` as in CPython.
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.methods import CBOOL, I64, MethodSpec, P
from kaa.service.modules import Module, NativeType

STAT_RESULT = T.NativeT("stat_result", module="os", cname="k_os_stat_result_type")
PATH = P("path", T.STR)
STAT_ATTRIBUTES = {
    **{name: MethodSpec(f"k_os_stat_result_{name}", [], T.INT)
       for name in ("st_mode", "st_ino", "st_nlink", "st_size", "st_atime_ns", "st_mtime_ns", "st_ctime_ns")},
    **{name: MethodSpec(f"k_os_stat_result_{name}", [], T.FLOAT, "double") for name in ("st_atime", "st_mtime",
                                                                                      "st_ctime")},
}
# os.path.join(a, *p) takes up to 8 parts (the C function's fixed arity)
JOIN_PARTS = [P("a", T.STR)] + [P(f"_p{i}", T.STR, "0") for i in range(1, 8)]

MODULES = [Module(
    "os",
    header="os_module.h",
    functions={
        "getenv": MethodSpec("k_os_getenv", [P("key", T.STR), P("default", T.optional(T.STR), "k_None")],
                             T.optional(T.STR)),
        "urandom": MethodSpec("k_os_urandom", [P("size", T.INT)], T.BYTES),
        "listdir": MethodSpec("k_os_listdir", [P("path", T.optional(T.STR), "k_None")], T.ListT("list", T.STR)),
        "mkdir": MethodSpec("k_os_mkdir", [PATH, P("mode", I64, "0777")], T.NONE, "status"),
        "makedirs": MethodSpec("k_os_makedirs", [P("name", T.STR), P("mode", I64, "0777"),
                                                 P("exist_ok", CBOOL, "0")], T.NONE, "status"),
        "remove": MethodSpec("k_os_remove", [PATH], T.NONE, "status"),
        "unlink": MethodSpec("k_os_remove", [PATH], T.NONE, "status"),
        "rmdir": MethodSpec("k_os_rmdir", [PATH], T.NONE, "status"),
        "rename": MethodSpec("k_os_rename", [P("src", T.STR), P("dst", T.STR)], T.NONE, "status"),
        "replace": MethodSpec("k_os_rename", [P("src", T.STR), P("dst", T.STR)], T.NONE, "status"),
        "stat": MethodSpec("k_os_stat", [PATH], STAT_RESULT),
        "fstat": MethodSpec("k_os_fstat", [P("fd", I64)], STAT_RESULT),
        "fsync": MethodSpec("k_os_fsync", [P("fd", T.ANY)], T.NONE, "status"),
    },
    values={"environ": ("k_os_environ_new()", T.DictT("dict", T.STR, T.STR))},
    types={"stat_result": NativeType(STAT_RESULT, {}, STAT_ATTRIBUTES)},
), Module(
    "os.path",
    functions={
        "join": MethodSpec("k_os_path_join", JOIN_PARTS, T.STR),
        "basename": MethodSpec("k_os_path_basename", [P("p", T.STR)], T.STR),
        "dirname": MethodSpec("k_os_path_dirname", [P("p", T.STR)], T.STR),
        "split": MethodSpec("k_os_path_split", [P("p", T.STR)], T.TupleT("tuple", (T.STR, T.STR))),
        "splitext": MethodSpec("k_os_path_splitext", [P("p", T.STR)], T.TupleT("tuple", (T.STR, T.STR))),
        "isabs": MethodSpec("k_os_path_isabs", [P("s", T.STR)], T.BOOL, "bool"),
        "exists": MethodSpec("k_os_path_exists", [PATH], T.BOOL, "bool"),
        "isfile": MethodSpec("k_os_path_isfile", [PATH], T.BOOL, "bool"),
        "isdir": MethodSpec("k_os_path_isdir", [P("s", T.STR)], T.BOOL, "bool"),
        "getsize": MethodSpec("k_os_path_getsize", [P("filename", T.STR)], T.INT),
        "getmtime": MethodSpec("k_os_path_getmtime", [P("filename", T.STR)], T.FLOAT, "double"),
    },
)]
