"""json.dumps of typed values with every option, json.loads of documents (printed as
Python values), round trips through both, bytes input in UTF-8, -16 and -32."""

import json
from typing import Any, Optional


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y


def point_to_json(o: Any) -> Any:
    if isinstance(o, Point):
        return {"x": o.x, "y": o.y}
    raise TypeError(f"cannot serialise {o!r}")


def show_dumps() -> None:
    scores: dict[str, int] = {"alice": 3, "bob": -17, "zoë": 2 ** 70}
    print(json.dumps(scores))
    print(json.dumps(scores, sort_keys=True))
    print(json.dumps(scores, ensure_ascii=False))
    print(json.dumps([0.1, -0.0, 1e16, 1.5e-7, 2.0 ** 60, float("nan"), float("inf"), -float("inf")]))
    print(json.dumps([None, True, False, "", "tab\there", 'quote " and \\ slash /']))
    print(json.dumps("control \x00\x01\x1f\x7f and \u2028 é 😀"))
    print(json.dumps("control \x00\x1f\x7f and \u2028 é 😀", ensure_ascii=False))
    nested: dict[str, list[Optional[int]]] = {"a": [1, None, 3], "b": [], "c": [None]}
    print(json.dumps(nested))
    print(json.dumps(nested, indent=2))
    print(json.dumps(nested, indent=0))
    print(json.dumps(nested, indent="\t", sort_keys=True))
    print(json.dumps(nested, indent=-1))
    print(json.dumps(nested, separators=(",", ":")))
    print(json.dumps(nested, indent=1, separators=(" ,", " = ")))
    pairs: list[tuple[str, float]] = [("pi", 3.14159), ("e", 2.71828)]
    print(json.dumps(pairs))
    keys: dict[int, str] = {3: "three", 1: "one", -2: "minus two"}
    print(json.dumps(keys), json.dumps(keys, sort_keys=True))
    fkeys: dict[float, bool] = {0.5: True, 1e100: False}
    print(json.dumps(fkeys))
    print(json.dumps({"empty": {}, "list": [[], [[]]]}, indent=3))
    print(json.dumps([Point(1, 2), Point(-3, 4)], default=point_to_json))
    print(json.dumps(12345678901234567890123456789), json.dumps(-5), json.dumps(2.5), json.dumps(None))


def show_loads() -> None:
    doc = '{"name": "kaa", "tags": ["snake", "unikernel"], "version": 1.5, "stable": false, "parent": null}'
    v = json.loads(doc)
    print(v)
    print(json.dumps(v, sort_keys=True, indent=1))
    print(json.loads('[1, -2, 3.0, 1e3, 1E-3, -0.0, 123456789012345678901234567890, 1.7976931348623157e309]'))
    print(json.loads(' "\\u00e9\\n\\t\\"\\\\\\/\\ud83d\\ude00 é" '))
    print(json.loads('{"dup": 1, "other": 2, "dup": 3}'))
    print(json.loads("[NaN, Infinity, -Infinity]"))
    print(json.loads("\n\t\r [ ] \n"), json.loads("{}"), json.loads("true"), json.loads("null"))
    print(json.loads(b'{"bytes": [1, 2]}'))
    print(json.loads(bytearray(b'["bytearray"]')))
    print(json.loads(b'\xff\xfe[\x00"\x00c\x00a\x00f\x00\xe9\x00"\x00,\x00 \x001\x00]\x00'))     # UTF-16, BOM
    print(json.loads(b'\x00[\x00"\xd8=\xde\x00\x00"\x00]'))                                 # UTF-16-BE
    print(json.loads(b'\x00\x00\x00[\x00\x00\x00"\x00\x01\xf6\x00\x00\x00\x00"\x00\x00\x00]'))  # UTF-32-BE
    print(json.loads(b'\xef\xbb\xbf{"bom": true}'))
    text = json.loads('["\u00e9t\u00e9 \u00e0 Z\u00fcrich", "zo\u00eb", "more than sixteen bytes after"]')
    print(len(text), len(text[0]), text[0][1], text[0][-1], len(text[1]), text[1][2])


def show_round_trips() -> None:
    values: list[Any] = [
        {"a": [1, 2, {"b": None}], "c": "d\u00e9", "e": 1.25},
        [True, False, None, 0, -1, 2 ** 64, 0.1, "", "x" * 40],
        "just a string",
        3.0,
        {"nested": {"deeper": {"deepest": [[[[]]]]}}},
    ]
    for x in values:
        for ascii_only in (True, False):
            text = json.dumps(x, ensure_ascii=ascii_only)
            back = json.loads(text)
            print(back == x, json.dumps(back, ensure_ascii=ascii_only) == text)
        print(json.loads(json.dumps(x, indent=2)) == x)
    records: list[dict[str, Any]] = []
    for i in range(200):
        records.append({"id": i, "name": f"item{i}", "score": i * 0.5, "even": i % 2 == 0,
                        "tags": ["t" + str(i % 7)] * (i % 3)})
    text = json.dumps(records)
    print(len(text), text[:80])
    print(json.loads(text) == records, json.dumps(json.loads(text)) == text)
    pretty = json.dumps(records[:3], indent=2, sort_keys=True)
    print(pretty)
    print(json.loads(pretty) == records[:3])


show_dumps()
show_loads()
show_round_trips()
