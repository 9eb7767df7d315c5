"""str in the runtime (kaa/pyrt/str*.c, unicode_tables.c, format_spec.c) against CPython.

Every operation runs twice, in CPython and through ctypes in the runtime, and the two
outcomes (a value, or an exception's type and message) must be equal. Text comes from
hypothesis (any code point, astral and non-printable ones included); hashes are compared
with a CPython child process run with PYTHONHASHSEED=0.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

U64 = ctypes.c_uint64
I64 = ctypes.c_int64
BOOL = ctypes.c_bool

# Text with every kind of code point (surrogates excluded, as st.text() does), and
# text drawn from a small alphabet so separators, case pairs and repeats occur often.
any_text = st.text(max_size=40)
ALPHABET = "aAbB ,;\t\n\r\x0b\x1c\x85\u2028 -+0123_Σσςß İı\u0345ǅǈ\u00e9E\u0301\U0001d7d8\U00010400\U00010428\x00\x7f\xa0\u3000'\"\\"
small_text = st.text(alphabet=ALPHABET, max_size=30)
texts = st.one_of(any_text, small_text)
opt_index = st.one_of(st.none(), st.integers(-45, 45), st.sampled_from([2 ** 70, -(2 ** 70)]))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Raised(Exception):
    """An exception raised by the runtime, as (type name, message)."""


class RT:
    """Calls into the runtime, converting between Python values and kvals."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        self.none = ctypes.addressof(U64.in_dll(lib, "k_None_obj"))
        self.true = ctypes.addressof(U64.in_dll(lib, "k_True_obj"))
        self.false = ctypes.addressof(U64.in_dll(lib, "k_False_obj"))
        self.exc = U64.in_dll(lib, "k_exc")
        self.live = I64.in_dll(lib, "k_live")
        self.funcs: dict = {}
        self.type_name = {ctypes.addressof(U64.in_dll(lib, f"k_{t}_type")): t
                          for t in ("str", "bytes", "bytearray", "list", "tuple", "int", "bool", "float")}
        self.dealloc = self.fn("k_dealloc", None, [U64])
        self.str_from_utf8 = self.fn("k_str_from_utf8", U64, [ctypes.c_char_p, I64])
        self.bytes_from = self.fn("k_bytes_from", U64, [ctypes.c_char_p, I64])
        self.str_of = self.fn("k_str", U64, [U64])
        self.exc_fetch = self.fn("k_exc_fetch", U64, [])

    def fn(self, name: str, restype, argtypes):
        key = (name, restype, tuple(argtypes))
        f = self.funcs.get(key)
        if f is None:
            f = self.funcs[key] = self.lib[name]     # a new function object per signature
            f.restype = restype
            f.argtypes = argtypes
        return f

    # ---- Python -> kval (new references) ----
    def kval(self, v) -> int:
        if v is None:
            return self.none
        if v is True or v is False:
            return self.true if v else self.false
        if isinstance(v, int):
            if -(2 ** 62) <= v < 2 ** 62:
                return ((v << 1) | 1) & (2 ** 64 - 1)
            text = str(v).encode()
            return self.fn("k_int_parse", U64, [ctypes.c_char_p, I64, ctypes.c_int])(text, len(text), 10)
        if isinstance(v, float):
            return self.fn("k_float_box", U64, [ctypes.c_double])(v)
        if isinstance(v, str):
            b = v.encode("utf-8", "surrogatepass")
            return self.str_from_utf8(b, len(b))
        if isinstance(v, bytes):
            return self.bytes_from(v, len(v))
        if isinstance(v, bytearray):
            f = self.fn("k_bytearray_new", U64, [ctypes.c_char_p, I64])
            return f(bytes(v), len(v))
        if isinstance(v, (tuple, list)):
            items = [self.kval(x) for x in v]
            if isinstance(v, tuple):
                t = self.fn("k_tuple_new", U64, [I64])(len(items))
                for i, x in enumerate(items):
                    U64.from_address(t + 24 + 8 * i).value = x
                return t
            lst = self.fn("k_list_new", U64, [I64])(0)
            for x in items:
                assert self.fn("k_list_append_steal", ctypes.c_int, [U64, U64])(lst, x) == 0
            return lst
        raise TypeError(v)

    def decref(self, v: int) -> None:
        if v & 1 or not v:
            return
        rc = I64.from_address(v)
        rc.value -= 1
        if rc.value == 0:
            self.dealloc(v)

    # ---- kval -> Python ----
    def py(self, v: int):
        if v & 1:
            return ctypes.c_int64(v).value >> 1
        if v == self.none:
            return None
        if v in (self.true, self.false):
            return v == self.true
        t = self.type_name.get(U64.from_address(v + 8).value)
        if t == "str":
            n = I64.from_address(v + 16).value
            return ctypes.string_at(v + 40, n).decode("utf-8", "surrogatepass")
        if t == "float":
            return ctypes.c_double.from_address(v + 16).value
        if t == "bytes":
            return ctypes.string_at(v + 32, I64.from_address(v + 16).value)
        if t == "bytearray":
            return bytearray(ctypes.string_at(U64.from_address(v + 32).value, I64.from_address(v + 16).value))
        if t == "list":
            n, items = I64.from_address(v + 16).value, U64.from_address(v + 32).value
            return [self.py(U64.from_address(items + 8 * i).value) for i in range(n)]
        if t == "tuple":
            n = I64.from_address(v + 16).value
            return tuple(self.py(U64.from_address(v + 24 + 8 * i).value) for i in range(n))
        raise TypeError(hex(U64.from_address(v + 8).value))

    def take_exception(self):
        e = self.exc_fetch()
        tname = ctypes.string_at(U64.from_address(U64.from_address(e + 8).value + 16).value).decode()
        msg = self.str_of(e)
        out = (tname, self.py(msg))
        self.decref(msg)
        self.decref(e)
        return out

    def call(self, name: str, args, restype=U64, error=0):
        """Call k_<name>(args...): Python arguments are converted to kvals (ctypes values
        pass unconverted: c_int64, c_bool, and c_uint64 for a kval the caller owns); the
        result is converted back, or Raised."""
        argtypes, cargs, owned = [], [], []
        try:
            for a in args:
                if isinstance(a, (ctypes.c_int64, ctypes.c_uint64, ctypes.c_bool)):
                    argtypes.append(type(a))
                    cargs.append(a)
                else:
                    k = self.kval(a)
                    owned.append(k)
                    argtypes.append(U64)
                    cargs.append(k)
            r = self.fn(name, restype, argtypes)(*cargs)
        finally:
            for k in owned:
                self.decref(k)
        if self.exc.value:
            assert restype is not U64 or r == 0, f"{name} raised but returned a value"
            raise Raised(*self.take_exception())
        assert r != error or restype is not U64, f"{name} returned 0 without raising"
        if restype is U64:
            out = self.py(r)
            self.decref(r)
            return out
        return r


@pytest.fixture(scope="module")
def rt(pyrt):
    return RT(pyrt)


def outcome(f):
    try:
        return ("ok", f())
    except Raised as e:
        return ("raise",) + e.args
    except Exception as e:      # CPython's side
        return ("raise", type(e).__name__, str(e))


def same(rt: RT, cpython, runtime):
    """CPython's outcome equals the runtime's, and the runtime leaked nothing."""
    before = rt.live.value
    mine = outcome(runtime)
    assert rt.live.value == before, "heap objects leaked"
    assert mine == outcome(cpython)


def i64(x):
    return ctypes.c_int64(x)


# ---- construction, literals, indexing, slicing ----

@SETTINGS
@given(s=texts)
def test_roundtrip_len_and_items(rt, s):
    b = s.encode("utf-8", "surrogatepass")
    k = rt.str_from_utf8(b, len(b))
    # '' and the one-character Latin-1 strings are static objects whose hash another
    # test may have cached; a new string has none yet
    static = len(s) == 0 or (len(s) == 1 and ord(s) < 256)
    cached_hash = I64.from_address(k + 32).value
    assert (rt.py(k), I64.from_address(k + 24).value) == (s, len(s))
    assert cached_hash == -1 or static
    rt.decref(k)
    for i in range(-len(s) - 2, len(s) + 2):
        same(rt, lambda: s[i], lambda: rt.call("k_str_getitem", [s, i64(i)]))


@SETTINGS
@given(s=texts, start=opt_index, stop=opt_index, step=st.one_of(st.none(), st.integers(-5, 5)))
def test_slice(rt, s, start, stop, step):
    same(rt, lambda: s[start:stop:step], lambda: rt.call("k_str_slice", [s, start, stop, step]))


@SETTINGS
@given(a=texts, b=texts, n=st.integers(-2, 5))
def test_concat_mul_compare(rt, a, b, n):
    same(rt, lambda: a + b, lambda: rt.call("k_str_concat", [a, b]))
    same(rt, lambda: a * n, lambda: rt.call("k_str_mul", [a, i64(n)]))
    for op, f in enumerate([lambda: a < b, lambda: a <= b, lambda: a == b, lambda: a != b, lambda: a > b, lambda: a >= b]):
        same(rt, f, lambda: bool(rt.call("k_str_richcmp", [a, b, ctypes.c_int64(op)], ctypes.c_int)))
    same(rt, lambda: b in a, lambda: bool(rt.call("k_str_contains", [a, b], ctypes.c_int)))


def test_concat_type_error(rt):
    same(rt, lambda: "a" + 1, lambda: rt.call("k_str_concat", ["a", 1]))
    same(rt, lambda: 1 in "a", lambda: rt.call("k_str_contains", ["a", 1], ctypes.c_int, -1))


@SETTINGS
@given(parts=st.lists(texts, max_size=6))
def test_join_parts(rt, parts):
    arr = (U64 * max(len(parts), 1))(*[rt.kval(p) for p in parts])
    f = rt.fn("k_str_join_parts", U64, [ctypes.POINTER(U64), I64])
    r = f(arr, len(parts))
    assert rt.py(r) == "".join(parts)
    rt.decref(r)
    for i in range(len(parts)):
        rt.decref(arr[i])


def test_literal_macro_compiles(tmp_path):
    """K_STR_LITERAL holds NUL bytes and non-ASCII text."""
    src = tmp_path / "lit.c"
    src.write_text('#include "str.h"\nK_STR_LITERAL(lit3, "a\\0\\xc3\\xa9", 4, 3);\n'
                   'kval get(void) { return K_STR_LIT(lit3); }\n')
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "kaa_rt.h").write_text(open(os.path.join(root, "kaa", "compiler", "runtime.h")).read())
    subprocess.run(["gcc", "-c", "-std=c11", "-Wall", "-Werror", "-ffreestanding", "-nostdinc", "-I", str(inc),
                    "-I", os.path.join(root, "kaa", "pyrt"), str(src), "-o", str(tmp_path / "lit.o")], check=True)


# ---- repr, hash, iteration, ord/chr ----

@SETTINGS
@given(s=texts)
def test_repr(rt, s):
    same(rt, lambda: repr(s), lambda: rt.call("k_str_repr", [s]))


def test_repr_every_code_point(rt):
    """repr of every code point (printable table, escapes), 4096 per call."""
    for start in range(0, 0x110000, 4096):
        s = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000)
        assert rt.call("k_str_repr", [s]) == repr(s)


def cpython_hashes(items: list, kind: str) -> list[int]:
    code = ("import json,sys\nd=json.load(sys.stdin)\n"
            f"xs=[bytes.fromhex(x) for x in d] if {kind == 'bytes'!r} else d\n"
            "print(json.dumps([hash(x) for x in xs]))")
    env = dict(os.environ, PYTHONHASHSEED="0")
    data = json.dumps([x.hex() for x in items] if kind == "bytes" else items)
    out = subprocess.run([sys.executable, "-c", code], input=data, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(strings=st.lists(texts, min_size=100, max_size=100))
def test_hash_matches_cpython(rt, strings):
    strings += ["", "a", "ab" * 20, "\xe9", "\u20ac" * 9, "\U0001f600", "x" * 7, "x" * 8, "x" * 9, chr(0xD800)]
    expected = cpython_hashes(strings, "str")
    for s, h in zip(strings, expected):
        assert rt.call("k_str_hash", [s], I64) == h, s


@SETTINGS
@given(s=texts)
def test_iteration(rt, s):
    k = rt.kval(s)
    it = rt.fn("k_str_iter", U64, [U64])(k)
    nxt = rt.fn("k_next", U64, [U64])
    got = []
    while (c := nxt(it)):
        got.append(rt.py(c))
        rt.decref(c)
    assert not rt.exc.value
    rt.decref(it)
    rt.decref(k)
    assert got == list(s)


@SETTINGS
@given(s=st.one_of(texts, st.characters()))
def test_ord(rt, s):
    same(rt, lambda: ord(s), lambda: rt.call("k_str_ord", [s]))


@SETTINGS
@given(c=st.one_of(st.integers(-3, 0x110003), st.integers(0, 300)))
def test_chr(rt, c):
    same(rt, lambda: chr(c), lambda: rt.call("k_str_chr", [i64(c)]))


# ---- methods ----

@SETTINGS
@given(s=texts, sep=st.one_of(st.none(), texts, st.sampled_from([" ", ",", "ab", "Σ"])), maxsplit=st.integers(-2, 4))
def test_split_rsplit(rt, s, sep, maxsplit):
    same(rt, lambda: s.split(sep, maxsplit), lambda: rt.call("k_str_split", [s, sep, i64(maxsplit)]))
    same(rt, lambda: s.rsplit(sep, maxsplit), lambda: rt.call("k_str_rsplit", [s, sep, i64(maxsplit)]))
    same(rt, lambda: s.partition(sep), lambda: rt.call("k_str_partition", [s, sep]))
    same(rt, lambda: s.rpartition(sep), lambda: rt.call("k_str_rpartition", [s, sep]))


@SETTINGS
@given(s=texts, keepends=st.booleans())
def test_splitlines(rt, s, keepends):
    same(rt, lambda: s.splitlines(keepends), lambda: rt.call("k_str_splitlines", [s, ctypes.c_bool(keepends)]))


@SETTINGS
@given(sep=texts, items=st.lists(st.one_of(texts, st.integers(0, 3)), max_size=5), as_tuple=st.booleans())
def test_join(rt, sep, items, as_tuple):
    seq = tuple(items) if as_tuple else items
    same(rt, lambda: sep.join(seq), lambda: rt.call("k_str_join", [sep, seq]))


def test_join_iterable_and_errors(rt):
    same(rt, lambda: "-".join(5), lambda: rt.call("k_str_join", ["-", 5]))
    same(rt, lambda: ",".join("abc"), lambda: rt.call("k_str_join", [",", "abc"]))


@SETTINGS
@given(s=texts, chars=st.one_of(st.none(), texts, st.sampled_from(["ab", " Σ", "x"])))
def test_strip(rt, s, chars):
    same(rt, lambda: s.strip(chars), lambda: rt.call("k_str_strip", [s, chars]))
    same(rt, lambda: s.lstrip(chars), lambda: rt.call("k_str_lstrip", [s, chars]))
    same(rt, lambda: s.rstrip(chars), lambda: rt.call("k_str_rstrip", [s, chars]))


CASE_METHODS = ["lower", "upper", "capitalize", "title", "swapcase", "casefold"]
PREDICATES = ["isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isdecimal", "isnumeric",
              "isidentifier", "isprintable", "istitle", "isascii"]


@SETTINGS
@given(s=texts)
def test_case_and_predicates(rt, s):
    for m in CASE_METHODS:
        same(rt, lambda: getattr(s, m)(), lambda: rt.call(f"k_str_{m}", [s]))
    for m in PREDICATES:
        same(rt, lambda: getattr(s, m)(), lambda: rt.call(f"k_str_{m}", [s], BOOL))


def test_every_code_point_tables(rt):
    """The generated tables against CPython: case mappings of every code point (in
    chunks), predicates of every code point where CPython's answers change, of the
    first 0x3000, and of a random sample."""
    for start in range(0, 0x110000, 4096):
        s = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000)
        for m in ("lower", "upper", "title", "casefold", "swapcase"):
            assert rt.call(f"k_str_{m}", [s]) == getattr(s, m)(), (m, hex(start))
    props = [m for m in PREDICATES if m != "isascii"]
    prev, points = None, set(range(0x3000)) | set(random.Random(1).sample(range(0x110000), 3000))
    for c in range(0x110000):
        answers = tuple(getattr(chr(c), m)() for m in props)
        if answers != prev:
            points |= {c - 1, c}
        prev = answers
    for c in sorted(points - set(range(0xD800, 0xE000)) - {-1}):
        for m in props:
            assert rt.call(f"k_str_{m}", [chr(c)], BOOL) == getattr(chr(c), m)(), (m, hex(c))


def test_unicode_version_in_generated_file():
    path = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "kaa", "pyrt", "unicode_tables.c")
    assert f"Unicode {unicodedata.unidata_version} " in open(path).read(300)


@SETTINGS
@given(s=texts, sub=st.one_of(texts, st.sampled_from(["", "a", "Σ", "ab"])), start=opt_index, end=opt_index)
def test_find_family(rt, s, sub, start, end):
    for m in ("find", "rfind", "index", "rindex", "count"):
        same(rt, lambda: getattr(s, m)(sub, start, end), lambda: rt.call(f"k_str_{m}", [s, sub, start, end], I64))
    for m in ("startswith", "endswith"):
        same(rt, lambda: getattr(s, m)(sub, start, end), lambda: bool(rt.call(f"k_str_{m}", [s, sub, start, end], ctypes.c_int)))
        fixes = (sub, "a", s[:2])
        same(rt, lambda: getattr(s, m)(fixes, start, end), lambda: bool(rt.call(f"k_str_{m}", [s, fixes, start, end], ctypes.c_int)))


def test_find_errors(rt):
    same(rt, lambda: "a".find(1), lambda: rt.call("k_str_find", ["a", 1, None, None], I64, -2))
    same(rt, lambda: "a".startswith(1), lambda: rt.call("k_str_startswith", ["a", 1, None, None], ctypes.c_int))
    same(rt, lambda: "a".startswith(("a", 1)), lambda: rt.call("k_str_startswith", ["a", ("a", 1), None, None], ctypes.c_int))
    same(rt, lambda: "b".startswith(("a", 1)), lambda: rt.call("k_str_startswith", ["b", ("a", 1), None, None], ctypes.c_int))
    same(rt, lambda: "a".index("b"), lambda: rt.call("k_str_index", ["a", "b", None, None], I64))


@SETTINGS
@given(s=texts, old=st.one_of(texts, st.sampled_from(["", "a", " "])), new=texts, count=st.integers(-1, 4))
def test_replace(rt, s, old, new, count):
    same(rt, lambda: s.replace(old, new, count), lambda: rt.call("k_str_replace", [s, old, new, i64(count)]))


@SETTINGS
@given(s=texts, width=st.integers(-2, 50), fill=st.one_of(st.none(), st.sampled_from(["*", "Σ", "\U0001f600", "", "ab"])))
def test_padding(rt, s, width, fill):
    f = " " if fill is None else fill
    same(rt, lambda: s.ljust(width, f), lambda: rt.call("k_str_ljust", [s, i64(width), fill]))
    same(rt, lambda: s.rjust(width, f), lambda: rt.call("k_str_rjust", [s, i64(width), fill]))
    same(rt, lambda: s.center(width, f), lambda: rt.call("k_str_center", [s, i64(width), fill]))
    same(rt, lambda: s.zfill(width), lambda: rt.call("k_str_zfill", [s, i64(width)]))


@SETTINGS
@given(s=st.one_of(texts, st.text(alphabet="ab\t\n\r-+", max_size=30)), tab=st.integers(-1, 9))
def test_expandtabs_zfill_signs(rt, s, tab):
    same(rt, lambda: s.expandtabs(tab), lambda: rt.call("k_str_expandtabs", [s, i64(tab)]))
    same(rt, lambda: s.zfill(len(s) + 3), lambda: rt.call("k_str_zfill", [s, i64(len(s) + 3)]))


@SETTINGS
@given(s=texts, fix=st.one_of(texts, st.sampled_from(["", "a"])))
def test_removeprefix_suffix(rt, s, fix):
    same(rt, lambda: s.removeprefix(fix), lambda: rt.call("k_str_removeprefix", [s, fix]))
    same(rt, lambda: s.removesuffix(fix), lambda: rt.call("k_str_removesuffix", [s, fix]))
    same(rt, lambda: (s + fix).removesuffix(fix), lambda: rt.call("k_str_removesuffix", [s + fix, fix]))


ENCODINGS = ["utf-8", "UTF8", "ascii", "latin-1", "iso-8859-1", "Latin_1", "US-ASCII", "bogus"]


@SETTINGS
@given(s=st.one_of(texts, st.text(alphabet="ab\xe9\u20ac\U0001f600\ud800\udfff", max_size=8)),
       enc=st.sampled_from(ENCODINGS), errors=st.sampled_from([None, "strict", "ignore", "replace"]))
def test_encode(rt, s, enc, errors):
    same(rt, lambda: s.encode(enc, errors or "strict"), lambda: rt.call("k_str_encode", [s, enc, errors]))


# ---- format ----

spec_parts = st.tuples(
    st.sampled_from(["", "<", ">", "^", "=", "*<", "Σ>", "0^", "\x00<"]),
    st.sampled_from(["", "+", "-", " "]), st.sampled_from(["", "", "z"]), st.sampled_from(["", "#"]),
    st.sampled_from(["", "0"]), st.sampled_from(["", "1", "7", "12", "30"]), st.sampled_from(["", ",", "_", ",_"]),
    st.sampled_from(["", ".0", ".3", ".", ".10"]), st.sampled_from(["", "s", "d", "x", "X", "b", "o", "n", "é", "\x01", "ss", "f", "c", "e", "G", "%"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=texts, parts=spec_parts)
def test_format_str(rt, s, parts):
    spec = "".join(parts)
    same(rt, lambda: format(s, spec), lambda: rt.call("k_format", [s, spec]))


@SETTINGS
@given(s=texts, width=st.integers(0, 12), prec=st.integers(0, 12), align=st.sampled_from(["", "<", ">", "^"]))
def test_format_str_width_precision(rt, s, width, prec, align):
    for spec in (f"{align}{width}.{prec}", f"{align}{len(s)}.{prec}", f"*{align or '<'}{width}"):
        same(rt, lambda: format(s, spec), lambda: rt.call("k_format", [s, spec]))


def test_format_other_types(rt):
    same(rt, lambda: format(None, ""), lambda: rt.call("k_format", [None, ""]))
    same(rt, lambda: format(None, "x"), lambda: rt.call("k_format", [None, "x"]))
    same(rt, lambda: format([1], ""), lambda: rt.call("k_format", [[1], ""]))
    same(rt, lambda: format([1], "s"), lambda: rt.call("k_format", [[1], "s"]))
    same(rt, lambda: format(True, ""), lambda: rt.call("k_format", [True, ""]))
    same(rt, lambda: format(5, 5), lambda: rt.call("k_format", [5, 5]))
    for spec in ["zd", "z", "xx", ",x", "_,", ".", "99999999999999999999", "é"]:
        same(rt, lambda: format(7, spec), lambda: rt.call("k_format", [7, spec]))


@SETTINGS
@given(v=st.integers(-10 ** 6, 10 ** 6), parts=spec_parts)
def test_format_int_dispatch(rt, v, parts):
    """format(int/bool): parsing here, rendering by the ints helper's k_int_format."""
    spec = "".join(parts)
    same(rt, lambda: format(v, spec), lambda: rt.call("k_format", [v, spec]))
    same(rt, lambda: format(v > 0, spec), lambda: rt.call("k_format", [v > 0, spec]))


@SETTINGS
@given(v=st.one_of(st.floats(), st.sampled_from([-0.0, -0.004, -1e-300, 0.5, -0.5, 1e300])), parts=spec_parts)
def test_format_float_dispatch(rt, v, parts):
    """format(float): parsing and 'z' here, rendering by the floats helper's k_float_format."""
    spec = "".join(parts)
    same(rt, lambda: format(v, spec), lambda: rt.call("k_format", [v, spec]))


@SETTINGS
@given(words=st.lists(st.sampled_from(["ab", "abc", "aab", "Σα", "x", "abcab"]), min_size=40, max_size=200),
       sub=st.sampled_from(["abcab", "aababc", "abcabx", "ΣαΣα", "bcabab", "xabcx"]))
def test_long_search(rt, words, sub):
    """Long haystacks: the Horspool path of the substring search."""
    s = "".join(words)
    for m in ("find", "rfind", "count"):
        same(rt, lambda: getattr(s, m)(sub), lambda: rt.call(f"k_str_{m}", [s, sub, None, None], I64))
    same(rt, lambda: s.replace(sub, "-"), lambda: rt.call("k_str_replace", [s, sub, "-", i64(-1)]))
    same(rt, lambda: s.split(sub), lambda: rt.call("k_str_split", [s, sub, i64(-1)]))
