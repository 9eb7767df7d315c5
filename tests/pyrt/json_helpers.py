"""ctypes helpers for the json tests: Python values to runtime values and back, and
k_json_dumps / k_json_loads called with CPython's arguments, their outcome comparable
with CPython's json module's (a value, or an exception's type, message and, for
JSONDecodeError, its fields)."""

from __future__ import annotations

import ctypes
import json

K = ctypes.c_uint64
I64 = ctypes.c_int64
BOOL = ctypes.c_bool
FUNC = ctypes.CFUNCTYPE(K, K, ctypes.POINTER(K), I64)

SIGNATURES = {
    "k_json_dumps": (K, [K, BOOL, BOOL, BOOL, BOOL, K, K, K, BOOL]),
    "k_json_loads": (K, [K]), "k_JSONDecodeError_new": (K, [K, K, K]),
    "k_dealloc": (None, [K]), "k_exc_fetch": (K, []), "k_str": (K, [K]),
    "k_str_from_utf8": (K, [ctypes.c_char_p, I64]), "k_bytes_from": (K, [ctypes.c_char_p, I64]),
    "k_bytearray_new": (K, [ctypes.c_char_p, I64]), "k_int_parse": (K, [ctypes.c_char_p, I64, ctypes.c_int]),
    "k_float_box": (K, [ctypes.c_double]), "k_list_new": (K, [I64]), "k_list_append": (ctypes.c_int, [K, K]),
    "k_tuple_new": (K, [I64]), "k_dict_new": (K, []), "k_dict_setitem": (ctypes.c_int, [K, K, K]),
    "k_dict_next": (BOOL, [K, ctypes.POINTER(I64), ctypes.POINTER(K), ctypes.POINTER(K)]),
    "k_set_new": (K, []), "k_set_add": (ctypes.c_int, [K, K]), "k_int_to_base": (K, [K, ctypes.c_int]),
}


class Raised(Exception):
    """The runtime raised: args are (type name, str(exception), fields or None)."""


def canon(v):
    """A form of v where == means the same JSON value: floats by repr (NaN equals NaN,
    -0.0 differs from 0.0), dicts as their item lists (order counts), bools apart from ints."""
    if isinstance(v, bool) or v is None:
        return ("c", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, float):
        return ("f", repr(v))
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [canon(x) for x in v])
    if isinstance(v, dict):
        return ("d", [(canon(k), canon(x)) for k, x in v.items()])
    return ("?", repr(v))


class RuntimeValue:
    """A runtime value the test made itself (a cycle, say), passed through as it is."""

    def __init__(self, k: int) -> None:
        self.k = k


class JsonRT:
    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        self.fns = {}
        for name, (res, args) in SIGNATURES.items():
            fn = lib[name]               # a function object of its own (other tests set theirs)
            fn.restype, fn.argtypes = res, args
            self.fns[name] = fn
        self.exc = K.in_dll(lib, "k_exc")
        self.live = I64.in_dll(lib, "k_live")
        addr = lambda n: ctypes.addressof(ctypes.c_char.in_dll(lib, n))
        self.none, self.true, self.false = addr("k_None_obj"), addr("k_True_obj"), addr("k_False_obj")
        self.types = {addr(f"k_{t}_type"): t for t in ("str", "int", "float", "list", "tuple", "dict", "bool",
                                                        "none", "bytes", "bytearray", "set")}
        self.jde_type = addr("k_JSONDecodeError_type")
        self.fn_type = addr("k_function_type")
        self._keep: list[object] = []
        self._ident: dict[int, int] = {}

    def f(self, name: str):
        return self.fns[name]

    # ---- references ----
    def decref(self, v: int) -> None:
        if v & 1 or not v:
            return
        rc = I64.from_address(v)
        rc.value -= 1
        if rc.value == 0:
            self.f("k_dealloc")(v)

    def type_of(self, v: int) -> str:
        return "int" if v & 1 else self.types.get(K.from_address(v + 8).value, "?")

    # ---- Python -> runtime (new references) ----
    def kval(self, x) -> int:
        if id(x) in self._ident:                        # a default function's argument, given back
            x = RuntimeValue(self._ident[id(x)])
        if isinstance(x, RuntimeValue):
            if not x.k & 1:
                I64.from_address(x.k).value += 1
            return x.k
        if x is None:
            return self.none
        if x is True or x is False:
            return self.true if x else self.false
        if isinstance(x, int):
            if -(1 << 62) <= x < (1 << 62):
                return ((x << 1) | 1) & ((1 << 64) - 1)
            t = format(x, "x").encode()                # (no 4300-digit limit in hex)
            return self.f("k_int_parse")(t, len(t), 16)
        if isinstance(x, float):
            return self.f("k_float_box")(x)
        if isinstance(x, str):
            b = x.encode("utf-8", "surrogatepass")
            return self.f("k_str_from_utf8")(b, len(b))
        if isinstance(x, bytes):
            return self.f("k_bytes_from")(x, len(x))
        if isinstance(x, bytearray):
            return self.f("k_bytearray_new")(bytes(x), len(x))
        if isinstance(x, list):
            lst = self.f("k_list_new")(0)
            for item in x:
                v = self.kval(item)
                self.f("k_list_append")(lst, v)
                self.decref(v)
            return lst
        if isinstance(x, tuple):
            t = self.f("k_tuple_new")(len(x))
            for i, item in enumerate(x):
                K.from_address(t + 24 + 8 * i).value = self.kval(item)
            return t
        if isinstance(x, dict):
            d = self.f("k_dict_new")()
            for k, item in x.items():
                kv, iv = self.kval(k), self.kval(item)
                assert self.f("k_dict_setitem")(d, kv, iv) == 0
                self.decref(kv)
                self.decref(iv)
            return d
        if isinstance(x, (set, frozenset)):
            s = self.f("k_set_new")()
            for item in x:
                v = self.kval(item)
                assert self.f("k_set_add")(s, v) == 0
                self.decref(v)
            return s
        raise TypeError(type(x))

    def function(self, fn) -> int:
        """A runtime callable (a KFunc) calling fn on the Python value of its argument."""
        def call(self_, args, nargs):
            arg = self.py(args[0])
            self._ident[id(arg)] = args[0]          # returned (or put in a list): the same object
            try:
                return self.kval(fn(arg))
            except Exception as e:           # raised in the runtime as the same type, message
                return self._raise_py(e)
            finally:
                del self._ident[id(arg)]
        cb = FUNC(call)
        obj = (K * 3)(1 << 60, self.fn_type, ctypes.cast(cb, ctypes.c_void_p).value)
        self._keep += [cb, obj]
        return ctypes.addressof(obj)

    def _raise_py(self, e: Exception) -> int:
        fn = self.lib["k_raise_str"]
        fn.restype, fn.argtypes = None, [K, ctypes.c_char_p]
        t = ctypes.addressof(ctypes.c_char.in_dll(self.lib, f"k_{type(e).__name__}_type"))
        fn(t, str(e).encode())
        return 0

    # ---- runtime -> Python ----
    def py(self, v: int):
        t = self.type_of(v)
        if t == "int":
            if v & 1:
                return ctypes.c_int64(v).value >> 1
            r = self.f("k_int_to_base")(v, 16)
            out = int(self.py(r), 16)
            self.decref(r)
            return out
        if t == "none":
            return None
        if t == "bool":
            return v == self.true
        if t == "str":
            n = I64.from_address(v + 16).value
            text = ctypes.string_at(v + 40, n).decode("utf-8", "surrogatepass")
            assert I64.from_address(v + 24).value == len(text), f"wrong code point count in {text!r}"
            assert ctypes.c_uint8.from_address(v + 40 + n).value == 0, "no NUL after a str's bytes"
            return text
        if t == "float":
            return ctypes.c_double.from_address(v + 16).value
        if t == "list":
            n, items = I64.from_address(v + 16).value, K.from_address(v + 32).value
            return [self.py(K.from_address(items + 8 * i).value) for i in range(n)]
        if t == "tuple":
            return tuple(self.py(K.from_address(v + 24 + 8 * i).value) for i in range(I64.from_address(v + 16).value))
        if t == "dict":
            out = {}
            pos, k, x = I64(0), K(0), K(0)
            while self.f("k_dict_next")(v, ctypes.byref(pos), ctypes.byref(k), ctypes.byref(x)):
                out[self.py(k.value)] = self.py(x.value)
            return out
        if t == "bytes":
            return ctypes.string_at(v + 32, I64.from_address(v + 16).value)
        if t == "set":            # set.h's KSet: mask at 32, the table (key, hash pairs) at 40
            mask, table = I64.from_address(v + 32).value, K.from_address(v + 40).value
            keys = [K.from_address(table + 16 * i).value for i in range(mask + 1)]
            dummy = ctypes.addressof(ctypes.c_char.in_dll(self.lib, "k_set_dummy_obj"))
            return {self.py(k) for k in keys if k and k != dummy}
        raise TypeError(f"runtime value of type {t}")

    def take_exception(self) -> Raised:
        return self.describe(self.f("k_exc_fetch")())

    def describe(self, e: int) -> Raised:
        """An exception object (a reference the caller gives up) as Raised."""
        tname = ctypes.string_at(K.from_address(K.from_address(e + 8).value + 16).value).decode()
        s = self.f("k_str")(e)
        msg = self.py(s)
        self.decref(s)
        fields = None
        if K.from_address(e + 8).value == self.jde_type:
            # KException is hdr(16) + args, cause, context, suppress_context(8), traceback: 56 bytes
            fields = tuple(self.py(K.from_address(e + 56 + 8 * i).value) for i in range(5))
        self.decref(e)
        return Raised(tname, msg, fields)

    def result(self, r: int):
        if self.exc.value:
            assert r == 0, "raised but returned a value"
            raise self.take_exception()
        assert r != 0, "returned 0 without raising"
        out = self.py(r)
        self.decref(r)
        return out

    # ---- the functions under test ----
    def dumps(self, obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, indent=None,
              separators=None, default=None, sort_keys=False):
        args = [self.kval(obj), self.kval(indent), self.kval(separators)]
        fn = self.function(default) if default is not None else self.none
        try:
            r = self.f("k_json_dumps")(args[0], skipkeys, ensure_ascii, check_circular, allow_nan, args[1], args[2],
                                       fn, sort_keys)
            return self.result(r)
        finally:
            for a in args:
                self.decref(a)

    def loads(self, s):
        k = self.kval(s)
        try:
            return self.result(self.f("k_json_loads")(k))
        finally:
            self.decref(k)



def cpython_exception(e: Exception):
    """("raise", type name, message, JSONDecodeError fields or None)."""
    fields = (e.msg, e.doc, e.pos, e.lineno, e.colno) if isinstance(e, json.JSONDecodeError) else None
    return ("raise", type(e).__name__, str(e), fields)


def cpython_outcome(fn, *args, **kwargs):
    """("ok", canon(value)) or cpython_exception(the exception)."""
    try:
        return ("ok", canon(fn(*args, **kwargs)))
    except (ValueError, TypeError, RecursionError, OverflowError) as e:
        return cpython_exception(e)


def runtime_outcome(rt: JsonRT, fn, *args, **kwargs):
    before = rt.live.value
    try:
        out = ("ok", canon(fn(*args, **kwargs)))
    except Raised as e:
        out = ("raise",) + e.args
    assert rt.live.value == before, "runtime objects leaked"
    return out
