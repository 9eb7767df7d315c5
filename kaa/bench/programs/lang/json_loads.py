"""json_loads: json.loads of a 100 KB document, many times.

    python3 json_loads.py [TIMES]         (default 1000)

The document is json_dumps.py's (270 records of about 375 bytes of mixed values: ints,
floats, strs with escapes and non-ASCII text, bools, null, nested objects and arrays;
the generator is repeated here because a program is one file: keep the two the same),
serialised once by json.dumps; it is parsed TIMES times. Prints its length, and
facts of the last parse (that it equals the document, its first record): work is
TIMES x 101,076 characters of input (and a few parses more, outside the loop).
"""

import json
import sys
from typing import Any

DEFAULT_TIMES = 1000
WORDS = ["alpha", "beta", "gamma", "delta", "kaa", "unikernel", "Zürich", "naïve", "日本", "quote\"d",
         "tab\there", "line\nbreak", "emoji 😀", "plain", "service", "json"]


class Lcg:
    def __init__(self, seed: int) -> None:
        self.state = seed

    def next(self, bound: int) -> int:
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) % bound


def record(r: Lcg, i: int) -> dict[str, Any]:
    tags: list[Any] = [WORDS[r.next(len(WORDS))] for _ in range(r.next(4))]
    history: list[Any] = [r.next(100000) - 50000 for _ in range(r.next(8))]
    return {
        "id": i,
        "name": f"user_{r.next(1000000)}",
        "email": f"user{i}@example.com",
        "active": r.next(2) == 1,
        "score": r.next(100000) / 100.0,
        "ratio": r.next(1000) / 7.0,
        "tags": tags,
        "address": {"street": f"{r.next(999)} {WORDS[r.next(len(WORDS))]} St", "city": WORDS[r.next(len(WORDS))],
                    "zip": str(10000 + r.next(89999))},
        "history": history,
        "note": None,
        "bio": " ".join(WORDS[r.next(len(WORDS))] for _ in range(r.next(12))),
        "big": r.next(1 << 30) << 33,
    }


def document() -> list[Any]:
    r = Lcg(2024)
    return [record(r, i) for i in range(270)]


def main() -> None:
    times = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TIMES
    doc = document()
    text = json.dumps(doc)
    value: Any = json.loads(text)
    records = 0
    for _ in range(times):
        value = json.loads(text)
        records += len(value)
    print(f"document {len(text)} chars, {records} records parsed")
    print(value == doc, json.dumps(value) == text)
    print(value[0])
    print(json.loads(json.dumps(doc, ensure_ascii=False)) == doc, json.loads(json.dumps(doc, indent=2)) == doc)


main()
