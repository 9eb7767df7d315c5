"""json: dumps and loads (kaa/pyrt/json.c, json_decode.c), CPython 3.11's output and errors.

dumps takes any value (it arrives as Any) and the keyword arguments of CPython's, less cls;
loads takes a str, bytes or bytearray and returns Any (dicts, lists, strs, ints, floats,
bools, None). json.JSONDecodeError is a ValueError whose fields (msg, doc, pos, lineno,
colno) are the runtime struct's (json.h), in the same order: loads sets them, and so
does a program's JSONDecodeError(msg, doc, pos) (k_JSONDecodeError_new, CPython's
__init__). No dump/load: services have no files.
"""

from __future__ import annotations

from kaa.service import types as T
from kaa.service.declare import BUILTIN_CLASSES
from kaa.service.methods import CBOOL, MethodSpec, P
from kaa.service.modules import Module, exception_class

DEFAULT_FN = T.optional(T.CallableT("callable", (T.ANY,), T.ANY))
SEPARATORS = T.optional(T.TupleT("tuple", (T.STR, T.STR)))

JSON_DECODE_ERROR = exception_class("JSONDecodeError", "json.decoder", BUILTIN_CLASSES["ValueError"],
                                    "k_JSONDecodeError_type")
JSON_DECODE_ERROR.fields.update({"msg": T.STR, "doc": T.STR, "pos": T.INT, "lineno": T.INT, "colno": T.INT})

MODULES = [
    Module(
        "json",
        header="json.h",
        functions={
            "dumps": MethodSpec("k_json_dumps", [
                P("obj", T.ANY), P("skipkeys", CBOOL, "0"), P("ensure_ascii", CBOOL, "1"),
                P("check_circular", CBOOL, "1"), P("allow_nan", CBOOL, "1"), P("indent", T.ANY, "k_None"),
                P("separators", SEPARATORS, "k_None"), P("default", DEFAULT_FN, "k_None"),
                P("sort_keys", CBOOL, "0")], T.STR, utf8="k_json_dumps_utf8"),
            "loads": MethodSpec("k_json_loads", [P("s", T.ANY)], T.ANY),
            # JSONDecodeError(msg, doc, pos): CPython's __init__ (fields from doc and pos)
            "JSONDecodeError": MethodSpec("k_JSONDecodeError_new", [P("msg", T.STR), P("doc", T.STR), P("pos", T.INT)],
                                          JSON_DECODE_ERROR.instance),
        },
        exceptions={"JSONDecodeError": JSON_DECODE_ERROR},
    ),
]
