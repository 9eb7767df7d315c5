"""json's errors: JSONDecodeError (a ValueError) with its message and fields for bad
documents, UnicodeDecodeError for bad bytes, and dumps' TypeError, ValueError and
RecursionError, all caught and printed."""

import json
from typing import Any


class Opaque:
    pass


BAD_DOCUMENTS = [
    "", "   ", "[1, 2", "[1, 2,]", '{"a": 1,}', '{"a" 1}', '{"a": }', "{1: 2}", "[1 2]", "nul", "tru", "-",
    "01", "1.", ".5", "1e", "+1", '"abc', '"tab\there"', '"\\x"', '"\\u12"', '"\\ud800\\u12x"', "[1] x",
    '{"a": [1, {"b": 2]}', "\n\n   [\n  1,\n  ?\n]", "[\"caf\u00e9\" oops]", "\ufeff[]", "[" * 2000,
]


def try_loads(doc: str) -> None:
    try:
        print("ok", json.loads(doc))
    except json.JSONDecodeError as e:
        print(f"{e}|{e.msg}|{e.pos}|{e.lineno}|{e.colno}|{len(e.doc)}")
    except RecursionError as e:
        print("RecursionError", e)


def try_bytes(doc: bytes) -> None:
    try:
        print("ok", json.loads(doc))
    except UnicodeDecodeError as e:
        print("UnicodeDecodeError", e)
    except ValueError as e:                 # JSONDecodeError is a ValueError
        print("ValueError", e)


def try_dumps(obj: Any, indent: Any = None, allow_nan: bool = True, sort_keys: bool = False,
              skipkeys: bool = False) -> None:
    try:
        print(json.dumps(obj, indent=indent, allow_nan=allow_nan, sort_keys=sort_keys, skipkeys=skipkeys))
    except (TypeError, ValueError, RecursionError) as e:
        print(type(e).__name__, e)


def refuse(o: Any) -> Any:
    raise TypeError("refused")


def same(o: Any) -> Any:
    return o


def decode_errors() -> None:
    for doc in BAD_DOCUMENTS:
        try_loads(doc)
    try:
        json.loads("[1, 2, }")
    except ValueError as e:
        print("caught as ValueError:", e, isinstance(e, json.JSONDecodeError))
    try:
        json.loads("{")
    except json.JSONDecodeError as e:
        print(repr(e))
    for b in [b"\xff", b'"\xe9"', b'["\xed\xa0\x80"]', b"\xff\xfe[\x00", b"\x00\x00\x00[\x00\x11\x00\x00",
              b"[1, 2", b"\xef\xbb\xbf[1]"]:
        try_bytes(b)


def encode_errors() -> None:
    try_dumps({(1, 2): "tuple key"})
    try_dumps({(1, 2): "tuple key", "kept": 1}, skipkeys=True)
    try_dumps({"a": 1, 2: "b"}, sort_keys=True)
    try_dumps([1, {3, 4}])
    try_dumps({"x": b"bytes"})
    try_dumps([Opaque()])
    try_dumps([float("nan")], allow_nan=False)
    try_dumps([float("-inf")], indent=2, allow_nan=False)
    try_dumps({float("inf"): 1}, allow_nan=False)
    try_dumps(10 ** 5000)
    loop: list[Any] = [1, 2]
    loop.append(loop)
    try_dumps(loop)
    try_dumps(loop, indent=1)
    loop.pop()
    table: dict[str, Any] = {}
    table["self"] = table
    try_dumps(table)
    table.clear()
    # (dumps' RecursionError, at 996 levels, is in tests/pyrt/test_json.py: freeing a list
    # nested that deep overflows a booted service's stack, in the runtime's dealloc)
    deep = json.loads("[" * 500 + "]" * 500)
    print(len(json.dumps(deep)))
    try:
        print(json.dumps([Opaque()], default=refuse))
    except TypeError as e:
        print("default raised:", e)
    try:
        print(json.dumps([Opaque()], default=same))
    except ValueError as e:
        print("default gave it back:", e)


decode_errors()
encode_errors()

# a JSONDecodeError the program makes: CPython's constructor computes the position fields
try:
    raise json.JSONDecodeError("Bad thing", "ab\ncd", 4)
except json.JSONDecodeError as e:
    print(e, e.msg, e.pos, e.lineno, e.colno, isinstance(e, ValueError))
try:
    json.loads('{"a": }')
except ValueError as e:
    print(type(e).__name__, e)
