"""json_dumps: json.dumps of a 100 KB document, many times.

    python3 json_dumps.py [TIMES]         (default 1000)

The document is what a service sends: 270 records of about 375 bytes of mixed values
(ints, some beyond 2**62, floats, short and longer strs, some non-ASCII or needing
escapes, bools, None, a nested object and lists), made deterministically by a linear
congruential generator. It is serialised TIMES times with the default options, then once
each with sort_keys, indent=2 and ensure_ascii=False. Prints the document's length and
the characters produced: work is TIMES x 101,076 characters of output.
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
    total = 0
    text = ""
    for _ in range(times):
        text = json.dumps(doc)
        total += len(text)
    print(f"document {len(text)} chars, {total} chars produced")
    print(text[:72])
    print(len(json.dumps(doc, sort_keys=True)), len(json.dumps(doc, indent=2)),
          len(json.dumps(doc, ensure_ascii=False)))


main()
