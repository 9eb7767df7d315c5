"""isinstance narrows an Optional[Any] (what d.get(k) gives on a dict[str, Any]), as mypy does,
in if tests and on the right of or/and."""

from typing import Any
import json
d: dict[str, Any] = json.loads('{"a": " x ", "b": true, "c": 3, "e": 2.5}')
for k in "abcez":
    v = d.get(k)
    if not isinstance(v, str) or not v.strip():
        print(k, "not a non-blank str")
    else:
        print(k, v.strip())
    w = d.get(k)
    if isinstance(w, int):
        print(k, "int", w + 1)
    if isinstance(w, float):
        print(k, "float", w * 2)
