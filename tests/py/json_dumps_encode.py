"""json.dumps(...).encode() and .encode("utf-8"), which the compiler fuses into one call making
bytes (the same bytes as CPython), and an encoding it does not fuse."""

import json
from json import dumps
from typing import Any

v: Any = {"a": [1, 2.5, "é\u2028", None, True], "b": {"x": "y"}}
print(json.dumps(v).encode(), json.dumps(v, ensure_ascii=False).encode("utf-8"))
print(dumps(v, indent=2, sort_keys=True).encode("UTF-8"), json.dumps("é").encode("latin-1"))
try:
    json.dumps({"k": float("nan")}, allow_nan=False).encode()
except ValueError as e:
    print("ValueError:", e)
