"""bytes and bytearray in the runtime (kaa/pyrt/bytes.c) against CPython: every
operation's value or exception (type and message), decoding random byte strings (the
UnicodeDecodeError texts), repr, and hash (a CPython child with PYTHONHASHSEED=0)."""

from __future__ import annotations

import ctypes

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from .test_str import RT, I64, U64, cpython_hashes, i64, same

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

any_bytes = st.binary(max_size=40)
small_bytes = st.lists(st.sampled_from(b"ab \t\n\r\x0b\x0c\x1c'\"\\\x00\x7f\x80\xff"), max_size=30).map(bytes)
# Byte strings that look like UTF-8 with mistakes: valid sequences, truncated ones, bad leads.
utf8ish = st.lists(st.one_of(st.sampled_from([b"a", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xc3", b"\xe2\x82",
                                              b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xe0\x80\x80", b"\xf4\x90\x80\x80",
                                              b"\xc0\xaf", b"\xf5", b"\x80", b"\xbf"]),
                             st.binary(max_size=3)), max_size=8).map(b"".join)
datas = st.one_of(any_bytes, small_bytes, utf8ish)
opt_index = st.one_of(st.none(), st.integers(-45, 45))


@pytest.fixture(scope="module")
def rt(pyrt):
    return RT(pyrt)


@SETTINGS
@given(b=datas, enc=st.sampled_from(["utf-8", "ascii", "latin-1", "Latin1", "UTF8", "nope"]),
       errors=st.sampled_from([None, "strict", "ignore", "replace", "bogus"]))
def test_decode(rt, b, enc, errors):
    same(rt, lambda: b.decode(enc, errors or "strict"), lambda: rt.call("k_bytes_decode", [b, enc, errors]))
    ba = bytearray(b)
    same(rt, lambda: ba.decode(enc, errors or "strict"), lambda: rt.call("k_bytearray_decode", [ba, enc, errors]))


@SETTINGS
@given(b=datas)
def test_repr_hex_len(rt, b):
    same(rt, lambda: repr(b), lambda: rt.call("k_bytes_repr", [b]))
    same(rt, lambda: repr(bytearray(b)), lambda: rt.call("k_bytearray_repr", [bytearray(b)]))
    same(rt, lambda: b.hex(), lambda: rt.call("k_bytes_hex", [b]))
    same(rt, lambda: len(b), lambda: rt.call("k_bytes_len_of", [bytearray(b)], I64))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(datas, min_size=100, max_size=100))
def test_hash(rt, items):
    items += [b"", b"a", b"x" * 8, b"x" * 15, b"x" * 16]
    for b, h in zip(items, cpython_hashes(items, "bytes")):
        assert rt.call("k_bytes_hash", [b], I64) == h


@SETTINGS
@given(a=datas, b=datas, n=st.integers(-2, 4), i=st.integers(-45, 45))
def test_sequence_ops(rt, a, b, n, i):
    same(rt, lambda: a + b, lambda: rt.call("k_bytes_concat", [a, b]))
    same(rt, lambda: a + bytearray(b), lambda: rt.call("k_bytes_concat", [a, bytearray(b)]))
    same(rt, lambda: bytearray(a) + b, lambda: rt.call("k_bytes_concat", [bytearray(a), b]))
    same(rt, lambda: a * n, lambda: rt.call("k_bytes_mul", [a, i64(n)]))
    same(rt, lambda: a[i], lambda: rt.call("k_bytes_getitem", [a, i64(i)]))
    same(rt, lambda: bytearray(a)[i], lambda: rt.call("k_bytearray_getitem", [bytearray(a), i64(i)]))
    same(rt, lambda: b in a, lambda: bool(rt.call("k_bytes_contains", [a, b], ctypes.c_int)))
    same(rt, lambda: (i % 300) in a, lambda: bool(rt.call("k_bytes_contains", [a, i % 300], ctypes.c_int)))
    for op, f in enumerate([lambda: a < b, lambda: a <= b, lambda: a == b, lambda: a != b, lambda: a > b, lambda: a >= b]):
        same(rt, f, lambda: bool(rt.call("k_bytes_richcmp", [a, b, ctypes.c_int64(op)], ctypes.c_int)))


def test_type_errors(rt):
    same(rt, lambda: b"a" + "b", lambda: rt.call("k_bytes_concat", [b"a", "b"]))
    same(rt, lambda: "b" in b"a", lambda: rt.call("k_bytes_contains", [b"a", "b"], ctypes.c_int, -1))
    same(rt, lambda: bytes([1, 256]), lambda: rt.call("k_bytes_from_list", [[1, 256]]))
    same(rt, lambda: bytes([1, "a"]), lambda: rt.call("k_bytes_from_list", [[1, "a"]]))
    same(rt, lambda: bytes(-1), lambda: rt.call("k_bytes_zeros", [-1]))
    same(rt, lambda: b"".join([b"a", "b"]), lambda: rt.call("k_bytes_join", [b"", [b"a", "b"]]))
    same(rt, lambda: b"a".startswith("a"), lambda: rt.call("k_bytes_startswith", [b"a", "a", None, None], ctypes.c_int))
    same(rt, lambda: b"a".index(b"b"), lambda: rt.call("k_bytes_index", [b"a", b"b", None, None], I64))
    same(rt, lambda: b"a".split(b""), lambda: rt.call("k_bytes_split", [b"a", b"", i64(-1)]))


@SETTINGS
@given(ints=st.lists(st.integers(-1, 256), max_size=10), n=st.integers(0, 20))
def test_construction(rt, ints, n):
    same(rt, lambda: bytes(ints), lambda: rt.call("k_bytes_from_list", [ints]))
    same(rt, lambda: bytes(tuple(ints)), lambda: rt.call("k_bytes_from_list", [tuple(ints)]))
    same(rt, lambda: bytes(n), lambda: rt.call("k_bytes_zeros", [n]))
    same(rt, lambda: bytearray(ints), lambda: rt.call("k_bytearray_from", [ints]))
    same(rt, lambda: bytearray(n), lambda: rt.call("k_bytearray_from", [n]))


@SETTINGS
@given(b=datas, start=opt_index, stop=opt_index, step=st.one_of(st.none(), st.integers(-4, 4)))
def test_slice(rt, b, start, stop, step):
    same(rt, lambda: b[start:stop:step], lambda: rt.call("k_bytes_slice", [b, start, stop, step]))
    ba = bytearray(b)
    same(rt, lambda: ba[start:stop:step], lambda: rt.call("k_bytearray_slice", [ba, start, stop, step]))


@SETTINGS
@given(b=datas, sub=st.one_of(datas, st.sampled_from([b"", b"a", b" "]), st.integers(-1, 256)), start=opt_index, end=opt_index)
def test_find_family(rt, b, sub, start, end):
    for m in ("find", "rfind", "index", "count"):
        same(rt, lambda: getattr(b, m)(sub, start, end), lambda: rt.call(f"k_bytes_{m}", [b, sub, start, end], I64))
    if not isinstance(sub, int):
        for m in ("startswith", "endswith"):
            same(rt, lambda: getattr(b, m)(sub, start, end),
                 lambda: bool(rt.call(f"k_bytes_{m}", [b, sub, start, end], ctypes.c_int)))
            same(rt, lambda: getattr(b, m)((b"x", sub), start, end),
                 lambda: bool(rt.call(f"k_bytes_{m}", [b, (b"x", sub), start, end], ctypes.c_int)))


@SETTINGS
@given(b=datas, sep=st.one_of(st.none(), datas, st.sampled_from([b" ", b"a", b"ab"])), maxsplit=st.integers(-1, 3),
       chars=st.one_of(st.none(), st.sampled_from([b"a", b" \x00", b""]), datas))
def test_split_strip(rt, b, sep, maxsplit, chars):
    same(rt, lambda: b.split(sep, maxsplit), lambda: rt.call("k_bytes_split", [b, sep, i64(maxsplit)]))
    same(rt, lambda: b.strip(chars), lambda: rt.call("k_bytes_strip", [b, chars]))
    same(rt, lambda: b.lstrip(chars), lambda: rt.call("k_bytes_lstrip", [b, chars]))
    same(rt, lambda: b.rstrip(chars), lambda: rt.call("k_bytes_rstrip", [b, chars]))


@SETTINGS
@given(b=datas, old=st.one_of(datas, st.sampled_from([b"", b"a"])), new=datas, count=st.integers(-1, 3),
       parts=st.lists(datas, max_size=5))
def test_replace_join(rt, b, old, new, count, parts):
    same(rt, lambda: b.replace(old, new, count), lambda: rt.call("k_bytes_replace", [b, old, new, i64(count)]))
    same(rt, lambda: b.join(parts), lambda: rt.call("k_bytes_join", [b, parts]))
    same(rt, lambda: b.join(tuple(bytearray(p) for p in parts)),
         lambda: rt.call("k_bytes_join", [b, tuple(bytearray(p) for p in parts)]))


@SETTINGS
@given(b=datas, items=st.lists(st.integers(-1, 256), max_size=5), more=datas, i=st.integers(-40, 40), v=st.integers(-1, 256))
def test_bytearray_mutation(rt, b, items, more, i, v):
    k = rt.kval(bytearray(b))
    py = bytearray(b)
    try:
        for x in items:
            same(rt, lambda: py.append(x), lambda: rt.call("k_bytearray_append", [k_ref(rt, k), x], ctypes.c_int, -1) and 0 or None)
        same(rt, lambda: py.extend(more), lambda: rt.call("k_bytearray_extend", [k_ref(rt, k), more], ctypes.c_int) and 0 or None)
        same(rt, lambda: py.extend(items), lambda: rt.call("k_bytearray_extend", [k_ref(rt, k), items], ctypes.c_int) and 0 or None)
        def set_py():
            py[i] = v
        same(rt, set_py, lambda: rt.call("k_bytearray_setitem", [k_ref(rt, k), i64(i), v], ctypes.c_int) and 0 or None)
        assert rt.py(k) == py
    finally:
        rt.decref(k)


def k_ref(rt: RT, k: int):
    """A kval the test owns, passed as is (borrowed by the call)."""
    return ctypes.c_uint64(k)


@SETTINGS
@given(b=datas, as_array=st.booleans())
def test_iteration_and_len(rt, b, as_array):
    v = bytearray(b) if as_array else b
    k = rt.kval(v)
    it = rt.fn("k_iter", U64, [U64])(k)
    nxt = rt.fn("k_next", U64, [U64])
    got = []
    while (x := nxt(it)):
        got.append(rt.py(x))
    assert not rt.exc.value
    rt.decref(it)
    assert got == list(v)
    assert rt.fn("k_len", I64, [U64])(k) == len(v) if hasattr(rt.lib, "k_len") else True
    rt.decref(k)
