"""kaa/http/json_writer.py: the JSON writer, checked against Python's json module.

tests/host/http_json.py (built with --debug) turns a list of events ({ } [ ] k:HEX
s:HEX i:N u:N t f n) into JSON text; hypothesis draws nested values, the test turns
them into events and compares the text with json.dumps byte for byte (same escapes:
short forms for \\b \\f \\n \\r \\t, \\u00XX for other controls, UTF-8 passed through).
Ill-formed UTF-8 must come out as Python's errors="replace" decodes it, and misuse
(a value without its key, closing what is not open, too deep) must set the error
flag rather than produce text that claims to be valid.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given, settings, strategies as st

from kaa import build as kbuild

ROOT = Path(__file__).resolve().parent.parent
Write = Callable[..., tuple[bytes, bool, bool]]


@pytest.fixture(scope="module")
def write(tmp_path_factory: pytest.TempPathFactory) -> Write:
    exe = kbuild.build(ROOT / "tests" / "host" / "http_json.py", tmp_path_factory.mktemp("json") / "http_json",
                       target="host", debug=True)

    def run(events: list[str], cap: int | None = None) -> tuple[bytes, bool, bool]:
        opts = [f"cap={cap}"] if cap is not None else []
        r = subprocess.run([str(exe), *opts], input=" ".join(events).encode(), capture_output=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        text, status = r.stdout.decode().splitlines()
        _, ok, _, error = status.split()
        return bytes.fromhex(text[2:]), ok == "True", error == "True"
    return run


def events(v: Any) -> list[str]:
    if v is None:
        return ["n"]
    if v is True:
        return ["t"]
    if v is False:
        return ["f"]
    if isinstance(v, int):
        return [f"i:{v}"]
    if isinstance(v, str):
        return ["s:" + v.encode().hex()]
    if isinstance(v, list):
        return ["[", *[e for x in v for e in events(x)], "]"]
    return ["{", *[e for k, x in v.items() for e in ("k:" + k.encode().hex(), *events(x))], "}"]


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | texts
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
                      max_leaves=40)


def dumps(v: Any) -> bytes:
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False).encode()


@settings(max_examples=300, deadline=None)
@given(values)
def test_values_are_written_as_python_writes_them(write: Write, v: Any) -> None:
    text, ok, error = write(events(v))
    assert ok and not error
    assert text == dumps(v)
    assert json.loads(text) == v


def test_known_text(write: Write) -> None:
    v = {"a": [1, -9223372036854775808, "\"\\/\b\f\n\r\t\x00\x1f\x7f", "é€𝄞"], "": {}, "e": []}
    text, ok, _ = write(events(v))
    assert ok and text == ('{"a":[1,-9223372036854775808,"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\x7f",'
                           '"é€𝄞"],"":{},"e":[]}').encode()
    text, ok, _ = write(["[", "u:18446744073709551615", "u:0", "]"])
    assert ok and json.loads(text) == [2**64 - 1, 0]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_ill_formed_utf8_becomes_replacement_characters(write: Write, b: bytes) -> None:
    text, ok, _ = write(["[", "s:" + b.hex(), "k:" + b.hex(), "]"])
    assert not ok                                           # a key in an array: refused
    text, ok, _ = write(["{", "k:" + b.hex(), "s:" + b.hex(), "}"])
    assert ok
    expected = b.decode("utf-8", "replace")
    assert json.loads(text) == {expected: expected}
    text.decode("utf-8")                                     # strict: the text is well-formed


@pytest.mark.parametrize("bad", [
    ["{", "i:1", "}"],                                       # a value without a key
    ["{", "k:61", "}"],                                      # a key without a value
    ["{", "k:61", "k:62", "i:1", "}"],
    ["[", "k:61", "i:1", "]"],                               # a key in an array
    ["k:61"],
    ["[", "}"], ["{", "]"], ["]"], ["}"],                     # closing the wrong thing
    ["[", "i:1"],                                            # unfinished
    ["{"],
    [],                                                      # nothing
    ["i:1", "i:2"], ["[", "]", "[", "]"],                   # two top-level values
    ["[", "]", "]"],
])
def test_misuse_sets_the_error_flag(write: Write, bad: list[str]) -> None:
    _, ok, _ = write(bad)
    assert not ok


def test_nesting_limit(write: Write) -> None:
    text, ok, _ = write(["["] * 32 + ["]"] * 32)
    assert ok and json.loads(text) == json.loads("[" * 32 + "]" * 32)
    _, ok, error = write(["["] * 33 + ["]"] * 33)
    assert not ok and error
    _, ok, error = write(["{"] + ["k:61", "{"] * 32 + ["}"] * 33)
    assert not ok and error


def test_overflow_is_not_ok(write: Write) -> None:
    text, ok, error = write(events({"key": "x" * 100}), cap=50)
    assert not ok and not error and len(text) == 50
    text, ok, _ = write(events({"key": "x" * 100}), cap=110)        # exactly enough
    assert ok and len(text) == 110
    _, ok, _ = write(events({"key": "x" * 100}), cap=109)
    assert not ok


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["{", "}", "[", "]", "k:61", "s:ff", "i:-1", "u:1", "t", "f", "n"]), max_size=30))
def test_any_event_sequence_is_valid_json_or_an_error(write: Write, evs: list[str]) -> None:
    text, ok, error = write(evs)
    if ok:
        json.loads(text)
    else:
        assert error or not evs or text.count(b"[") + text.count(b"{") > text.count(b"]") + text.count(b"}")
