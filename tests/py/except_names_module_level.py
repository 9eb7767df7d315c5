"""At module level, `except E as e` handlers reuse the name e with other exception types."""

import json
try:
    json.loads("{")
except json.JSONDecodeError as e:
    print("json", e.msg, e.pos)
table: dict[str, int] = {}
try:
    table["x"]
except KeyError as e:
    print("key", e.args)
try:
    raise OSError(2, "No such file or directory", "f")
except OSError as e:
    print("os", e.errno, e.strerror, e)
